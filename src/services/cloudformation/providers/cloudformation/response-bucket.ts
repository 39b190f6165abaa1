/**
 * Where custom resources answer: as AWS gives a custom resource's function a presigned S3 PUT URL
 * (ResponseURL) and reads the response object from it, Stratus keeps a bucket of its own per account
 * and region, `cloudformation-custom-resource-responses-<account>-<region>`, created on first use,
 * hands the function a SigV4 query-signed PUT URL on Stratus's own endpoint, and polls for the object.
 * The function's PUT goes through Stratus's HTTP edge like any client's, so the signature is checked.
 *
 * The URL is signed with the stack account's key as Stratus's default credential store knows it:
 * `test`/`test` for 000000000000, else the 12-digit account id as key id with the secret `test`. A
 * provider cannot reach the server's CredentialStore, so a credentials file that gives those keys
 * another secret makes the function's PUT fail its signature check (the resource then times out).
 */
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { isAwsError } from "../../../../aws/errors.ts";
import type { ProviderContext } from "../types.ts";

const DEFAULT_ACCOUNT = "000000000000";
/** AWS's presigned ResponseURLs last two hours; the wait never exceeds one. */
const URL_LIFETIME_SECONDS = 2 * 60 * 60;

export function responseBucketName(context: ProviderContext): string {
  return `cloudformation-custom-resource-responses-${context.accountId}-${context.region}`;
}

/** Stratus's own URL, without which no function can answer. */
export function stratusEndpoint(context: ProviderContext): URL {
  const url = context.endpointUrl();
  if (url === undefined) {
    throw new Error(
      `Stratus cannot give ${context.logicalId} a ResponseURL: the server's own address is unknown (not listening)`,
    );
  }
  return new URL(url);
}

function isMissing(error: unknown): boolean {
  return isAwsError(error) && (error.status === 404 || /^NoSuch/.test(error.code));
}

/** Creates the responses bucket unless it exists. */
export async function ensureResponseBucket(context: ProviderContext): Promise<string> {
  const bucket = responseBucketName(context);
  try {
    await context.call.callRaw("s3", "HeadBucket", { pathParams: { Bucket: bucket } });
    return bucket;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const body =
    context.region === "us-east-1"
      ? undefined
      : `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${context.region}</LocationConstraint></CreateBucketConfiguration>`;
  try {
    await context.call.callRaw("s3", "CreateBucket", {
      pathParams: { Bucket: bucket },
      ...(body !== undefined && { body }),
    });
  } catch (error) {
    // Two resources of a stack create it at once: the loser finds it made.
    if (!(isAwsError(error) && /BucketAlreadyOwnedByYou/.test(error.code))) throw error;
  }
  return bucket;
}

/** The stack account's key as Stratus's default credential store accepts it. */
function accountCredentials(accountId: string) {
  return accountId === DEFAULT_ACCOUNT
    ? { accessKeyId: "test", secretAccessKey: "test" }
    : { accessKeyId: accountId, secretAccessKey: "test" };
}

/** A SigV4 query-signed URL for `method` on `bucket/key`, path style, on Stratus's endpoint. */
export async function presignedUrl(
  context: ProviderContext,
  bucket: string,
  key: string,
  method: "PUT" | "GET" = "PUT",
): Promise<string> {
  const endpoint = stratusEndpoint(context);
  const signer = new SignatureV4({
    credentials: accountCredentials(context.accountId),
    region: context.region,
    service: "s3",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: false,
  });
  const path = `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const signed = await signer.presign(
    {
      method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port !== "" && { port: Number(endpoint.port) }),
      path,
      query: {},
      // As S3's presigner does: the payload is unsigned, and that header stays out of the URL.
      headers: { host: endpoint.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    },
    {
      expiresIn: URL_LIFETIME_SECONDS,
      signingDate: context.clock.now(),
      unhoistableHeaders: new Set(["x-amz-content-sha256"]),
      unsignableHeaders: new Set(["x-amz-content-sha256"]),
    },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `${endpoint.protocol}//${endpoint.host}${path}?${query}`;
}

/** The object's body, or undefined while nobody has PUT it. */
export async function readObject(
  context: ProviderContext,
  bucket: string,
  key: string,
): Promise<Buffer | undefined> {
  try {
    const response = await context.call.callRaw("s3", "GetObject", {
      pathParams: { Bucket: bucket, Key: key },
    });
    return await bodyBytes(response.body);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export async function deleteObject(context: ProviderContext, bucket: string, key: string): Promise<void> {
  await context.call
    .callRaw("s3", "DeleteObject", { pathParams: { Bucket: bucket, Key: key } })
    .catch(() => undefined);
}

/** A service response body in whatever form S3 answers it (buffer, text, or a stream of chunks). */
async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  return Buffer.from(JSON.stringify(body));
}
