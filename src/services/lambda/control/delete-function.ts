/**
 * DeleteFunction (DELETE /2015-03-31/functions/{FunctionName}, 204): the function with all its
 * versions, or one published version when a Qualifier names it.
 *
 * ## Gaps
 * - The code on disk stays (code/code-store.ts: packages are shared and not collected yet).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import { functionNotFound, latestCannotBeDeleted } from "../errors.ts";
import { functionArn, LATEST, type LambdaStore } from "../store.ts";
import { locateFunction } from "./function-name.ts";

export interface DeleteFunctionInput {
  FunctionName: string;
  Qualifier?: string;
}

export function deleteFunction(store: LambdaStore) {
  return async (input: DeleteFunctionInput, context: RequestContext): Promise<RestJsonResult> => {
    const located = locateFunction(context, input.FunctionName, input.Qualifier);
    if (located.qualifier === LATEST) throw latestCannotBeDeleted();
    const notFound = () =>
      functionNotFound(functionArn(context.region, located.accountId, located.name, located.qualifier));
    if (located.accountId !== context.accountId) throw notFound();
    await store.storage.transaction(async (tx) => {
      const record = await store.get(tx, context.accountId, context.region, located.name);
      if (!record) throw notFound();
      if (located.qualifier === undefined) {
        await store.delete(tx, record);
        return;
      }
      const number = /^[1-9][0-9]{0,15}$/.test(located.qualifier) ? Number(located.qualifier) : undefined;
      if (number === undefined || !(await store.getVersion(tx, record, number))) throw notFound();
      tx.delete(store.versionKey(record.accountId, record.region, record.name, number));
    });
    return { status: 204 };
  };
}
