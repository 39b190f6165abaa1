/**
 * AddPermission (POST …/policy, 201), RemovePermission (DELETE …/policy/{StatementId}, 204) and
 * GetPolicy (GET …/policy): the resource-based policy of a function, of one of its versions or of
 * one of its aliases (Qualifier), kept in policy-store.ts and deleted with its function, version or
 * alias.
 *
 * Checks in Lambda's order (LocalStack's provider, whose permission tests are recorded against
 * Lambda): the model's constraints; AddPermission on $LATEST; the function ("Function not found:
 * ARN"; RemovePermission: "No policy found for: ARN"); the version or alias; RevisionId (the
 * resource's); then the statement id. GetPolicy does not resolve the qualifier: a version or alias
 * without a policy is "The resource you requested does not exist.", like a function without one.
 *
 * ## By design
 * - The policy is stored and reported, not enforced: Stratus has no IAM yet, so every caller may
 *   invoke every function of its account whatever the policy says.
 * ## Gaps
 * - Lambda's per-policy size quota (PolicyLengthExceededException, 20 KB) is not checked.
 * - The Action is checked against the model's pattern only, not against the list of Lambda actions.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { type RestJsonResult, restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { OperationHandler } from "../../service.ts";
import { locateFunction } from "../control/function-name.ts";
import { optionalString } from "../control/validate.ts";
import {
  functionNotFound,
  noPolicyAssociated,
  noPolicyFoundFor,
  policyNotFound,
  policyOnLatestNotSupported,
  revisionMismatch,
  statementIdExists,
  statementNotFound,
  validationErrors,
} from "../errors.ts";
import type { LambdaParts } from "../parts.ts";
import { LATEST, type LambdaStore } from "../store.ts";
import { deleteAllPolicies, deletePolicy, getPolicy, policyDocument, putPolicy } from "./policy-store.ts";
import {
  type AddPermissionInput,
  buildStatement,
  memberConstraints,
  permissionRequest,
} from "./statement.ts";
import { findFunction, resolveTarget, reviseTarget, unqualifiedArn } from "./target.ts";

export interface RemovePermissionInput {
  FunctionName: string;
  StatementId: string;
  Qualifier?: string;
  RevisionId?: string;
}

export interface GetPolicyInput {
  FunctionName: string;
  Qualifier?: string;
}

/** RemovePermission's StatementId (NamespacedStatementId in the model: dots allowed). */
const NAMESPACED_STATEMENT_ID = {
  member: "statementId",
  lengthMin: 1,
  lengthMax: 100,
  pattern: "([a-zA-Z0-9-_.]+)",
};

export function addPermission(store: LambdaStore) {
  return async (input: AddPermissionInput, context: RequestContext): Promise<RestJsonResult> => {
    const request = permissionRequest(input);
    const located = locateFunction(context, input.FunctionName, input.Qualifier);
    if (located.qualifier === LATEST) throw policyOnLatestNotSupported();
    const statement = await store.storage.transaction(async (tx) => {
      const record = await findFunction(store, context, tx, located.accountId, located.name);
      if (!record) throw functionNotFound(unqualifiedArn(context, located.accountId, located.name));
      const target = await resolveTarget(store, tx, record, located.qualifier);
      if (request.revisionId !== undefined && request.revisionId !== target.revisionId) {
        throw revisionMismatch();
      }
      const statements = (await getPolicy(tx, target.policy))?.statements ?? [];
      if (statements.some((s) => s.Sid === request.statementId)) {
        throw statementIdExists(request.statementId);
      }
      const statement = buildStatement(request, target.resourceArn);
      putPolicy(tx, target.policy, [...statements, statement]);
      await reviseTarget(store, tx, target);
      return statement;
    });
    return { status: 201, body: { Statement: JSON.stringify(statement) } };
  };
}

export function removePermission(store: LambdaStore) {
  return async (input: RemovePermissionInput, context: RequestContext): Promise<RestJsonResult> => {
    const statementId = input.StatementId;
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    const messages = memberConstraints(NAMESPACED_STATEMENT_ID, statementId, true);
    if (messages.length > 0) throw validationErrors(messages);
    const located = locateFunction(context, input.FunctionName, input.Qualifier);
    await store.storage.transaction(async (tx) => {
      const record = await findFunction(store, context, tx, located.accountId, located.name);
      if (!record) throw noPolicyFoundFor(unqualifiedArn(context, located.accountId, located.name));
      const target = await resolveTarget(store, tx, record, located.qualifier);
      const policy = await getPolicy(tx, target.policy);
      if (!policy) throw noPolicyAssociated();
      if (!policy.statements.some((s) => s.Sid === statementId)) throw statementNotFound(statementId);
      if (revisionId !== undefined && revisionId !== target.revisionId) throw revisionMismatch();
      putPolicy(
        tx,
        target.policy,
        policy.statements.filter((s) => s.Sid !== statementId),
      );
      await reviseTarget(store, tx, target);
    });
    return { status: 204 };
  };
}

export function getPolicyOperation(store: LambdaStore) {
  return async (input: GetPolicyInput, context: RequestContext): Promise<RestJsonResult> => {
    const located = locateFunction(context, input.FunctionName, input.Qualifier);
    const record = await findFunction(store, context, store.storage, located.accountId, located.name);
    if (!record) throw functionNotFound(unqualifiedArn(context, located.accountId, located.name));
    const qualifier = located.qualifier ?? LATEST;
    const policy = await getPolicy(store.storage, {
      accountId: record.accountId,
      region: record.region,
      name: record.name,
      qualifier,
    });
    if (!policy) throw policyNotFound();
    const target = await resolveTarget(store, store.storage, record, qualifier).catch(() => {
      // A policy whose version or alias is gone (deleted outside DeleteFunction/DeleteAlias).
      throw policyNotFound();
    });
    return { body: { Policy: policyDocument(policy.statements), RevisionId: target.revisionId } };
  };
}

export function permissionOperations(parts: LambdaParts): Record<string, OperationHandler> {
  const { model, store } = parts;
  parts.onFunctionDeleted(async (accountId, region, name, qualifier) => {
    await store.storage.transaction(async (tx) => {
      if (qualifier === undefined) await deleteAllPolicies(tx, accountId, region, name);
      else deletePolicy(tx, { accountId, region, name, qualifier });
    });
  });
  return {
    AddPermission: restJsonHandler(model, "AddPermission", addPermission(store)),
    RemovePermission: restJsonHandler(model, "RemovePermission", removePermission(store)),
    GetPolicy: restJsonHandler(model, "GetPolicy", getPolicyOperation(store)),
  };
}
