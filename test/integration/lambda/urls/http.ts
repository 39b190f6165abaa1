/**
 * Plain HTTP to a function URL, as a browser or curl would send it: to 127.0.0.1 on Stratus's port with
 * any Host header (`{id}.lambda-url.us-east-1.localhost` does not resolve for Node here), repeated
 * headers sent as separate lines, optionally SigV4-signed for `lambda` like awscurl does.
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { type ClientCredentials, TEST_CREDENTIALS } from "../../../support/stratus.ts";

export interface UrlRequest {
  method?: string;
  /** Path and query, e.g. "/a/b?x=1". */
  path: string;
  host: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Sign for the service `lambda` (AuthType AWS_IAM). */
  sign?: boolean;
  /** Default: the test credentials. */
  credentials?: ClientCredentials;
}

export interface UrlResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export async function callUrl(port: number, request: UrlRequest): Promise<UrlResponse> {
  const method = request.method ?? "GET";
  let headers: Record<string, string | string[]> = { host: request.host, ...request.headers };
  if (request.sign) headers = await signed(method, request, headers);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method, path: request.path, headers, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(request.body);
  });
}

async function signed(
  method: string,
  request: UrlRequest,
  headers: Record<string, string | string[]>,
): Promise<Record<string, string | string[]>> {
  const q = request.path.indexOf("?");
  const path = q < 0 ? request.path : request.path.slice(0, q);
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(q < 0 ? "" : request.path.slice(q + 1))) query[key] = value;
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    flat[name] = Array.isArray(value) ? value.join(",") : value;
  const signer = new SignatureV4({
    service: "lambda",
    region: "us-east-1",
    credentials: request.credentials ?? TEST_CREDENTIALS,
    sha256: Hash.bind(null, "sha256"),
  });
  const out = await signer.sign(
    new HttpRequest({
      method,
      protocol: "http:",
      hostname: request.host,
      path,
      query,
      headers: flat,
      body: request.body,
    }),
  );
  return out.headers;
}

/**
 * Writes `head` (a request line and headers, no body) on a fresh connection and reads until the
 * server closes it: how a test sends a Content-Length it never honours.
 */
export function rawExchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(head));
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error("no answer")));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}
