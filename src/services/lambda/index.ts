/**
 * Lambda (restJson1 under /2015-03-31/functions): the control plane over one LambdaStore (store.ts):
 * function metadata in the KV store, code as content-addressed zips extracted on disk (code/).
 * Each operation is in control/; every other operation of the model answers AWS's "unknown operation"
 * error with Stratus's not-implemented message. docs/lambda.md has the whole table.
 *
 * ## Gaps
 * - Invoke, versions beyond CreateFunction/UpdateFunctionCode's Publish, aliases, layers, permissions,
 *   concurrency, Function URLs, tags operations, event source mappings: not implemented yet.
 * - Code from S3 (S3Bucket/S3Key) and container images (PackageType Image) are refused.
 * - Roles are checked against the ARN pattern only (IAM does not exist yet), so "The role defined for
 *   the function cannot be assumed by Lambda." is never answered.
 *
 * ## By design
 * - Functions are Active as soon as CreateFunction has answered (the code is extracted before it
 *   answers); the answer itself still says Pending, as Lambda's does.
 */

import { loadModel } from "../../aws/models/index.ts";
import { restJsonHandler } from "../../aws/protocols/rest-json-operation.ts";
import type { OperationHandler, ServiceDeps } from "../service.ts";
import { createFunction } from "./control/create-function.ts";
import { deleteFunction } from "./control/delete-function.ts";
import { getFunction, getFunctionConfiguration, listFunctions } from "./control/get-function.ts";
import { updateFunctionCode, updateFunctionConfiguration } from "./control/update-function.ts";
import { LambdaStore, type LambdaStoreOptions } from "./store.ts";

export interface LambdaService {
  store: LambdaStore;
  operations: Record<string, OperationHandler>;
}

export function createLambdaService(deps: ServiceDeps, options: LambdaStoreOptions = {}): LambdaService {
  const store = new LambdaStore(deps, options);
  const model = loadModel("lambda");
  return {
    store,
    operations: {
      CreateFunction: restJsonHandler(model, "CreateFunction", createFunction(store)),
      GetFunction: restJsonHandler(model, "GetFunction", getFunction(store)),
      GetFunctionConfiguration: restJsonHandler(
        model,
        "GetFunctionConfiguration",
        getFunctionConfiguration(store),
      ),
      ListFunctions: restJsonHandler(model, "ListFunctions", listFunctions(store)),
      DeleteFunction: restJsonHandler(model, "DeleteFunction", deleteFunction(store)),
      UpdateFunctionCode: restJsonHandler(model, "UpdateFunctionCode", updateFunctionCode(store)),
      UpdateFunctionConfiguration: restJsonHandler(
        model,
        "UpdateFunctionConfiguration",
        updateFunctionConfiguration(store),
      ),
    },
  };
}
