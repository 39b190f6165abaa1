/**
 * Step 3, data plane: a request identify matched to a registered data plane (data-plane.ts) is read
 * (bounded by the plane's limit) and handed to the plane's handler as it arrived; the handler's answer
 * is written as is. Nothing after this step runs for it: no service, no SigV4 (a plane that takes
 * signed requests verifies them itself), no protocol encoding.
 */
import type { EncodedResponse } from "../../aws/protocols/protocol.ts";
import type { DataPlaneRequest, DataPlaneResponse, DataPlaneTarget } from "../data-plane.ts";
import type { EdgeEnv } from "../env.ts";
import type { Exchange } from "../exchange.ts";

export function answerDataPlane(exchange: Exchange, env: EdgeEnv): Promise<void> | undefined {
  const destination = exchange.destination;
  // Synchronous for every other request: an async step costs each of them a microtask hop, and the
  // steps after it then run apart from identify (see parseAuthorization's one-entry memo).
  if (destination?.kind !== "data-plane") return undefined;
  return answer(exchange, env, destination.target);
}

async function answer(exchange: Exchange, env: EdgeEnv, target: DataPlaneTarget): Promise<void> {
  const { plane } = target;
  const declared = Number(exchange.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > plane.bodyBytesMax) {
    exchange.response = closing(plane.bodyTooLarge(plane.bodyBytesMax));
    return;
  }
  const reading = readBody(exchange, plane.bodyBytesMax);
  const body = Buffer.isBuffer(reading) ? reading : await reading;
  if (body === undefined) {
    exchange.response = closing(plane.bodyTooLarge(plane.bodyBytesMax));
    return;
  }
  let answer: DataPlaneResponse;
  try {
    answer = await plane.handle(requestOf(exchange, target, body));
  } catch (error) {
    env.logger.error(
      `${plane.name} ${exchange.method} ${exchange.rawPath}: ${(error as Error)?.stack ?? error}`,
    );
    answer = {
      status: 500,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Message: "Internal Server Error" }),
    };
  }
  exchange.response = { status: answer.status, headers: answer.headers, body: answer.body };
}

function requestOf(exchange: Exchange, target: DataPlaneTarget, body: Buffer): DataPlaneRequest {
  const { req } = exchange;
  return {
    method: exchange.method,
    id: target.id,
    region: target.region,
    rawPath: target.rawPath,
    rawQuery: exchange.rawQuery,
    headers: exchange.headers,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: normaliseIp(req.socket.remoteAddress ?? ""),
    protocol: `HTTP/${req.httpVersion}`,
    host: String(exchange.headers.host ?? ""),
    endpoint: endpointOf(req.socket.localAddress ?? "127.0.0.1", req.socket.localPort ?? 0),
    pathForm: target.pathForm,
    signedPath: exchange.rawPath,
    receivedAt: exchange.receivedAt,
  };
}

function endpointOf(address: string, port: number): string {
  const host = normaliseIp(address);
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** An IPv4 peer on a dual-stack socket shows as `::ffff:127.0.0.1`; AWS names it `127.0.0.1`. */
function normaliseIp(address: string): string {
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** An oversized body is not read to its end: the answer closes the connection instead. */
function closing(response: DataPlaneResponse): EncodedResponse {
  return {
    status: response.status,
    headers: { ...response.headers, Connection: "close" },
    body: response.body,
  };
}

const NO_BODY = Buffer.alloc(0);

/** The whole body, or undefined once it passes `limit` (the rest is not read). */
function readBody(exchange: Exchange, limit: number): Buffer | Promise<Buffer | undefined> {
  const { req, headers } = exchange;
  // Neither Content-Length nor Transfer-Encoding: the message has no body (RFC 9112, 6.3), as for
  // nearly every GET. Answered at once, without a promise, three listeners and the wait for `end`
  // (node:http discards the empty stream when the response ends).
  if (headers["content-length"] === undefined && headers["transfer-encoding"] === undefined) return NO_BODY;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}
