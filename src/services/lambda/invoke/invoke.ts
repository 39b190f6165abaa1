/**
 * Invoke (POST /2015-03-31/functions/{FunctionName}/invocations).
 *
 * - RequestResponse: 200 with the function's payload as it answered it; X-Amz-Executed-Version;
 *   X-Amz-Function-Error: Unhandled with the error document (handler errors as the runtime shaped
 *   them, init errors, Sandbox.Timedout, Runtime.ExitError...); LogType Tail: X-Amz-Log-Result, base64
 *   of the last 4 KB of START / output / END / REPORT.
 * - Event: 202 once stored in the durable queue (payload at most 1 MB); retries, event age and
 *   destinations as Lambda does them (async-queue.ts, ../async/processor.ts).
 * - DryRun: 204 after the checks (function exists and is Active, payload is JSON).
 *
 * The payload is the raw body (the model's Payload blob), so this operation reads the headers, query
 * and path through the model but never parses the body as an input document. An empty payload is
 * delivered as `{}`, as Lambda does.
 *
 * Environments get the caller's account credentials (access key id = the account id with the secret
 * `test`, which Stratus's credential store accepts for any 12-digit key) and AWS_ENDPOINT_URL = the
 * address the invoke came in on (its Host header), so an SDK inside the function reaches this Stratus.
 *
 * ## Gaps
 * - Provisioned concurrency, response streaming (InvokeWithResponseStream),
 *   durable executions and TenantId are not implemented.
 * - A credentials file that gives an account's 12-digit key id another secret breaks the function's
 *   own calls (the service does not see the credential store).
 */

import type { RequestContext } from "../../../aws/context.ts";
import { type CredentialStore, ROOT_CREDENTIAL } from "../../../aws/credentials.ts";
import type { ServiceModel } from "../../../aws/models/index.ts";
import type { Logger } from "../../../log.ts";
import type { OperationHandler, ServiceRequest, ServiceResponse } from "../../service.ts";
import { locateFunction } from "../control/function-name.ts";
import { ExecutionEnvironment, type InvokeOptions } from "../environments/environment.ts";
import { constraintText, functionPending, validationErrors } from "../errors.ts";
import { LATEST, type LambdaStore, type ResolvedFunction } from "../store.ts";
import type { AsyncInvokeQueue } from "./async-queue.ts";
import {
  ASYNC_PAYLOAD_BYTES_MAX,
  asyncPayloadTooLarge,
  invalidClientContext,
  invalidPayload,
} from "./errors.ts";
import { invocationLog } from "./log-lines.ts";
import type { InvokePools, InvokeTarget } from "./pools.ts";

export interface InvokeInput {
  FunctionName: string;
  InvocationType?: string;
  LogType?: string;
  ClientContext?: string;
  Qualifier?: string;
}

const INVOCATION_TYPES = ["Event", "RequestResponse", "DryRun"];
const LOG_TYPES = ["None", "Tail"];
const EMPTY_EVENT = Buffer.from("{}");

export interface InvokeDeps {
  model: ServiceModel;
  store: LambdaStore;
  pools: InvokePools;
  queue: AsyncInvokeQueue;
  logger: Logger;
  credentials: CredentialStore;
}

export function invokeOperation(deps: InvokeDeps): OperationHandler {
  const { store, pools, queue, credentials } = deps;
  return async (request: ServiceRequest): Promise<ServiceResponse> => {
    const input = invokeInput(request);
    const body = request.body;
    if (!Buffer.isBuffer(body)) throw new Error("Invoke takes a buffered body");
    const { context } = request;
    checkEnums(input);
    const invocationType = input.InvocationType ?? "RequestResponse";

    const located = locateFunction(context, input.FunctionName, input.Qualifier);
    // An unqualified name is $LATEST, and Lambda's not-found text says so.
    const qualifier = input.Qualifier ?? (located.qualifier === undefined ? LATEST : undefined);
    // An alias picks the version by its weighted routing; X-Amz-Executed-Version names that version.
    const resolved = await store.resolve(context, input.FunctionName, qualifier, store.storage, {
      route: true,
      // What locateFunction answers for (name, qualifier): an unqualified name located as $LATEST.
      located:
        qualifier === located.qualifier ? located : { ...located, qualifier: located.qualifier ?? qualifier },
    });
    if (store.nowMs() < resolved.record.activeAtMs) throw functionPending();

    if (invocationType === "Event" && body.length > ASYNC_PAYLOAD_BYTES_MAX) {
      throw asyncPayloadTooLarge(body.length);
    }
    const payload = body.length === 0 ? EMPTY_EVENT : body;
    if (body.length > 0 && !isJson(body)) throw invalidPayload(body);
    const clientContext = decodeClientContext(input.ClientContext);

    if (invocationType === "DryRun") return { status: 204 };

    const target: InvokeTarget = {
      resolved,
      endpointUrl: endpointOf(request),
      credentials: credentialsFor(credentials, context),
    };
    const invokedQualifier = located.qualifier ?? input.Qualifier;
    const invokedFunctionArn =
      invokedQualifier === undefined ? resolved.functionArn : `${resolved.functionArn}:${invokedQualifier}`;
    const options: InvokeOptions = { requestId: context.requestId, invokedFunctionArn };
    if (clientContext !== undefined) options.clientContext = clientContext;

    if (invocationType === "Event") {
      // The 202 acknowledges the event: it is stored durably before the answer (async-queue.ts).
      await queue.accept({
        accountId: context.accountId,
        region: context.region,
        functionName: resolved.record.name,
        ...(invokedQualifier !== undefined ? { qualifier: invokedQualifier } : {}),
        payload: Buffer.from(payload),
        requestId: context.requestId,
        endpointUrl: target.endpointUrl,
        ...(clientContext !== undefined ? { clientContext } : {}),
      });
      return { status: 202 };
    }

    const result = await pools.invoke(target, payload, options);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Amz-Executed-Version": resolved.version,
    };
    if (result.functionError) headers["X-Amz-Function-Error"] = result.functionError;
    if (input.LogType === "Tail") {
      const log = invocationLog(result, logContext(resolved, context));
      headers["X-Amz-Log-Result"] = Buffer.from(ExecutionEnvironment.tail(log)).toString("base64");
    }
    return { status: 200, headers, body: result.payload };
  };
}

