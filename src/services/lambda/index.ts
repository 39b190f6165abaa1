/**
 * Lambda (restJson1 under /2015-03-31/functions): the control plane over one LambdaStore (store.ts):
 * function metadata in the KV store, code as content-addressed zips extracted on disk (code/).
 * Each operation is in control/; every other operation of the model answers AWS's "unknown operation"
 * error with Stratus's not-implemented message. docs/lambda.md has the whole table.
 *
 * Invoke (invoke/) runs functions in execution environments (environments/): one pool per function
 * version and RevisionId, disposed on DeleteFunction and at shutdown. Feature modules, each in its own
 * directory and built from LambdaParts (parts.ts): async/ (event invoke configs, retries, destinations),
 * layers/, permissions/ (resource policies), urls/ (Function URLs and their data plane),
 * event-sources/ (DynamoDB Streams mappings), logs/ (function logs into CloudWatch Logs).
 *
 * ## Gaps
 * - Provisioned concurrency, code signing, response streaming, SnapStart, container images
 *   (PackageType Image): not implemented (honest errors).
 * - Roles are checked against the ARN pattern only (IAM does not exist yet), so "The role defined for
 *   the function cannot be assumed by Lambda." is never answered; resource policies are stored, not
 *   enforced.

 * ## By design
 * - Functions are Active as soon as CreateFunction has answered (the code is extracted before it
 *   answers); the answer itself still says Pending, as Lambda's does.
 */

import type { RequestContext } from "../../aws/context.ts";
import { loadModel } from "../../aws/models/index.ts";
import { restJsonHandler } from "../../aws/protocols/rest-json-operation.ts";
import type { OperationHandler, ServiceDeps } from "../service.ts";
import { asyncInvokeConfigOperations } from "./async/operations.ts";
import { asyncProcessor, DEFAULT_RETRY_BASE_MS } from "./async/processor.ts";
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from "./control/aliases.ts";
import {
  type ConcurrencyHooks,
  deleteFunctionConcurrency,
  getAccountSettings,
  getFunctionConcurrency,
  putFunctionConcurrency,
} from "./control/concurrency.ts";
import { createFunction } from "./control/create-function.ts";
import { type DeleteFunctionInput, deleteFunction } from "./control/delete-function.ts";
import { locateFunction } from "./control/function-name.ts";
import { getFunction, getFunctionConfiguration, listFunctions } from "./control/get-function.ts";
import { listTags, tagResource, untagResource } from "./control/tags.ts";
import { updateFunctionCode, updateFunctionConfiguration } from "./control/update-function.ts";
import { listVersionsByFunction, publishVersion } from "./control/versions.ts";
import { eventSourceMappingOperations } from "./event-sources/operations.ts";
import { AsyncInvokeQueue } from "./invoke/async-queue.ts";
import { invokeOperation } from "./invoke/invoke.ts";
import { FunctionInvoker } from "./invoke/invoker.ts";
import { DEFAULT_ACCOUNT_CONCURRENCY, InvokePools, type InvokePoolsOptions } from "./invoke/pools.ts";
import { layerOperations } from "./layers/operations.ts";
import { FunctionLogSink } from "./logs/log-sink.ts";
import type { FunctionDeletedHook, LambdaParts } from "./parts.ts";
import { permissionOperations } from "./permissions/operations.ts";
import { LambdaStore, type LambdaStoreOptions } from "./store.ts";
import { functionUrlOperations } from "./urls/operations.ts";

export interface LambdaService {
  store: LambdaStore;
  pools: InvokePools;
  asyncQueue: AsyncInvokeQueue;
  invoker: FunctionInvoker;
  operations: Record<string, OperationHandler>;
}

export interface LambdaServiceOptions extends LambdaStoreOptions, InvokePoolsOptions {
  /** CloudWatch Logs' store, for function logs. */
  logs?: LambdaParts["logs"];
  /** DynamoDB's store, for stream event source mappings. */
  dynamodb?: LambdaParts["dynamodb"];
  /** S3's in-process API, for code in S3. */
  s3?: LambdaParts["s3"];
  /**
   * Wait before the first retry of an async invocation after a function error (the second waits twice
   * as long). Default STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS or AWS's one minute.
   */
  asyncRetryBaseMs?: number;
}

/**
 * The account concurrency when no option gives one: STRATUS_LAMBDA_ACCOUNT_CONCURRENCY (a positive
 * integer) or AWS's default quota.
 */
function accountConcurrencyFromEnv(): number {
  const value = process.env.STRATUS_LAMBDA_ACCOUNT_CONCURRENCY;
  return value !== undefined && /^[1-9][0-9]*$/.test(value) ? Number(value) : DEFAULT_ACCOUNT_CONCURRENCY;
}

/** STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS (a non-negative integer) or AWS's one minute. */
function asyncRetryBaseFromEnv(): number {
  const value = process.env.STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS;
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : DEFAULT_RETRY_BASE_MS;
}

