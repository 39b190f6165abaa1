/**
 * DeleteFunction (DELETE /2015-03-31/functions/{FunctionName}, 204): the function with all its
 * versions and aliases, or one published version when a Qualifier names it.
 *
 * Refusals, in Lambda's order: an alias as Qualifier ("Deletion of aliases is not currently
 * supported.", LocalStack's provider, recorded against Lambda), $LATEST, then a version that aliases
 * still reference: ResourceConflictException "Unable to delete version because the following aliases
 * reference it: [live]" (Lambda's text as users quote it). An alias references a version through its
 * FunctionVersion or its RoutingConfig's additional version (the routing case is unconfirmed).
 * Feature modules remove their own records of the function or version afterwards (parts.ts
 * `onFunctionDeleted`).
 *
 * ## Gaps
 * - The code on disk stays (code/code-store.ts: packages are shared and not collected yet).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import {
  aliasDeletionNotSupported,
  functionNotFound,
  latestCannotBeDeleted,
  versionReferencedByAliases,
} from "../errors.ts";
import { functionArn, LATEST, type LambdaStore } from "../store.ts";
import { locateFunction } from "./function-name.ts";
import { deletePublishedFrom } from "./versions.ts";

export interface DeleteFunctionInput {
  FunctionName: string;
  Qualifier?: string;
}

/** An alias name: not all digits, no `$` (the model's alias pattern). */
const ALIAS = /^(?![0-9]+$)[a-zA-Z0-9-_]+$/;

export function deleteFunction(store: LambdaStore) {
  return async (input: DeleteFunctionInput, context: RequestContext): Promise<RestJsonResult> => {
    const located = locateFunction(context, input.FunctionName, input.Qualifier);
    if (located.qualifier !== undefined && ALIAS.test(located.qualifier)) throw aliasDeletionNotSupported();
    if (located.qualifier === LATEST) throw latestCannotBeDeleted();
    const notFound = () =>
      functionNotFound(functionArn(context.region, located.accountId, located.name, located.qualifier));
    if (located.accountId !== context.accountId) throw notFound();
    await store.storage.transaction(async (tx) => {
      const record = await store.get(tx, context.accountId, context.region, located.name);
      if (!record) throw notFound();
      if (located.qualifier === undefined) {
        await store.delete(tx, record);
        deletePublishedFrom(tx, record);
        return;
      }
      const number = /^[1-9][0-9]{0,15}$/.test(located.qualifier) ? Number(located.qualifier) : undefined;
      if (number === undefined || !(await store.getVersion(tx, record, number))) throw notFound();
      const version = String(number);
      const referencing = (await store.listAliases(tx, record))
        .filter((alias) => alias.functionVersion === version || alias.weights?.[version] !== undefined)
        .map((alias) => alias.alias);
      if (referencing.length > 0) throw versionReferencedByAliases(referencing);
      tx.delete(store.versionKey(record.accountId, record.region, record.name, number));
    });
    return { status: 204 };
  };
}
