/**
 * Function and layer code named by an S3 location (Code.S3Bucket/S3Key/S3ObjectVersion,
 * Content.S3Bucket/S3Key/S3ObjectVersion): read through Stratus's S3 in-process (`S3Api`), then stored
 * like an uploaded ZipFile. The hot-reload bucket (hot-reload.ts) still means a local directory.
 *
 * A location S3 cannot serve is Lambda's InvalidParameterValueException quoting S3's error, as
 * captured from Lambda (CloudFormation event quoted in a public repository, and Lambda CLI outputs):
 * "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does
 * not exist."
 *
 * ## Gaps
 * - S3ObjectVersion: only the current version (`null` for unversioned buckets) can be read through
 *   the in-process API; another version id answers S3's NoSuchVersion in Lambda's wrapper.
 * - The object is read whole into memory before it is stored (as ZipFile uploads are).
 */
import { isAwsError } from "../../../aws/errors.ts";
import type { S3Api } from "../../s3/api.ts";
import { invalidParameterValue, s3CodeNotSupported, unzippedTooLarge } from "../errors.ts";
import { type StoredCode, UNZIPPED_BYTES_MAX } from "./code-store.ts";
import { hotReloadBucket, hotReloadCode } from "./hot-reload.ts";

export interface S3Location {
  bucket: unknown;
  key: unknown;
  version?: unknown;
}

/** Where the zip is read from and stored: `store.code.put`. */
export interface CodeSink {
  put(zip: Buffer): Promise<StoredCode>;
}

function getObjectFailed(code: string, message: string) {
  return invalidParameterValue(
    `Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`,
  );
}

/** The zip at an S3 location, stored in `sink`; the hot-reload directory for the hot-reload bucket. */
export async function codeFromS3(
  sink: CodeSink,
  s3: S3Api | undefined,
  location: S3Location,
  options: { hotReload: boolean } = { hotReload: true },
): Promise<StoredCode> {
  // Layers are always packages (their files are merged into /opt): only functions run from a directory.
  if (options.hotReload && location.bucket === hotReloadBucket() && typeof location.key === "string") {
    return hotReloadCode(location.key);
  }
  if (!s3) throw s3CodeNotSupported();
  const bucket = typeof location.bucket === "string" ? location.bucket : "";
  const key = typeof location.key === "string" ? location.key : "";
  if (location.version !== undefined && location.version !== null && location.version !== "null") {
    throw getObjectFailed("NoSuchVersion", "The specified version does not exist.");
  }
  let zip: Buffer;
  try {
    const { object, body } = await s3.read(bucket, key);
    // A package can never unpack to more than Lambda's limit, so neither can its zip be larger.
    if (object.size > UNZIPPED_BYTES_MAX) {
      body.destroy();
      throw unzippedTooLarge(UNZIPPED_BYTES_MAX);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    zip = Buffer.concat(chunks);
  } catch (error) {
    if (isAwsError(error) && error.code !== "InvalidParameterValueException") {
      throw getObjectFailed(error.code, error.message);
    }
    throw error;
  }
  return sink.put(zip);
}
