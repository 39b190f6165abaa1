/**
 * AWS::Lambda::Function's Code as Lambda's API takes it.
 *
 * - ZipFile: inline source text. CloudFormation "places it in a file named index and zips it"
 *   (AWS::Lambda::Function Code reference): `index.js` for Node.js runtimes (a CommonJS module, so
 *   the handler is `index.<export>`), `index.py` for Python; only those two families take inline
 *   code. The cfn-response module is added when the source loads it (cfn-response.ts).
 * - S3Bucket/S3Key/S3ObjectVersion: passed through; Lambda reads the object from Stratus's S3.
 * - ImageUri: container images do not exist in Stratus, so the resource fails saying so.
 */
import { strToU8, type Zippable, zipSync } from "fflate";
import { objectValue, stringValue, validationFailure } from "../property-values.ts";
import type { ProviderContext } from "../types.ts";
import {
  NODE_MODULE_FILE,
  NODE_MODULE_SOURCE,
  nodeSourceUsesModule,
  PYTHON_MODULE_FILE,
  PYTHON_MODULE_SOURCE,
  pythonSourceUsesModule,
} from "./cfn-response.ts";

/** Code members of CreateFunction (its Code structure) and of UpdateFunctionCode (top level). */
export interface CodeMembers {
  ZipFile?: string;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
}

/** Regular file, rw-r--r--, as Unix zip tools write it (Lambda keeps the mode when extracting). */
const FILE_ATTRS = ((0o100000 | 0o644) << 16) >>> 0;
/** A fixed time, so the same source always makes the same zip (and the same CodeSha256). */
const FILE_TIME = new Date("1980-01-01T00:00:00Z");

export function imageNotSupported(): Error {
  return new Error(
    "Stratus does not support container image functions (Code.ImageUri / PackageType Image): use a .zip package (Code.ZipFile or Code.S3Bucket/S3Key)",
  );
}

/** The zip CloudFormation builds around inline source: index.js or index.py, plus cfn-response if used. */
export function inlineZip(context: ProviderContext, source: string, runtime: string | undefined): Buffer {
  const files: Zippable = {};
  const add = (name: string, text: string) => {
    files[name] = [strToU8(text), { os: 3, attrs: FILE_ATTRS, mtime: FILE_TIME }];
  };
  if (runtime?.startsWith("nodejs")) {
    add("index.js", source);
    if (nodeSourceUsesModule(source)) add(NODE_MODULE_FILE, NODE_MODULE_SOURCE);
  } else if (runtime?.startsWith("python")) {
    add("index.py", source);
    if (pythonSourceUsesModule(source)) add(PYTHON_MODULE_FILE, PYTHON_MODULE_SOURCE);
  } else {
    throw validationFailure(
      context,
      `#/Code/ZipFile: inline code is supported only for Node.js and Python runtimes, not ${runtime ?? "an absent Runtime"}`,
    );
  }
  return Buffer.from(zipSync(files));
}

/** The resource's Code as Lambda's code members (ZipFile base64-encoded, as the SDKs send it). */
export function codeMembers(
  context: ProviderContext,
  code: unknown,
  runtime: string | undefined,
): CodeMembers {
  const value = objectValue(context, code, "Code") ?? {};
  if (value.ImageUri !== undefined) throw imageNotSupported();
  const zipSource = stringValue(context, value.ZipFile, "Code/ZipFile");
  if (zipSource !== undefined) {
    return { ZipFile: inlineZip(context, zipSource, runtime).toString("base64") };
  }
  const out: CodeMembers = {};
  const bucket = stringValue(context, value.S3Bucket, "Code/S3Bucket");
  const key = stringValue(context, value.S3Key, "Code/S3Key");
  const version = stringValue(context, value.S3ObjectVersion, "Code/S3ObjectVersion");
  if (bucket !== undefined) out.S3Bucket = bucket;
  if (key !== undefined) out.S3Key = key;
  if (version !== undefined) out.S3ObjectVersion = version;
  return out;
}
