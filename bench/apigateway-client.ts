/**
 * The Stratus setup of the apigateway benchmark, over signed HTTP (bench/lib/signed-requests.ts) as
 * the AWS SDKs send it, so that nothing but Stratus is involved:
 *
 * - an HTTP API made by quick create (CreateApi with Target = a function ARN and RouteKey
 *   `GET /hello`: an AWS_PROXY integration with payload format 2.0 and the auto-deployed `$default`
 *   stage), in front of the lambda benchmark's Node.js hello-world function;
 * - a REST API with one `GET /mock` method on a MOCK integration (request template
 *   `{"statusCode": 200}`, an integration response answering a fixed body), deployed to stage `bench`.
 *
 * The load itself is plain unsigned GETs to the invoke URLs in their path form
 * (`/_aws/execute-api/{apiId}/...`): Node cannot resolve `*.execute-api.localhost`.
 */
import { request as httpRequest } from "node:http";
import { HELLO_ANSWER, type HelloHandler, zipOf } from "./lambda-client.ts";
import { type SentResponse, sendSigned, signRequest } from "./lib/signed-requests.ts";

/** The route both HTTP API contestants serve (serverless-offline's `httpApi` event has the same). */
export const HELLO_ROUTE = { method: "GET", path: "/hello" } as const;
/** The REST API's stage and resource. */
export const MOCK_STAGE = "bench";
export const MOCK_PATH = "/mock";
/** What the MOCK integration answers: about the size of the Lambda answer. */
export const MOCK_BODY = JSON.stringify(HELLO_ANSWER);

const ROLE = "arn:aws:iam::000000000000:role/stratus-bench";
const JSON_TYPE = { "content-type": "application/json" };
/**
 * Generous: at 64 connections the first wave of requests starts 64 runtime processes at once on a
 * small machine, and Lambda's default of 3 s would turn a slow cold start into a failure.
 */
const FUNCTION_TIMEOUT_SECONDS = 30;
const ACTIVE_TIMEOUT_MS = 15_000;
const ACTIVE_POLL_MS = 20;

/** Thrown for an answer that is not the one expected; the message names the call and the answer. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

/** CreateFunction (returning its ARN), then GetFunctionConfiguration until State is Active. */
export async function createHelloFunction(
  baseUrl: string,
  name: string,
  handler: HelloHandler,
): Promise<string> {
  const created = await call(baseUrl, "lambda", "CreateFunction", 201, {
    method: "POST",
    path: "/2015-03-31/functions",
    headers: JSON_TYPE,
    body: JSON.stringify({
      FunctionName: name,
      Runtime: handler.runtime,
      Handler: handler.handler,
      Role: ROLE,
      Timeout: FUNCTION_TIMEOUT_SECONDS,
      Code: { ZipFile: Buffer.from(zipOf(handler)).toString("base64") },
    }),
  });
  const arn = String(created.FunctionArn ?? "");
  if (!arn.startsWith("arn:")) throw new SetupError(`CreateFunction answered no FunctionArn`);
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  let state = "unknown";
  while (Date.now() < deadline) {
    const configuration = await call(baseUrl, "lambda", "GetFunctionConfiguration", 200, {
      method: "GET",
      path: `/2015-03-31/functions/${encodeURIComponent(name)}/configuration`,
    });
    state = String(configuration.State ?? "missing");
    if (state === "Active") return arn;
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
  throw new SetupError(`function ${name} still ${state} after ${ACTIVE_TIMEOUT_MS} ms`);
}

/** CreateApi by quick create; the path (below the port) of its `GET /hello` invoke URL. */
export async function createHttpApi(baseUrl: string, functionArn: string): Promise<string> {
  const api = await call(baseUrl, "apigateway", "CreateApi", 201, {
    method: "POST",
    path: "/v2/apis",
    headers: JSON_TYPE,
    body: JSON.stringify({
      name: "stratus-bench-http",
      protocolType: "HTTP",
      target: functionArn,
      routeKey: `${HELLO_ROUTE.method} ${HELLO_ROUTE.path}`,
    }),
  });
  const apiId = String(api.apiId ?? "");
  if (apiId === "") throw new SetupError("CreateApi answered no apiId");
  // The $default stage takes the whole path: no stage segment.
  return `/_aws/execute-api/${apiId}${HELLO_ROUTE.path}`;
}

/** A REST API with `GET /mock` on a MOCK integration, deployed; the path of its invoke URL. */
export async function createMockRestApi(baseUrl: string): Promise<string> {
  const rest = (operation: string, status: number, method: "POST" | "PUT", path: string, body: object) =>
    call(baseUrl, "apigateway", operation, status, {
      method,
      path,
      headers: JSON_TYPE,
      body: JSON.stringify(body),
    });
  const api = await rest("CreateRestApi", 201, "POST", "/restapis", { name: "stratus-bench-mock" });
  const apiId = String(api.id ?? "");
  const rootId = String(api.rootResourceId ?? "");
  if (apiId === "" || rootId === "") throw new SetupError("CreateRestApi answered no id or rootResourceId");
  const resource = await rest("CreateResource", 201, "POST", `/restapis/${apiId}/resources/${rootId}`, {
    pathPart: MOCK_PATH.slice(1),
  });
  const method = `/restapis/${apiId}/resources/${String(resource.id)}/methods/GET`;
  await rest("PutMethod", 201, "PUT", method, { authorizationType: "NONE" });
  await rest("PutIntegration", 201, "PUT", `${method}/integration`, {
    type: "MOCK",
    requestTemplates: { "application/json": '{"statusCode": 200}' },
  });
  await rest("PutMethodResponse", 201, "PUT", `${method}/responses/200`, {
    responseModels: { "application/json": "Empty" },
  });
  await rest("PutIntegrationResponse", 201, "PUT", `${method}/integration/responses/200`, {
    responseTemplates: { "application/json": MOCK_BODY },
  });
  await rest("CreateDeployment", 201, "POST", `/restapis/${apiId}/deployments`, { stageName: MOCK_STAGE });
  return `/_aws/execute-api/${apiId}/${MOCK_STAGE}${MOCK_PATH}`;
}

const GET_BYTES_MAX = 1024 * 1024;

/**
 * One unsigned GET on a fresh connection, the answer read whole; rejects after `timeoutMs`. For the
 * checks and the priming waves (which may wait for cold starts, hence a timeout of its own).
 */
export function plainGet(baseUrl: string, path: string, timeoutMs: number): Promise<SentResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: "GET", path, timeout: timeoutMs, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > GET_BYTES_MAX) req.destroy(new Error(`answer larger than ${GET_BYTES_MAX} bytes`));
          else chunks.push(chunk);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.end();
  });
}

/** A signed call answering JSON: the parsed answer, or a SetupError naming what came back. */
async function call(
  baseUrl: string,
  service: string,
  operation: string,
  expectedStatus: number,
  request: Parameters<typeof signRequest>[2],
): Promise<Record<string, unknown>> {
  const response = await sendSigned(baseUrl, await signRequest(baseUrl, service, request));
  if (response.status !== expectedStatus) {
    throw new SetupError(
      `${operation} answered HTTP ${response.status} ${snippet(response.body)}, expected ${expectedStatus}`,
    );
  }
  try {
    return response.body === "" ? {} : (JSON.parse(response.body) as Record<string, unknown>);
  } catch {
    throw new SetupError(`${operation} answered ${snippet(response.body)}, not JSON`);
  }
}

export function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
