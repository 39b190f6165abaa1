/**
 * A layer version's resource policy: AddLayerVersionPermission (POST …/policy, 201),
 * RemoveLayerVersionPermission (DELETE …/policy/{StatementId}, 204) and GetLayerVersionPolicy.
 *
 * Statements render as in the AWS CLI reference's examples: an account principal becomes
 * `{"AWS": "arn:aws:iam::ACCOUNT:root"}`, `*` stays `*`, an OrganizationId becomes the condition
 * `{"StringEquals": {"aws:PrincipalOrgID": ORG}}`. Texts of the errors from LocalStack's provider.
 *
 * The policy is enforced where it matters in Stratus: a function of another account may use the layer
 * version when a statement names its account or `*` without an organization (Stratus knows no
 * organizations, so an organization-scoped statement grants nothing).
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import { optionalString, throwIfAny } from "../control/validate.ts";
import {
  constraintText,
  layerPolicyNotFound,
  layerPolicyRevisionMismatch,
  layerStatementExists,
  layerStatementNotFound,
  layerVersionNotFound,
  validationErrors,
} from "../errors.ts";
import type { LambdaStore } from "../store.ts";
import { getLayerVersion, type LayerStatement, layerVersionArn, putLayerVersion } from "./layer-store.ts";
import { findLayerVersion, type LayerVersionInput } from "./versions.ts";

export interface AddLayerPermissionInput extends LayerVersionInput {
  StatementId?: unknown;
  Action?: unknown;
  Principal?: unknown;
  OrganizationId?: unknown;
  RevisionId?: unknown;
}

export interface RemoveLayerPermissionInput extends LayerVersionInput {
  StatementId: string;
  RevisionId?: unknown;
}

const STATEMENT_ID_PATTERN = "([a-zA-Z0-9-_]+)";
const STATEMENT_ID = /^([a-zA-Z0-9-_]+)$/;
const ACTION_PATTERN = "lambda:GetLayerVersion";
const PRINCIPAL_PATTERN = "\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root";
const PRINCIPAL = /^(?:\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$/;
const ORGANIZATION_PATTERN = "o-[a-z0-9]{10,32}";
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;

function statementJson(statement: LayerStatement, resource: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Sid: statement.sid,
    Effect: "Allow",
    Principal: /^\d{12}$/.test(statement.principal)
      ? { AWS: `arn:aws:iam::${statement.principal}:root` }
      : statement.principal === "*"
        ? "*"
        : { AWS: statement.principal },
    Action: statement.action,
    Resource: resource,
  };
  if (statement.organizationId !== undefined) {
    out.Condition = { StringEquals: { "aws:PrincipalOrgID": statement.organizationId } };
  }
  return out;
}

function checkStatementId(value: string | undefined, messages: string[]): void {
  if (value === undefined) {
    messages.push(constraintText("statementId", undefined, "Member must not be null"));
    return;
  }
  if (value.length > 100)
    messages.push(constraintText("statementId", value, "Member must have length less than or equal to 100"));
  if (value.length < 1)
    messages.push(constraintText("statementId", value, "Member must have length greater than or equal to 1"));
  if (!STATEMENT_ID.test(value)) {
    messages.push(
      constraintText(
        "statementId",
        value,
        `Member must satisfy regular expression pattern: ${STATEMENT_ID_PATTERN}`,
      ),
    );
  }
}

export function addLayerVersionPermission(store: LambdaStore) {
  return async (input: AddLayerPermissionInput, context: RequestContext): Promise<RestJsonResult> => {
    const statementId = optionalString(input.StatementId, "StatementId");
    const action = optionalString(input.Action, "Action");
    const principal = optionalString(input.Principal, "Principal");
    const organizationId = optionalString(input.OrganizationId, "OrganizationId");
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    const messages: string[] = [];
    checkStatementId(statementId, messages);
    if (action === undefined) messages.push(constraintText("action", undefined, "Member must not be null"));
    else if (action !== ACTION_PATTERN) {
      messages.push(
        constraintText("action", action, `Member must satisfy regular expression pattern: ${ACTION_PATTERN}`),
      );
    }
    if (principal === undefined)
      messages.push(constraintText("principal", undefined, "Member must not be null"));
    else if (!PRINCIPAL.test(principal)) {
      messages.push(
        constraintText(
          "principal",
          principal,
          `Member must satisfy regular expression pattern: ${PRINCIPAL_PATTERN}`,
        ),
      );
    }
    if (organizationId !== undefined && !ORGANIZATION.test(organizationId)) {
      messages.push(
        constraintText(
          "organizationId",
          organizationId,
          `Member must satisfy regular expression pattern: ${ORGANIZATION_PATTERN}`,
        ),
      );
    }
    if (messages.length > 0) throw validationErrors(messages);
    const found = await findLayerVersion(store, context, input);
    if (!found.record) throw layerVersionNotFound(found.arn);
    const { accountId, region, name, version } = found.record;
    const result = await store.storage.transaction(async (tx) => {
      const record = await getLayerVersion(tx, accountId, region, name, version);
      if (!record) throw layerVersionNotFound(found.arn);
      const statements = record.policy?.statements ?? [];
      if (statements.some((s) => s.sid === statementId)) throw layerStatementExists(statementId ?? "");
      if (revisionId !== undefined && revisionId !== record.policy?.revisionId)
        throw layerPolicyRevisionMismatch();
      const statement: LayerStatement = {
        sid: statementId ?? "",
        action: action ?? "",
        principal: principal ?? "",
        ...(organizationId !== undefined ? { organizationId } : {}),
      };
      record.policy = { revisionId: randomUUID(), statements: [...statements, statement] };
      putLayerVersion(tx, record);
      return { statement, record };
    });
    return {
      status: 201,
      body: {
        Statement: JSON.stringify(statementJson(result.statement, layerVersionArn(result.record))),
        RevisionId: result.record.policy?.revisionId,
      },
    };
  };
}

export function removeLayerVersionPermission(store: LambdaStore) {
  return async (input: RemoveLayerPermissionInput, context: RequestContext): Promise<RestJsonResult> => {
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    const messages: string[] = [];
    checkStatementId(input.StatementId, messages);
    throwIfAny(messages);
    const found = await findLayerVersion(store, context, input);
    if (!found.record) throw layerVersionNotFound(found.arn);
    const { accountId, region, name, version } = found.record;
    await store.storage.transaction(async (tx) => {
      const record = await getLayerVersion(tx, accountId, region, name, version);
      if (!record) throw layerVersionNotFound(found.arn);
      if (revisionId !== undefined && revisionId !== record.policy?.revisionId)
        throw layerPolicyRevisionMismatch();
      const statements = record.policy?.statements ?? [];
      if (!statements.some((s) => s.sid === input.StatementId))
        throw layerStatementNotFound(input.StatementId);
      record.policy = {
        revisionId: randomUUID(),
        statements: statements.filter((s) => s.sid !== input.StatementId),
      };
      putLayerVersion(tx, record);
    });
    return { status: 204 };
  };
}

export function getLayerVersionPolicy(store: LambdaStore) {
  return async (input: LayerVersionInput, context: RequestContext): Promise<RestJsonResult> => {
    const found = await findLayerVersion(store, context, input);
    if (!found.record) throw layerVersionNotFound(found.arn);
    const policy = found.record.policy;
    if (!policy || policy.statements.length === 0) throw layerPolicyNotFound();
    const resource = layerVersionArn(found.record);
    return {
      body: {
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Id: "default",
          Statement: policy.statements.map((s) => statementJson(s, resource)),
        }),
        RevisionId: policy.revisionId,
      },
    };
  };
}
