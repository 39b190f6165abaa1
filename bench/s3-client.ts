/**
 * The S3 side of the lean client: requests for one bucket signed once with SigV4 (UNSIGNED-PAYLOAD,
 * as SDKs sign S3 bodies over TLS-less endpoints they are told to trust) and replayed, and the setup
 * calls that create the bucket and seed the objects the GET workloads read.
 *
 * Every contestant is signed for with s3rver's built-in key pair (S3RVER/S3RVER): s3rver knows no
 * other, Stratus is started with it in a credentials file, and moto checks no signature.
 */
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { BENCH_REGION, type SignedRequest, sendSigned } from "./lib/signed-requests.ts";

export const S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const BUCKET = "bench-bucket";
/** Distinct keys per size: the GET workloads cycle through them, the PUT workloads overwrite theirs. */
export const KEYS_PER_SIZE = 32;

const signer = new SignatureV4({
  service: "s3",
  region: BENCH_REGION,
  credentials: S3_CREDENTIALS,
  sha256: Hash.bind(null, "sha256"),
  applyChecksum: false,
  uriEscapePath: false,
});

/** A body of `bytes` ASCII bytes (the load client replays strings). */
export function bodyOf(bytes: number, seed: string): string {
  return seed.padEnd(bytes, "x").slice(0, bytes);
}

export async function signS3(
  baseUrl: string,
  method: SignedRequest["method"],
  path: string,
  body = "",
): Promise<SignedRequest> {
  const url = new URL(baseUrl);
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path,
      headers: {
        host: url.host,
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        ...(body !== "" ? { "content-type": "application/octet-stream" } : {}),
      },
    }),
  );
  return { method, path, headers: { ...signed.headers }, body };
}

/** Sends one signed request and throws with the answer's first bytes unless it is 2xx. */
export async function callS3(baseUrl: string, method: SignedRequest["method"], path: string, body = "") {
  const answer = await sendSigned(baseUrl, await signS3(baseUrl, method, path, body));
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  }
  return answer;
}

/** Creates the bucket and the objects the GET workloads read. */
export async function prepareBucket(baseUrl: string, sizes: readonly number[]): Promise<void> {
  await callS3(baseUrl, "PUT", `/${BUCKET}`);
  for (const size of sizes) {
    for (let i = 0; i < KEYS_PER_SIZE; i++) {
      await callS3(baseUrl, "PUT", `/${BUCKET}/${objectKey("get", size, i)}`, bodyOf(size, `${size}-${i}`));
    }
  }
}

export function objectKey(kind: "get" | "put", size: number, index: number): string {
  return `${kind}/${size}/${index}`;
}
