/**
 * The Lambda side of the lean client: the hello-world handlers of the lambda benchmark, and
 * CreateFunction, DeleteFunction and Invoke over signed restJson1 HTTP (bench/lib/signed-requests.ts),
 * so that nothing but the server under test is measured.
 *
 * Invoke is signed as the AWS SDK v3 signs it (`POST /2015-03-31/functions/NAME/invocations`,
 * `Content-Type: application/octet-stream`, the payload as the body), without the SDK's
 * bookkeeping headers (user agent, invocation id, `x-amz-content-sha256`), which no server reads.
 * A signature stays valid for 15 minutes: pools are signed again before every run.
 */
import { strToU8, type Zippable, zipSync } from "fflate";
import { type SentResponse, type SignedRequest, sendSigned, signRequest } from "./lib/signed-requests.ts";

/** A hello-world function, the same source for every contestant. */
export interface HelloHandler {
  /** "node", "python": the name used in tables and function names. */
  readonly family: "node" | "python";
  readonly runtime: string;
  /** Lambda's `Handler`: file (without extension) and exported function. */
  readonly handler: string;
  readonly file: string;
  readonly source: string;
}

/** What each hello-world function answers, as JSON. */
export const HELLO_ANSWER = { message: "hello" } as const;

export const NODE_HANDLER: HelloHandler = {
  family: "node",
  runtime: "nodejs20.x",
  handler: "handler.hello",
  // CommonJS: neither contestant's package has a package.json saying "type": "module".
  file: "handler.js",
  source: 'exports.hello = async () => ({ message: "hello" });\n',
};

/**
 * Both contestants run the machine's python3, whatever its version (3.11 here); the runtime name only
 * has to be one both accept.
 */
export const PYTHON_HANDLER: HelloHandler = {
  family: "python",
  runtime: "python3.11",
  handler: "handler_py.hello",
  file: "handler_py.py",
  source: 'def hello(event, context):\n    return {"message": "hello"}\n',
};

/** Any role ARN will do: Stratus checks its pattern only. */
const ROLE = "arn:aws:iam::000000000000:role/stratus-bench";
const API = "/2015-03-31/functions";
const INVOKE_CONTENT_TYPE = "application/octet-stream";
const JSON_CONTENT_TYPE = "application/json";
const ACTIVE_TIMEOUT_MS = 15_000;
const ACTIVE_POLL_MS = 20;

/** Thrown for an answer that is not the one expected; the message names the call and the answer. */
export class LambdaCallError extends Error {
  override readonly name = "LambdaCallError";
}

/** The function's package: its one source file, world-readable as Lambda packages must be. */
export function zipOf(handler: HelloHandler): Uint8Array {
  const entries: Zippable = {
    [handler.file]: [strToU8(handler.source), { os: 3, attrs: ((0o100000 | 0o644) << 16) >>> 0 }],
  };
  return zipSync(entries);
}

/** CreateFunction, then GetFunctionConfiguration until State is Active. */
export async function createFunction(baseUrl: string, name: string, handler: HelloHandler): Promise<void> {
  const body = JSON.stringify({
    FunctionName: name,
    Runtime: handler.runtime,
    Handler: handler.handler,
    Role: ROLE,
    Code: { ZipFile: Buffer.from(zipOf(handler)).toString("base64") },
  });
  await call(baseUrl, "CreateFunction", 201, {
    method: "POST",
    path: API,
    headers: { "content-type": JSON_CONTENT_TYPE },
    body,
  });
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  let state = "unknown";
  while (Date.now() < deadline) {
    const answer = await call(baseUrl, "GetFunctionConfiguration", 200, {
      method: "GET",
      path: `${API}/${name}/configuration`,
    });
    state = (JSON.parse(answer.body) as { State?: string }).State ?? "missing";
    if (state === "Active") return;
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
  throw new LambdaCallError(`function ${name} still ${state} after ${ACTIVE_TIMEOUT_MS} ms`);
}

/** DeleteFunction: Stratus stops the function's environments with it. */
export async function deleteFunction(baseUrl: string, name: string): Promise<void> {
  await call(baseUrl, "DeleteFunction", 204, { method: "DELETE", path: `${API}/${name}` });
}

/** A signed RequestResponse Invoke of `name` with the payload `{}`, to send or to replay. */
export function signInvoke(baseUrl: string, name: string): Promise<SignedRequest> {
  return signRequest(baseUrl, "lambda", {
    method: "POST",
    path: `${API}/${encodeURIComponent(name)}/invocations`,
    headers: { "content-type": INVOKE_CONTENT_TYPE },
    body: "{}",
  });
}

/** Invokes once and checks the answer is HELLO_ANSWER (as JSON: spacing differs between servers). */
export async function invokeHello(baseUrl: string, name: string): Promise<void> {
  const response = await sendSigned(baseUrl, await signInvoke(baseUrl, name));
  expectHello(name, response);
}

export function expectHello(name: string, response: SentResponse): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (response.status !== 200 || JSON.stringify(parsed) !== JSON.stringify(HELLO_ANSWER)) {
    throw new LambdaCallError(
      `Invoke of ${name} answered HTTP ${response.status} ${snippet(response.body)}, ` +
        `not ${JSON.stringify(HELLO_ANSWER)}`,
    );
  }
}

async function call(
  baseUrl: string,
  operation: string,
  expectedStatus: number,
  request: Parameters<typeof signRequest>[2],
): Promise<SentResponse> {
  const response = await sendSigned(baseUrl, await signRequest(baseUrl, "lambda", request));
  if (response.status !== expectedStatus) {
    throw new LambdaCallError(
      `${operation} answered HTTP ${response.status} ${snippet(response.body)}, expected ${expectedStatus}`,
    );
  }
  return response;
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
