/**
 * Requests the SDKs will not make (wrong secrets, skewed clocks, tampered bodies, unknown targets),
 * signed by @smithy/signature-v4 exactly as an SDK would sign them, then sent with fetch.
 */
import { request as httpRequest } from "node:http";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { ClientCredentials } from "./stratus.ts";
import { TEST_CREDENTIALS } from "./stratus.ts";

export interface RawRequest {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** SigV4 service name; undefined = send unsigned. */
  service?: string;
  region?: string;
  credentials?: ClientCredentials;
  signingDate?: Date;
  /** Presign (query auth) instead of signing headers; value = X-Amz-Expires seconds. */
  presignExpiresIn?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function rawRequest(endpoint: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = request.body;
  let http = new HttpRequest({
    method: request.method ?? "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path ?? "/",
    query: { ...request.query },
    headers: { host: url.host, ...request.headers },
    body,
  });
  if (request.service) {
    const signer = new SignatureV4({
      service: request.service,
      region: request.region ?? "us-east-1",
      credentials: request.credentials ?? TEST_CREDENTIALS,
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: request.service !== "s3",
      applyChecksum: request.service === "s3",
    });
    http = (
      request.presignExpiresIn !== undefined
        ? await signer.presign(http, {
            signingDate: request.signingDate,
            expiresIn: request.presignExpiresIn,
          })
        : await signer.sign(http, { signingDate: request.signingDate })
    ) as HttpRequest;
  }
  const query = Object.entries(http.query)
    .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`)
    .join("&");
  return send(url, http.method, `${http.path}${query ? `?${query}` : ""}`, http.headers, body);
}

/** Sends exactly these headers (Host included) and body over node:http. */
export function send(
  url: URL,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: pathAndQuery, headers, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.end(body);
  });
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
