/**
 * AddPermission's members: the model's constraints (one ValidationException listing every failure,
 * in the model's member order) and the policy statement Lambda writes for them.
 *
 * The statement's shape is AWS's (the API reference's AddPermission and GetPolicy examples, in the
 * AWS model's examples-1.json): members Sid, Effect, Principal, Action, Resource, Condition in that
 * order; a 12-digit account id becomes {"AWS":"arn:aws:iam::ID:root"}, an IAM ARN {"AWS":ARN}, a
 * service's domain {"Service":DOMAIN}, "*" stays "*" (LocalStack's build_statement, recorded against
 * Lambda); SourceAccount → StringEquals AWS:SourceAccount, SourceArn → ArnLike AWS:SourceArn,
 * EventSourceToken → StringEquals lambda:EventSourceToken, PrincipalOrgID → StringEquals
 * aws:PrincipalOrgID, FunctionUrlAuthType → StringEquals lambda:FunctionUrlAuthType,
 * InvokedViaFunctionUrl → Bool lambda:InvokedViaFunctionUrl "true" (AWS's function URL docs).
 * The order of several keys inside one condition operator is not confirmed by a recording.
 */

import { functionNameConstraints, qualifierConstraints } from "../control/function-name.ts";
import { optionalBoolean, optionalString } from "../control/validate.ts";
import { constraintText, invalidPrincipal, validationErrors } from "../errors.ts";
import type { PolicyStatement } from "./policy-store.ts";

export interface AddPermissionInput {
  FunctionName: string;
  StatementId?: unknown;
  Action?: unknown;
  Principal?: unknown;
  SourceArn?: unknown;
  SourceAccount?: unknown;
  EventSourceToken?: unknown;
  Qualifier?: string;
  RevisionId?: unknown;
  PrincipalOrgID?: unknown;
  FunctionUrlAuthType?: unknown;
  InvokedViaFunctionUrl?: unknown;
}

/** AddPermission's members once their types and the model's constraints are checked. */
export interface PermissionRequest {
  statementId: string;
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  eventSourceToken?: string;
  revisionId?: string;
  principalOrgId?: string;
  functionUrlAuthType?: string;
  invokedViaFunctionUrl?: boolean;
}

/** A string member's constraints in the model: lengths, then pattern, then enum. */
interface MemberRule {
  member: string;
  lengthMin?: number;
  lengthMax?: number;
  pattern?: string;
  values?: readonly string[];
}

export const STATEMENT_ID_PATTERN = "([a-zA-Z0-9-_]+)";
const RULES = {
  statementId: { member: "statementId", lengthMin: 1, lengthMax: 100, pattern: STATEMENT_ID_PATTERN },
  action: { member: "action", pattern: "(lambda:[*]|lambda:[a-zA-Z]+|[*])" },
  principal: { member: "principal", pattern: "[^\\s]+" },
  sourceArn: {
    member: "sourceArn",
    pattern: "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)",
  },
  sourceAccount: { member: "sourceAccount", lengthMax: 12, pattern: "\\d{12}" },
  eventSourceToken: { member: "eventSourceToken", lengthMax: 256, pattern: "[a-zA-Z0-9._\\-]+" },
  principalOrgId: { member: "principalOrgID", lengthMin: 12, lengthMax: 34, pattern: "o-[a-z0-9]{10,32}" },
  functionUrlAuthType: { member: "functionUrlAuthType", values: ["NONE", "AWS_IAM"] },
} satisfies Record<string, MemberRule>;

