/**
 * The lean client of the service benchmarks: requests signed once with SigV4 and replayed as they are.
 *
 * An AWS SDK spends more CPU per request than a fast local server does (about 2.5k requests/s from one
 * core here), so driving a benchmark with it measures the SDK. Instead each distinct request is signed
 * once by @smithy/signature-v4, exactly as an SDK signs it, and autocannon sends its bytes again and
 * again: a header signature stays valid for 15 minutes (AWS's clock-skew window), far longer than one
 * run. Setup calls (create a table, seed it) use the same signed requests, sent one by one over
 * node:http.
 *
 * ## By design
 * - No `x-amz-content-sha256` (the SDKs send it to S3 only) and no `Content-Length` among the signed
 *   headers: autocannon writes `Content-Length` itself.
 * - Host is signed and sent as given: `127.0.0.1:<port>` from the contestant's URL.
 */
import { request as httpRequest } from "node:http";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { WorkloadRequest } from "./load.ts";

/** What Stratus accepts by default, and what dynalite and moto accept (they check no signature). */
export const BENCH_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;
export const BENCH_REGION = "us-east-1";

export interface SignedRequest extends WorkloadRequest {
  readonly method: NonNullable<WorkloadRequest["method"]>;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SentResponse {
  readonly status: number;
  readonly body: string;
}

const SEND_TIMEOUT_MS = 10_000;
const RESPONSE_BYTES_MAX = 16 * 1024 * 1024;

const signers = new Map<string, SignatureV4>();

function signerFor(service: string): SignatureV4 {
  let signer = signers.get(service);
  if (!signer) {
    signer = new SignatureV4({
      service,
      region: BENCH_REGION,
      credentials: BENCH_CREDENTIALS,
      sha256: Hash.bind(null, "sha256"),
      applyChecksum: false,
    });
    signers.set(service, signer);
  }
  return signer;
}

/** Signs a POST of `body` to `baseUrl` + `path` (default "/") for `service`, with the given extra headers. */
export function signPost(
  baseUrl: string,
  service: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  path = "/",
): Promise<SignedRequest> {
  return signRequest(baseUrl, service, { method: "POST", path, headers, body });
}

/** Signs any request to `baseUrl` for `service`; `path` holds the path and the query, if any. */
export async function signRequest(
  baseUrl: string,
  service: string,
  request: {
    readonly method: SignedRequest["method"];
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  },
): Promise<SignedRequest> {
  const url = new URL(baseUrl);
  const [pathname = "/", search = ""] = request.path.split("?", 2);
  const body = request.body ?? "";
  const signed = await signerFor(service).sign(
    new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: pathname,
      query: Object.fromEntries(new URLSearchParams(search)),
      headers: { host: url.host, ...request.headers },
      ...(body !== "" ? { body } : {}),
    }),
  );
  return { method: request.method, path: request.path, headers: { ...signed.headers }, body };
}

/** Sends one signed request as it is (its Host header included) and reads the whole answer. */
export function sendSigned(baseUrl: string, request: SignedRequest): Promise<SentResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        timeout: SEND_TIMEOUT_MS,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > RESPONSE_BYTES_MAX) {
            req.destroy(new Error(`response larger than ${RESPONSE_BYTES_MAX} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS} ms`)));
    req.end(request.body);
  });
}
