/**
 * Shared bits of the Lambda control-plane tests: zips built in memory (fflate), a valid role ARN,
 * unique names, and exact error assertions.
 */
import assert from "node:assert/strict";
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { strToU8, type Zippable, zipSync } from "fflate";

export const ROLE = "arn:aws:iam::000000000000:role/lambda-role";

export interface ZipEntryOptions {
  /** Unix permission bits (e.g. 0o755 for a custom runtime's bootstrap). */
  mode?: number;
}

/** A zip of the given files (path → text), with Unix modes where asked. */
export function makeZip(files: Record<string, string | [string, ZipEntryOptions]>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, spec] of Object.entries(files)) {
    const [text, options] = typeof spec === "string" ? [spec, {}] : spec;
    const mode = options.mode ?? 0o644;
    entries[path] = [strToU8(text), { os: 3, attrs: ((0o100000 | mode) << 16) >>> 0 }];
  }
  return zipSync(entries);
}

export const HANDLER_JS = "exports.handler = async (event) => ({ ok: true, event });\n";

export function nodeZip(text = HANDLER_JS): Uint8Array {
  return makeZip({ "index.js": text });
}

let counter = 0;
export function uniqueName(prefix = "fn"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

export interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail("expected the call to fail");
}

/** Asserts the call fails with this error code, exactly this message and this HTTP status. */
export async function rejects(
  promise: Promise<unknown>,
  name: string,
  message: string,
  status: number,
): Promise<void> {
  const error = await sdkError(promise);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
  assert.equal(error.$metadata.httpStatusCode, status);
}

/**
 * Creates a function with the tests' defaults (a unique name, nodejs20.x, index.handler, the hello
 * zip, ROLE), overridden by `input`; answers its name.
 */
export async function createTestFunction(
  lambda: LambdaClient,
  input: Partial<CreateFunctionCommandInput> & { prefix?: string } = {},
): Promise<string> {
  const { prefix = "fn", ...overrides } = input;
  const name = overrides.FunctionName ?? uniqueName(prefix);
  await lambda.send(
    new CreateFunctionCommand({
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: nodeZip() },
      ...overrides,
      FunctionName: name,
    }),
  );
  return name;
}
