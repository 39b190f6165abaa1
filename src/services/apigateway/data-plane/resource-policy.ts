/**
 * A REST API's resource policy (the API's `policy`), evaluated at the invoke URL for the caller and
 * the method ARN: an explicit Deny refuses; otherwise an unsigned caller (NONE and CUSTOM methods)
 * needs an explicit Allow, while an IAM caller is allowed by its identity policy (which Stratus does
 * not enforce), so only a Deny can refuse it.
 *
 * Statements apply when Effect, Action (`execute-api:Invoke`, wildcards), Resource (full ARNs or the
 * `execute-api:/{stage}/{METHOD}/{path}` shorthand, wildcards), Principal (`*`, `{"AWS": "*"}`, or
 * account ids/ARNs of an IAM caller) and Condition match. Conditions: IpAddress/NotIpAddress on
 * aws:SourceIp (IPv4 CIDR), String(Not)Equals/String(Not)Like on aws:SourceIp, aws:SourceVpc,
 * aws:SourceVpce, aws:PrincipalAccount; any other condition makes its statement not apply.
 *
 * Refusals (AWS knowledge center "troubleshoot 403"): 403 AccessDeniedException "User: {caller} is
 * not authorized to perform: execute-api:Invoke on resource: {arn}[ with an explicit deny]", the
 * caller `anonymous` when unsigned.
 */
import { GatewayError } from "./gateway-responses.ts";
import { list, wildcard } from "./policy.ts";

export interface PolicyCaller {
  /** undefined for unsigned callers ("anonymous"). */
  accountId?: string;
  arn?: string;
  sourceIp: string;
}

type Statement = Record<string, unknown>;

function ipv4(ip: string): number | undefined {
  const parts = ip.replace(/^::ffff:/, "").split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bitsText] = cidr.split("/");
  const address = ipv4(ip);
  const network = ipv4(base);
  if (address === undefined || network === undefined) return ip === cidr;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(network / size);
}

function conditionKey(key: string, caller: PolicyCaller): string | undefined {
  switch (key.toLowerCase()) {
    case "aws:sourceip":
      return caller.sourceIp.replace(/^::ffff:/, "");
    case "aws:principalaccount":
      return caller.accountId;
    default:
      // aws:SourceVpc / aws:SourceVpce: Stratus's callers never come through a VPC endpoint.
      return undefined;
  }
}

function conditionsHold(condition: unknown, caller: PolicyCaller): boolean {
  if (condition === undefined || condition === null) return true;
  if (typeof condition !== "object") return false;
  for (const [operator, entries] of Object.entries(condition as Record<string, unknown>)) {
    if (entries === null || typeof entries !== "object") return false;
    for (const [key, expected] of Object.entries(entries as Record<string, unknown>)) {
      const values = list(expected);
      const actual = conditionKey(key, caller);
      const isSupportedKey = [
        "aws:sourceip",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:principalaccount",
      ].includes(key.toLowerCase());
      if (!isSupportedKey) return false;
      let holds: boolean;
      switch (operator) {
        case "IpAddress":
          holds = actual !== undefined && values.some((v) => inCidr(actual, v));
          break;
        case "NotIpAddress":
          holds = actual === undefined || !values.some((v) => inCidr(actual, v));
          break;
        case "StringEquals":
          holds = actual !== undefined && values.includes(actual);
          break;
        case "StringNotEquals":
          holds = actual === undefined || !values.includes(actual);
          break;
        case "StringLike":
          holds = actual !== undefined && values.some((v) => wildcard(v).test(actual));
          break;
        case "StringNotLike":
          holds = actual === undefined || !values.some((v) => wildcard(v).test(actual));
          break;
        default:
          return false;
      }
      if (!holds) return false;
    }
  }
  return true;
}

function principalMatches(principal: unknown, caller: PolicyCaller): boolean {
  if (principal === "*") return true;
  if (principal === null || typeof principal !== "object") return false;
  const aws = list((principal as Record<string, unknown>).AWS);
  if (aws.includes("*")) return true;
  if (caller.accountId === undefined) return false;
  return aws.some(
    (p) => p === caller.accountId || p === `arn:aws:iam::${caller.accountId}:root` || p === caller.arn,
  );
}

function expandResource(resource: string, arnPrefix: string): string {
  // `execute-api:/stage/GET/path` is the shorthand for this API's own ARN.
  return resource.startsWith("execute-api:/")
    ? `${arnPrefix}/${resource.slice("execute-api:/".length)}`
    : resource;
}

/** Throws AccessDenied when the API's resource policy refuses the caller. */
export function checkResourcePolicy(
  policyText: unknown,
  methodArn: string,
  arnPrefix: string,
  caller: PolicyCaller,
): void {
  if (typeof policyText !== "string" || policyText.trim() === "") return;
  let document: unknown;
  try {
    document = JSON.parse(policyText);
  } catch {
    return;
  }
  const raw = (document as Record<string, unknown> | null)?.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter(
    (s): s is Statement => s !== null && typeof s === "object",
  );
  let allowed = false;
  for (const statement of statements) {
    const actionMatches = list(statement.Action).some((a) =>
      wildcard(a.toLowerCase()).test("execute-api:invoke"),
    );
    const resourceMatches = list(statement.Resource).some((r) =>
      wildcard(expandResource(r, arnPrefix)).test(methodArn),
    );
    if (!actionMatches || !resourceMatches) continue;
    if (!principalMatches(statement.Principal, caller)) continue;
    if (!conditionsHold(statement.Condition, caller)) continue;
    const effect = String(statement.Effect ?? "").toLowerCase();
    if (effect === "deny") throw refused(caller, methodArn, true);
    if (effect === "allow") allowed = true;
  }
  if (!allowed && caller.accountId === undefined) throw refused(caller, methodArn, false);
}

function refused(caller: PolicyCaller, methodArn: string, explicit: boolean): GatewayError {
  const who = caller.arn ?? "anonymous";
  const message = `User: ${who} is not authorized to perform: execute-api:Invoke on resource: ${methodArn}${explicit ? " with an explicit deny" : ""}`;
  return new GatewayError(
    "ACCESS_DENIED",
    message,
    "AccessDeniedException",
    undefined,
    JSON.stringify({ Message: message }),
  );
}
