/**
 * Builds aws-chunked bodies for the decoder tests. Chunk signatures come from @smithy/signature-v4's
 * event signing, which signs exactly the "AWS4-HMAC-SHA256-PAYLOAD" string a chunk signs (with empty
 * event headers, whose hash is that of the empty string) — an implementation independent of ours.
 * Trailer signatures are computed here from the S3 documentation's recipe.
 */
import { createHash, createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { type AwsChunkedDecoder, createChunkedDecoder } from "../../src/aws/sigv4/chunked.ts";
import type { ChunkedDecoderOptions, ChunkedResult } from "../../src/aws/sigv4/chunked-options.ts";

export interface Signer {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  date: Date;
}

export async function frameSigned(
  data: Buffer,
  chunkSize: number,
  seed: string,
  signer: Signer,
  trailer?: [string, string],
) {
  const v4 = new SignatureV4({
    credentials: { accessKeyId: signer.accessKeyId, secretAccessKey: signer.secretAccessKey },
    region: signer.region,
    service: signer.service,
    sha256: Hash.bind(null, "sha256"),
  });
  const parts: Buffer[] = [];
  let previous = seed;
  const sizes: number[] = [];
  for (let offset = 0; offset < data.length; offset += chunkSize)
    sizes.push(Math.min(chunkSize, data.length - offset));
  sizes.push(0);
  let offset = 0;
  for (const size of sizes) {
    const payload = data.subarray(offset, offset + size);
    offset += size;
    previous = await v4.sign(
      { headers: new Uint8Array(0), payload },
      { priorSignature: previous, signingDate: signer.date },
    );
    parts.push(Buffer.from(`${size.toString(16)};chunk-signature=${previous}\r\n`), payload);
    if (size > 0) parts.push(Buffer.from("\r\n"));
  }
  if (!trailer) {
    parts.push(Buffer.from("\r\n"));
    return Buffer.concat(parts);
  }
  const key = signingKey(signer);
  const stamp = amzDate(signer.date);
  const scope = `${stamp.slice(0, 8)}/${signer.region}/${signer.service}/aws4_request`;
  const hashed = createHash("sha256").update(`${trailer[0]}:${trailer[1]}\n`).digest("hex");
  const signature = createHmac("sha256", key)
    .update(["AWS4-HMAC-SHA256-TRAILER", stamp, scope, previous, hashed].join("\n"))
    .digest("hex");
  parts.push(Buffer.from(`${trailer[0]}:${trailer[1]}\r\nx-amz-trailer-signature:${signature}\r\n\r\n`));
  return Buffer.concat(parts);
}

/** Unsigned framing, as the AWS SDK for JavaScript writes it (getAwsChunkedEncodingStream). */
export function frameUnsigned(data: Buffer, chunkSize: number, trailer?: [string, string]): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    const chunk = data.subarray(offset, offset + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n"));
  if (trailer) parts.push(Buffer.from(`${trailer[0]}:${trailer[1]}\r\n\r\n`));
  return Buffer.concat(parts);
}

export function signingKey(signer: Signer): Buffer {
  let key: Buffer = Buffer.from(`AWS4${signer.secretAccessKey}`);
  for (const part of [amzDate(signer.date).slice(0, 8), signer.region, signer.service, "aws4_request"]) {
    key = createHmac("sha256", key).update(part).digest();
  }
  return key;
}

export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** Splits a buffer into pieces of `size` bytes, as a network would. */
export function pieces(body: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += size) out.push(body.subarray(offset, offset + size));
  return out;
}

export interface Decoded {
  data: Buffer;
  result?: ChunkedResult;
  error?: { code: string; status: number; message: string; fields: Readonly<Record<string, unknown>> };
}

/** Streams `body` through a decoder, `pieceSize` bytes at a time, and reports what came out. */
export async function decode(
  body: Buffer,
  options: ChunkedDecoderOptions,
  pieceSize = 1000,
): Promise<Decoded> {
  const decoder: AwsChunkedDecoder = createChunkedDecoder(options);
  const out: Buffer[] = [];
  decoder.on("data", (chunk: Buffer) => out.push(chunk));
  const finished = new Promise<void>((resolve) => {
    decoder.on("end", resolve);
    decoder.on("error", () => resolve());
  });
  Readable.from(pieces(body, pieceSize)).pipe(decoder);
  await finished;
  try {
    return { data: Buffer.concat(out), result: await decoder.result };
  } catch (error) {
    const e = error as { code: string; status: number; message: string; fields: Record<string, unknown> };
    return {
      data: Buffer.concat(out),
      error: { code: e.code, status: e.status, message: e.message, fields: e.fields },
    };
  }
}