/** The constraint texts of one string member (none when it is absent and not required). */
export function memberConstraints(rule: MemberRule, value: string | undefined, required = false): string[] {
  if (value === undefined) {
    return required ? [constraintText(rule.member, undefined, "Member must not be null")] : [];
  }
  const out: string[] = [];
  if (rule.lengthMax !== undefined && value.length > rule.lengthMax) {
    out.push(
      constraintText(rule.member, value, `Member must have length less than or equal to ${rule.lengthMax}`),
    );
  }
  if (rule.lengthMin !== undefined && value.length < rule.lengthMin) {
    out.push(
      constraintText(
        rule.member,
        value,
        `Member must have length greater than or equal to ${rule.lengthMin}`,
      ),
    );
  }
  if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`).test(value)) {
    out.push(
      constraintText(rule.member, value, `Member must satisfy regular expression pattern: ${rule.pattern}`),
    );
  }
  if (rule.values !== undefined && !rule.values.includes(value)) {
    out.push(
      constraintText(rule.member, value, `Member must satisfy enum value set: [${rule.values.join(", ")}]`),
    );
  }
  return out;
}

/** AddPermission's members, checked as the model constrains them (ValidationException otherwise). */
export function permissionRequest(input: AddPermissionInput): PermissionRequest {
  const statementId = optionalString(input.StatementId, "StatementId");
  const action = optionalString(input.Action, "Action");
  const principal = optionalString(input.Principal, "Principal");
  const sourceArn = optionalString(input.SourceArn, "SourceArn");
  const sourceAccount = optionalString(input.SourceAccount, "SourceAccount");
  const eventSourceToken = optionalString(input.EventSourceToken, "EventSourceToken");
  const revisionId = optionalString(input.RevisionId, "RevisionId");
  const principalOrgId = optionalString(input.PrincipalOrgID, "PrincipalOrgID");
  const functionUrlAuthType = optionalString(input.FunctionUrlAuthType, "FunctionUrlAuthType");
  const invokedViaFunctionUrl = optionalBoolean(input.InvokedViaFunctionUrl, "InvokedViaFunctionUrl");
  const messages = [
    ...functionNameConstraints(input.FunctionName, false),
    ...memberConstraints(RULES.statementId, statementId, true),
    ...memberConstraints(RULES.action, action, true),
    ...memberConstraints(RULES.principal, principal, true),
    ...memberConstraints(RULES.sourceArn, sourceArn),
    ...memberConstraints(RULES.sourceAccount, sourceAccount),
    ...memberConstraints(RULES.eventSourceToken, eventSourceToken),
    ...(input.Qualifier !== undefined ? qualifierConstraints(input.Qualifier) : []),
    ...memberConstraints(RULES.principalOrgId, principalOrgId),
    ...memberConstraints(RULES.functionUrlAuthType, functionUrlAuthType),
  ];
  if (messages.length > 0) throw validationErrors(messages.slice(0, 10));
  // The checks above throw when a required member is missing.
  return {
    statementId: statementId as string,
    action: action as string,
    principal: principal as string,
    ...(sourceArn !== undefined ? { sourceArn } : {}),
    ...(sourceAccount !== undefined ? { sourceAccount } : {}),
    ...(eventSourceToken !== undefined ? { eventSourceToken } : {}),
    ...(revisionId !== undefined ? { revisionId } : {}),
    ...(principalOrgId !== undefined ? { principalOrgId } : {}),
    ...(functionUrlAuthType !== undefined ? { functionUrlAuthType } : {}),
    ...(invokedViaFunctionUrl !== undefined ? { invokedViaFunctionUrl } : {}),
  };
}

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:aws[a-zA-Z-]*:iam:/;
/** Service principals: `s3.amazonaws.com`, `apigateway.amazonaws.com`, Alexa's `alexa-appkit.amazon.com`. */
const SERVICE = /\.amazon(aws)?\.com$/;

function principalOf(principal: string): PolicyStatement["Principal"] {
  if (principal === "*") return "*";
  if (SERVICE.test(principal)) return { Service: principal };
  if (ACCOUNT_ID.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (IAM_ARN.test(principal)) return { AWS: principal };
  throw invalidPrincipal();
}

/** The statement Lambda adds to the policy of `resourceArn` (the function's ARN, qualified or not). */
export function buildStatement(request: PermissionRequest, resourceArn: string): PolicyStatement {
  const statement: PolicyStatement = {
    Sid: request.statementId,
    Effect: "Allow",
    Principal: principalOf(request.principal),
    Action: request.action,
    Resource: resourceArn,
  };
  const stringEquals: Record<string, string> = {};
  if (request.sourceAccount !== undefined) stringEquals["AWS:SourceAccount"] = request.sourceAccount;
  if (request.principalOrgId !== undefined) stringEquals["aws:PrincipalOrgID"] = request.principalOrgId;
  if (request.eventSourceToken !== undefined) {
    stringEquals["lambda:EventSourceToken"] = request.eventSourceToken;
  }
  if (request.functionUrlAuthType !== undefined) {
    stringEquals["lambda:FunctionUrlAuthType"] = request.functionUrlAuthType;
  }
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(stringEquals).length > 0) condition.StringEquals = stringEquals;
  if (request.sourceArn !== undefined) condition.ArnLike = { "AWS:SourceArn": request.sourceArn };
  if (request.invokedViaFunctionUrl === true) condition.Bool = { "lambda:InvokedViaFunctionUrl": "true" };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}
