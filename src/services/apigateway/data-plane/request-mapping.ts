/**
 * The integration request of non-proxy integrations: the request template chosen by Content-Type
 * (application/json when the request has none) and the passthrough behaviour, and requestParameters
 * (`integration.request.{path|querystring|header}.X` from `method.request.*`, stage variables,
 * context variables or a 'literal').
 *
 * contentHandling converts payloads between binary and base64 text (developer guide, "Content type
 * conversions in API Gateway"), see `convert`.
 *
 * passthroughBehavior (API Gateway developer guide, "Method request data mapping ... passthrough
 * behaviors"): WHEN_NO_MATCH (default) passes the body through when no template matches;
 * WHEN_NO_TEMPLATES only when the integration has no templates at all, else 415; NEVER refuses with
 * 415 Unsupported Media Type whenever no template matches.
 */
import type { IntegrationRecord } from "../snapshot.ts";
import { unsupportedMediaType } from "./gateway-responses.ts";
import { contextVariables, headerValue, type Invocation, methodRequestValue } from "./invocation.ts";
import { isBinaryMediaType, queryPairs } from "./proxy-event.ts";
import {
  inputVariable,
  isConstantTemplate,
  renderTemplate,
  type TemplateInput,
  utilVariable,
} from "./vtl.ts";

/** Whether the method request's payload is binary: its Content-Type is one of the API's binary media types. */
export function isBinaryRequest(invocation: Invocation): boolean {
  return isBinaryMediaType(
    headerValue(invocation, "content-type"),
    invocation.deployment.api.binaryMediaTypes ?? [],
  );
}

/**
 * contentHandling: CONVERT_TO_TEXT base64-encodes a binary payload, CONVERT_TO_BINARY decodes a text
 * one (a JSON string literal is unquoted first: what a Lambda function's base64 answer is); otherwise
 * the payload passes as it is.
 */
export function convert(payload: Buffer, contentHandling: string | undefined, binary: boolean): Buffer {
  if (contentHandling === "CONVERT_TO_TEXT" && binary) return Buffer.from(payload.toString("base64"));
  if (contentHandling === "CONVERT_TO_BINARY" && !binary) {
    let text = payload.toString("utf8").trim();
    if (text.startsWith('"')) {
      try {
        const unquoted: unknown = JSON.parse(text);
        if (typeof unquoted === "string") text = unquoted;
      } catch {
        // Not a JSON string: decode the text as it is.
      }
    }
    return Buffer.from(text, "base64");
  }
  return payload;
}

/** What `$input` reads from the method request. */
export function methodTemplateInput(invocation: Invocation): TemplateInput {
  const header: Record<string, string> = {};
  const raw = invocation.request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) header[raw[i] ?? ""] = raw[i + 1] ?? "";
  const querystring: Record<string, string> = {};
  for (const [key, value] of queryPairs(invocation.request.rawQuery)) querystring[key] = value;
  return {
    // A binary payload reaches templates base64-encoded (API Gateway's content type conversions).
    body: isBinaryRequest(invocation)
      ? invocation.request.body.toString("base64")
      : invocation.request.body.toString("utf8"),
    path: { ...(invocation.match?.pathParameters ?? {}) },
    querystring,
    header,
  };
}

/** The variables of a template rendered for this invocation. */
export function templateVariables(invocation: Invocation, input: TemplateInput): Record<string, unknown> {
  return {
    input: inputVariable(input),
    util: utilVariable,
    context: contextVariables(invocation),
    stageVariables: invocation.stageVariables,
  };
}

/** What a request template set in `$context.requestOverride` (header, querystring, path). */
export interface RequestOverrides {
  header: Record<string, string>;
  querystring: Record<string, string>;
  path: Record<string, string>;
}

/** The integration request body: a rendered template or the method request's body. */
export function integrationRequestBody(invocation: Invocation, integration: IntegrationRecord): Buffer {
  return integrationRequest(invocation, integration).body;
}

/** The integration request body and the overrides its template set. */
export function integrationRequest(
  invocation: Invocation,
  integration: IntegrationRecord,
): { body: Buffer; overrides: RequestOverrides } {
  const overrides: RequestOverrides = { header: {}, querystring: {}, path: {} };
  const templates = integration.requestTemplates ?? {};
  const contentType = (headerValue(invocation, "content-type") ?? "application/json")
    .split(";")[0]
    ?.trim()
    .toLowerCase();
  const key = Object.keys(templates).find((k) => k.toLowerCase() === contentType);
  const behavior = integration.passthroughBehavior ?? "WHEN_NO_MATCH";
  if (key === undefined) {
    const hasTemplates = Object.keys(templates).length > 0;
    if (behavior === "NEVER" || (behavior === "WHEN_NO_TEMPLATES" && hasTemplates))
      throw unsupportedMediaType();
    return {
      body: convert(invocation.request.body, integration.contentHandling, isBinaryRequest(invocation)),
      overrides,
    };
  }
  const template = templates[key] ?? "";
  if (template === "") return { body: Buffer.alloc(0), overrides };
  // A template without `$` or `#` is its own output and sets no override: no variables to build.
  if (isConstantTemplate(template)) {
    return { body: convert(Buffer.from(template), integration.contentHandling, false), overrides };
  }
  const variables = templateVariables(invocation, methodTemplateInput(invocation));
  const context = variables.context as Record<string, unknown>;
  context.requestOverride = overrides;
  // A template's output is text; CONVERT_TO_BINARY decodes it.
  const body = convert(Buffer.from(renderTemplate(template, variables)), integration.contentHandling, false);
  for (const location of ["header", "querystring", "path"] as const) {
    for (const [name, value] of Object.entries(overrides[location]))
      overrides[location][name] = String(value);
  }
  return { body, overrides };
}

/** A request parameter's source: 'literal', method.request.*, stageVariables.X or context.X. */
export function sourceValue(invocation: Invocation, source: string): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const request =
    /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(source);
  if (request) {
    const location = (request[1] ?? "").replace(/^multivalue/, "");
    return methodRequestValue(invocation, location, request[2] ?? "");
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) return invocation.stageVariables[stageVariable[1] ?? ""];
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    let value: unknown = contextVariables(invocation);
    for (const part of (context[1] ?? "").split(".")) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

export interface MappedParameters {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export function integrationRequestParameters(
  invocation: Invocation,
  integration: IntegrationRecord,
): MappedParameters {
  const out: MappedParameters = { path: {}, querystring: {}, header: {} };
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    const match = /^integration\.request\.(path|querystring|header)\.(.+)$/.exec(target);
    if (!match) continue;
    const value = sourceValue(invocation, source);
    if (value !== undefined) out[match[1] as keyof MappedParameters][match[2] ?? ""] = value;
  }
  return out;
}
