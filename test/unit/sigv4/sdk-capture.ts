/**
 * Requests signed by the real AWS SDK clients, caught before they reach the network: a request handler
 * that records what it is given and answers nothing (the call then fails, which the capture ignores).
 * Each capture is turned into what the edge would hand to `verifySigV4`: the path and query exactly as
 * @smithy/node-http-handler would write them on the wire.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { SigV4Request } from "../../../src/aws/sigv4/types.ts";

interface CapturedRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

class Captured extends Error {}

export const REGION = "us-east-1";
export const ENDPOINT = "http://localhost:4566";

/** Client configuration that signs with `accessKeyId`/`secretAccessKey` and hands the request to `sink`. */
export function clientConfig(sink: CapturedRequest[], accessKeyId = "test", secretAccessKey = "test") {
  return {
    region: REGION,
    endpoint: ENDPOINT,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    // Quiet: the retry middleware warns about the failure the capture provokes on streamed bodies.
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    requestHandler: {
      handle: async (request: CapturedRequest) => {
        sink.push({ ...request, body: await bodyBytes(request.body) });
        throw new Captured("captured");
      },
    },
  };
}

/** Runs `send` and returns the one request it signed. */
export async function capture(send: (sink: CapturedRequest[]) => Promise<unknown>): Promise<SigV4Request> {
  const sink: CapturedRequest[] = [];
  try {
    await send(sink);
  } catch (error) {
    if (!(error instanceof Captured)) throw error;
  }
  const request = sink[0];
  if (!request) throw new Error("the client sent nothing");
  return toWire(request);
}

function toWire(request: CapturedRequest): SigV4Request {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const wire: SigV4Request = {
    method: request.method,
    rawPath: request.path,
    rawQuery: buildQueryString(request.query ?? {}),
    headers,
  };
  if (request.body instanceof Uint8Array) wire.body = request.body;
  return wire;
}

/** A presigned URL as the request a client following it makes. */
export function fromUrl(url: string, method: string, extraHeaders: IncomingHttpHeaders = {}): SigV4Request {
  const afterScheme = url.slice(url.indexOf("//") + 2);
  const slash = afterScheme.indexOf("/");
  const host = afterScheme.slice(0, slash);
  const rest = afterScheme.slice(slash);
  const question = rest.indexOf("?");
  return {
    method,
    rawPath: question < 0 ? rest : rest.slice(0, question),
    rawQuery: question < 0 ? "" : rest.slice(question + 1),
    headers: { host, ...extraHeaders },
  };
}

/** Mirrors buildQueryString of @smithy/core (what node-http-handler puts after '?'). */
function buildQueryString(query: Record<string, string | string[] | null>): string {
  const escapeUri = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (Array.isArray(value)) for (const item of value) parts.push(`${escapeUri(key)}=${escapeUri(item)}`);
    else
      parts.push(
        value || typeof value === "string" ? `${escapeUri(key)}=${escapeUri(value)}` : escapeUri(key),
      );
  }
  return parts.join("&");
}

async function bodyBytes(body: unknown): Promise<Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  // JSON clients pass a Uint8Array subclass with string methods; view its bytes as a plain Buffer.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable || (typeof body === "object" && Symbol.asyncIterator in body)) {
    const parts: Buffer[] = [];
    for await (const part of body as AsyncIterable<Uint8Array | string>) parts.push(Buffer.from(part));
    return Buffer.concat(parts);
  }
  throw new Error(`cannot read a body of type ${typeof body}`);
}