/**
 * Invoke's input members, read where the model binds them (lambda.json, InvocationRequest):
 * FunctionName from the path, Qualifier from the query, InvocationType (X-Amz-Invocation-Type),
 * LogType (X-Amz-Log-Type) and ClientContext (X-Amz-Client-Context) from the headers; all are strings,
 * so a repeated parameter gives its first value. The body is the payload, not a document. This is what
 * `restJsonInput(model, "Invoke", …)` builds (test/unit/lambda/invoke-input.test.ts compares them),
 * without walking the shape's members and parsing a JSON body on every invoke.
 */
export function invokeInput(request: Pick<ServiceRequest, "pathParams" | "query" | "headers">): InvokeInput {
  const input: InvokeInput = { FunctionName: request.pathParams.FunctionName as string };
  const qualifier = first(request.query.get("Qualifier"));
  if (qualifier !== undefined) input.Qualifier = qualifier;
  const { headers } = request;
  const invocationType = first(headers["x-amz-invocation-type"]);
  if (invocationType !== undefined) input.InvocationType = invocationType;
  const logType = first(headers["x-amz-log-type"]);
  if (logType !== undefined) input.LogType = logType;
  const clientContext = first(headers["x-amz-client-context"]);
  if (clientContext !== undefined) input.ClientContext = clientContext;
  return input;
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return value === undefined || typeof value === "string" ? value : (value[0] ?? "");
}

function logContext(resolved: ResolvedFunction, context: RequestContext) {
  return {
    requestId: context.requestId,
    version: resolved.version,
    memorySizeMB: resolved.settings.memorySize,
    timeoutSeconds: resolved.settings.timeout,
    now: new Date(),
  };
}

function checkEnums(input: InvokeInput): void {
  const messages: string[] = [];
  if (input.InvocationType !== undefined && !INVOCATION_TYPES.includes(input.InvocationType)) {
    messages.push(
      constraintText(
        "invocationType",
        input.InvocationType,
        `Member must satisfy enum value set: [${INVOCATION_TYPES.join(", ")}]`,
      ),
    );
  }
  if (input.LogType !== undefined && !LOG_TYPES.includes(input.LogType)) {
    messages.push(
      constraintText(
        "logType",
        input.LogType,
        `Member must satisfy enum value set: [${LOG_TYPES.join(", ")}]`,
      ),
    );
  }
  if (messages.length > 0) throw validationErrors(messages);
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/** X-Amz-Client-Context: base64 of a JSON object; the function gets the JSON text. */
function decodeClientContext(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return undefined;
  const text = Buffer.from(header, "base64").toString("utf8");
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidClientContext();
  } catch {
    throw invalidClientContext();
  }
  return text;
}

/** Where this Stratus was reached (the Host header the client sent). */
function endpointOf(request: ServiceRequest): string {
  const host = request.headers.host ?? "localhost:4566";
  return `http://${host}`;
}

/**
 * The function calls Stratus back with its caller's key pair (AWS would hand it the execution role's
 * temporary credentials; roles are not enforced here, so the caller's identity is the honest stand-in).
 */
function credentialsFor(
  store: CredentialStore,
  context: RequestContext,
): { accessKeyId: string; secretAccessKey: string } {
  const known = context.accessKeyId === undefined ? undefined : store.lookup(context.accessKeyId);
  if (known) return { accessKeyId: known.accessKeyId, secretAccessKey: known.secretAccessKey };
  return { accessKeyId: ROOT_CREDENTIAL.accessKeyId, secretAccessKey: ROOT_CREDENTIAL.secretAccessKey };
}

export type { AsyncInvokeQueue };
