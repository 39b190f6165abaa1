/**
 * `BodyS3Location` ({Bucket, Key, Version, ETag}) of AWS::ApiGateway::RestApi and
 * AWS::ApiGatewayV2::Api: the OpenAPI document read from Stratus's own S3 (GetObject through
 * `callRaw`, since S3 is restXml), as CloudFormation reads it from the bucket at deploy time.
 */
import type { Readable } from "node:stream";
import type { ProviderContext } from "../types.ts";
import { optString, type Properties, reqString } from "./properties.ts";

async function bytesOf(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/** The document's text; S3's NoSuchKey/NoSuchBucket pass through as the resource's failure. */
export async function readBodyS3Location(context: ProviderContext, location: Properties): Promise<string> {
  const bucket = reqString(location, "Bucket");
  const key = reqString(location, "Key");
  const version = optString(location, "Version");
  const etag = optString(location, "ETag") ?? optString(location, "Etag");
  const response = await context.call.callRaw("s3", "GetObject", {
    method: "GET",
    pathParams: { Bucket: bucket, Key: key },
    query: version === undefined ? {} : { versionId: version },
    headers: etag === undefined ? {} : { "if-match": etag.startsWith('"') ? etag : `"${etag}"` },
  });
  return (await bytesOf(response.body)).toString("utf8");
}
