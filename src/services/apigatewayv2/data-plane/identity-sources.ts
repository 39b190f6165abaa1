/**
 * Identity sources of authorizers (developer guide, "Working with AWS Lambda authorizers for HTTP
 * APIs", Identity sources): `$request.header.name` (case-insensitive), `$request.querystring.name`
 * (case-sensitive), `$context.variableName` and `$stageVariables.name`. A request missing any of them
 * is refused with 401 without invoking the authorizer.
 */
import { queryParameters } from "../../../aws/http-events/payload-v2.ts";
import { contextVariable } from "./context-variables.ts";
import type { ServedRequest } from "./served-request.ts";

/** The value of one selection expression for this request; undefined when absent or empty. */
export function identityValue(expression: string, served: ServedRequest): string | undefined {
  const value = rawIdentityValue(expression.trim(), served);
  return value === undefined || value === "" ? undefined : value;
}

function rawIdentityValue(expression: string, served: ServedRequest): string | undefined {
  if (expression.startsWith("$request.header.")) {
    const value = served.request.headers[expression.slice("$request.header.".length).toLowerCase()];
    return Array.isArray(value) ? value.join(",") : value;
  }
  if (expression.startsWith("$request.querystring.")) {
    return queryParameters(served.request.rawQuery)?.[expression.slice("$request.querystring.".length)];
  }
  if (expression.startsWith("$context."))
    return contextVariable(expression.slice("$context.".length), served);
  if (expression.startsWith("$stageVariables.")) {
    return served.snapshot?.stage.stageVariables?.[expression.slice("$stageVariables.".length)];
  }
  return undefined;
}

/** Every source's value in order, or undefined when one is missing. */
export function identityValues(sources: readonly string[], served: ServedRequest): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    const value = identityValue(source, served);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}
