/**
 * A request's template text: its TemplateBody, or the object its TemplateURL names in Stratus's own S3
 * (read in-process, as the stack's caller), as CloudFormation reads templates uploaded by
 * `aws cloudformation deploy --s3-bucket`, `sam deploy` and the CDK.
 *
 * URL forms: path style on any host (`http://127.0.0.1:4566/bucket/key`, `https://s3.amazonaws.com/
 * bucket/key`, `https://s3.us-east-1.amazonaws.com/bucket/key`) and virtual-hosted
 * (`https://bucket.s3.amazonaws.com/key`, `https://bucket.s3.us-east-1.amazonaws.com/key`).
 */
import { isAwsError } from "../../../aws/errors.ts";
import type { ServiceCaller } from "../../in-process-caller.ts";
import { validationError } from "./errors.ts";

export interface TemplateInput {
  readonly TemplateBody?: string;
  readonly TemplateURL?: string;
}

const VIRTUAL_HOSTED = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;

/** The bucket and key a template URL names; undefined for a URL CloudFormation would not take. */
export function s3Location(url: string): { bucket: string; key: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const path = decodeURIComponent(parsed.pathname).replace(/^\//, "");
  const hosted = VIRTUAL_HOSTED.exec(parsed.hostname);
  if (hosted?.[1]) return path === "" ? undefined : { bucket: hosted[1], key: path };
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** The template text, or the ValidationError CloudFormation gives. */
export async function templateText(input: TemplateInput, call: ServiceCaller): Promise<string> {
  if (input.TemplateBody !== undefined && input.TemplateURL !== undefined) {
    throw validationError("You cannot specify both TemplateURL and TemplateBody in the same request.");
  }
  if (input.TemplateBody !== undefined) return input.TemplateBody;
  if (input.TemplateURL === undefined) {
    throw validationError("Either Template URL or Template Body must be specified.");
  }
  const location = s3Location(input.TemplateURL);
  if (!location) throw validationError("TemplateURL must be a supported URL.");
  try {
    const response = await call.callRaw("s3", "GetObject", {
      pathParams: { Bucket: location.bucket, Key: location.key },
    });
    return await bodyText(response.body);
  } catch (error) {
    if (isAwsError(error)) throw validationError(`S3 error: ${error.message}`);
    throw error;
  }
}

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  if (typeof body === "object" && Symbol.asyncIterator in body) {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }
  return JSON.stringify(body);
}
