/**
 * What Lambda's feature modules (async/, layers/, permissions/, urls/, event-sources/) are built from:
 * the shared store, environment pools, async queue and in-process invoker, plus the other services'
 * stores Lambda works with. Each module exports a function of LambdaParts that returns its operations.
 */
import type { CredentialStore } from "../../aws/credentials.ts";
import type { ServiceModel } from "../../aws/models/index.ts";
import type { Logger } from "../../log.ts";
import type { DynamoDbStore } from "../dynamodb/store.ts";
import type { LogsStore } from "../logs/store.ts";
import type { S3Api } from "../s3/api.ts";
import type { ServiceDeps } from "../service.ts";
import type { AsyncInvokeQueue } from "./invoke/async-queue.ts";
import type { FunctionInvoker } from "./invoke/invoker.ts";
import type { InvokePools } from "./invoke/pools.ts";
import type { LambdaStore } from "./store.ts";

export interface LambdaParts {
  deps: ServiceDeps;
  model: ServiceModel;
  store: LambdaStore;
  pools: InvokePools;
  asyncQueue: AsyncInvokeQueue;
  invoker: FunctionInvoker;
  logger: Logger;
  credentials: CredentialStore;
  /** CloudWatch Logs, for function logs (absent in tests that build Lambda alone). */
  logs?: LogsStore;
  /**
   * Registers cleanup for DeleteFunction: called after the function (qualifier undefined) or one of
   * its versions was deleted, so each module removes its own records (URL configs, policies...).
   */
  onFunctionDeleted(hook: FunctionDeletedHook): void;
  /** S3, where function and layer code may come from (Code.S3Bucket/S3Key). */
  s3?: S3Api;
  /** DynamoDB, whose streams event source mappings read (absent in tests that build Lambda alone). */
  dynamodb?: DynamoDbStore;
}

export type FunctionDeletedHook = (
  accountId: string,
  region: string,
  name: string,
  qualifier: string | undefined,
) => Promise<void> | void;