export function createLambdaService(deps: ServiceDeps, options: LambdaServiceOptions = {}): LambdaService {
  const store = new LambdaStore(deps, options);
  const model = loadModel("lambda");
  // Function logs go to CloudWatch Logs when Lambda runs with it (always, in a full Stratus).
  const functionLogs = options.logs ? new FunctionLogSink(options.logs, deps.logger) : undefined;
  const pools = new InvokePools({
    accountConcurrency: options.accountConcurrency ?? accountConcurrencyFromEnv(),
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    ...(functionLogs !== undefined ? { functionLogs } : {}),
  });
  const asyncQueue = new AsyncInvokeQueue({ storage: deps.storage, clock: deps.clock, logger: deps.logger });
  const invoker = new FunctionInvoker({
    store,
    pools,
    credentials: deps.credentials,
    endpoint: deps.endpoint,
  });
  const deletedHooks: FunctionDeletedHook[] = [];
  const parts: LambdaParts = {
    onFunctionDeleted: (hook) => deletedHooks.push(hook),
    deps,
    model,
    store,
    pools,
    asyncQueue,
    invoker,
    logger: deps.logger,
    credentials: deps.credentials,
    ...(options.logs !== undefined ? { logs: options.logs } : {}),
    ...(options.dynamodb !== undefined ? { dynamodb: options.dynamodb } : {}),
    ...(options.s3 !== undefined ? { s3: options.s3 } : {}),
  };
  // Events accepted before a restart run again; new ones run as they are accepted.
  asyncQueue
    .start(asyncProcessor(parts, { retryBaseMs: options.asyncRetryBaseMs ?? asyncRetryBaseFromEnv() }))
    .catch((error: Error) => deps.logger.warn(`lambda: resuming async invocations failed: ${error.message}`));
  deps.onClose(async () => {
    asyncQueue.close();
    await pools.disposeAll();
    await functionLogs?.close();
  });
  const remove = deleteFunction(store);
  const hooks: ConcurrencyHooks = {
    accountConcurrency: pools.accountConcurrency,
    setReservation: (accountId, region, name, reserved) =>
      pools.setReservation(accountId, region, name, reserved),
  };
  return {
    store,
    pools,
    asyncQueue,
    invoker,
    operations: {
      // Feature modules, each in its own directory.
      ...asyncInvokeConfigOperations(parts),
      ...layerOperations(parts),
      ...permissionOperations(parts),
      ...functionUrlOperations(parts),
      ...eventSourceMappingOperations(parts),
      Invoke: invokeOperation({
        model,
        store,
        pools,
        queue: asyncQueue,
        logger: deps.logger,
        credentials: deps.credentials,
      }),
      CreateFunction: restJsonHandler(model, "CreateFunction", createFunction(store, options.s3)),
      GetFunction: restJsonHandler(model, "GetFunction", getFunction(store)),
      GetFunctionConfiguration: restJsonHandler(
        model,
        "GetFunctionConfiguration",
        getFunctionConfiguration(store),
      ),
      ListFunctions: restJsonHandler(model, "ListFunctions", listFunctions(store)),
      DeleteFunction: restJsonHandler(
        model,
        "DeleteFunction",
        async (input: DeleteFunctionInput, context: RequestContext) => {
          const result = await remove(input, context);
          const located = locateFunction(context, input.FunctionName, input.Qualifier);
          await pools.disposeFunction(context.accountId, context.region, located.name, located.qualifier);
          for (const hook of deletedHooks) {
            await hook(context.accountId, context.region, located.name, located.qualifier);
          }
          return result;
        },
      ),
      UpdateFunctionCode: restJsonHandler(model, "UpdateFunctionCode", updateFunctionCode(store, options.s3)),
      UpdateFunctionConfiguration: restJsonHandler(
        model,
        "UpdateFunctionConfiguration",
        updateFunctionConfiguration(store),
      ),
      PublishVersion: restJsonHandler(model, "PublishVersion", publishVersion(store)),
      ListVersionsByFunction: restJsonHandler(model, "ListVersionsByFunction", listVersionsByFunction(store)),
      CreateAlias: restJsonHandler(model, "CreateAlias", createAlias(store)),
      GetAlias: restJsonHandler(model, "GetAlias", getAlias(store)),
      UpdateAlias: restJsonHandler(model, "UpdateAlias", updateAlias(store)),
      DeleteAlias: restJsonHandler(model, "DeleteAlias", deleteAlias(store)),
      ListAliases: restJsonHandler(model, "ListAliases", listAliases(store)),
      PutFunctionConcurrency: restJsonHandler(
        model,
        "PutFunctionConcurrency",
        putFunctionConcurrency(store, hooks),
      ),
      GetFunctionConcurrency: restJsonHandler(model, "GetFunctionConcurrency", getFunctionConcurrency(store)),
      DeleteFunctionConcurrency: restJsonHandler(
        model,
        "DeleteFunctionConcurrency",
        deleteFunctionConcurrency(store, hooks),
      ),
      GetAccountSettings: restJsonHandler(model, "GetAccountSettings", getAccountSettings(store, hooks)),
      TagResource: restJsonHandler(model, "TagResource", tagResource(store)),
      UntagResource: restJsonHandler(model, "UntagResource", untagResource(store)),
      ListTags: restJsonHandler(model, "ListTags", listTags(store)),
    },
  };
}
