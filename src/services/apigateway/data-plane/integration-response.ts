/**
 * The integration response of non-proxy integrations (AWS, HTTP, MOCK): which integration response
 * applies, and what it makes of the backend's answer.
 *
 * - Selection: each selectionPattern is a regular expression that must match the whole of the Lambda
 *   function's errorMessage (AWS Lambda integrations; a successful call has none) or the backend's
 *   status code (HTTP, MOCK); when none matches, the integration response without a pattern (the
 *   default) applies; with no default, API Gateway answers 500 Internal server error
 *   ("Execution failed due to configuration error: No match for output mapping and no default output
 *   mapping configured").
 * - responseTemplates: the template for the client's Accept type, else application/json, else the
 *   first; `$input` reads the backend's body. No template passes the body through.
 * - responseParameters: `method.response.header.X` from a 'literal',
 *   `integration.response.header.Y`, `integration.response.body` or
 *   `integration.response.body.{JSONPath}`, stageVariables.X, context.X.
 * - `$context.responseOverride.status` and `.header.X` set in a template override the answer.
 * - contentHandling CONVERT_TO_BINARY decodes a base64 answer, CONVERT_TO_TEXT encodes one.
 */
import type { IntegrationRecord, IntegrationResponseRecord } from "../snapshot.ts";
import { apiConfigurationError } from "./gateway-responses.ts";
import { headerValue, type Invocation } from "./invocation.ts";
import { convert, methodTemplateInput, sourceValue, templateVariables } from "./request-mapping.ts";
import { isConstantTemplate, jsonPath, renderTemplate } from "./vtl.ts";

export interface BackendAnswer {
  /** The status (HTTP, MOCK) or, for Lambda, undefined. */
  status?: number;
  /** For Lambda: the errorMessage of a failed call. */
  errorMessage?: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface MethodAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Compiled selection patterns by text (a deployment's patterns are few; the bound is a safety net). */
const selectionPatterns = new Map<string, RegExp | null>();
const SELECTION_PATTERNS_MAX = 1000;

function fullMatch(pattern: string, text: string): boolean {
  let regex = selectionPatterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, "s");
    } catch {
      regex = null;
    }
    if (selectionPatterns.size >= SELECTION_PATTERNS_MAX) selectionPatterns.clear();
    selectionPatterns.set(pattern, regex);
  }
  return regex === null ? false : regex.test(text);
}

/** The integration response that applies, or undefined (no match and no default). */
export function selectIntegrationResponse(
  integration: IntegrationRecord,
  answer: BackendAnswer,
): IntegrationResponseRecord | undefined {
  const { patterned, fallback } = selection(integration.integrationResponses ?? {});
  const subject = integration.type === "AWS" ? answer.errorMessage : String(answer.status ?? "");
  if (subject !== undefined) {
    for (const response of patterned) {
      if (fullMatch(response.selectionPattern ?? "", subject)) return response;
    }
  }
  return fallback;
}

/**
 * An integration's responses split into those with a selection pattern (in order) and the default
 * (the first without one), once per deployed integration: the record is the deployment's own (shared
 * while its stored bytes are unchanged, storage/decoded-reads.ts); keyed by status code ("200"), it is
 * slow to list on every request.
 */
const selections = new WeakMap<
  Record<string, IntegrationResponseRecord>,
  { patterned: IntegrationResponseRecord[]; fallback: IntegrationResponseRecord | undefined }
>();

function selection(responses: Record<string, IntegrationResponseRecord>): {
  patterned: IntegrationResponseRecord[];
  fallback: IntegrationResponseRecord | undefined;
} {
  let split = selections.get(responses);
  if (split === undefined) {
    const patterned: IntegrationResponseRecord[] = [];
    let fallback: IntegrationResponseRecord | undefined;
    for (const response of Object.values(responses)) {
      const pattern = response.selectionPattern;
      if (pattern === undefined || pattern === "") fallback ??= response;
      else patterned.push(response);
    }
    split = { patterned, fallback };
    selections.set(responses, split);
  }
  return split;
}

export function mapIntegrationResponse(
  invocation: Invocation,
  integration: IntegrationRecord,
  answer: BackendAnswer,
): MethodAnswer {
  const chosen = selectIntegrationResponse(integration, answer);
  if (chosen === undefined) throw apiConfigurationError();
  const bodyText = answer.body.toString("utf8");

  const headers: Record<string, string> = {};
  for (const [target, source] of Object.entries(chosen.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    if (name === undefined) continue;
    const value = responseSource(invocation, source, answer, bodyText);
    if (value !== undefined) headers[name] = value;
  }

  const templates = chosen.responseTemplates ?? {};
  const keys = Object.keys(templates);
  let body: Buffer = answer.body;
  let contentType = "application/json";
  // What a rendered template set in `$context.responseOverride`; none when nothing was rendered.
  let override: { status?: unknown; header?: Record<string, unknown> } | undefined;
  if (keys.length > 0) {
    // With one template there is nothing to choose: the Accept header is only read to choose.
    const key = keys.length === 1 ? keys[0] : templateFor(keys, headerValue(invocation, "accept"));
    if (key !== undefined) {
      contentType = key;
      const template = templates[key] ?? "";
      if (template === "") body = answer.body;
      else if (isConstantTemplate(template)) body = Buffer.from(template);
      else {
        // $input reads the backend's body; $input.params() still reads the method request's parameters.
        const input = { ...methodTemplateInput(invocation), body: bodyText };
        const variables = templateVariables(invocation, input);
        const context = variables.context as Record<string, unknown>;
        override = { status: undefined, header: {} };
        context.responseOverride = override;
        body = Buffer.from(renderTemplate(template, variables));
        override = context.responseOverride as typeof override;
      }
    }
  }
  // CONVERT_TO_BINARY decodes a base64 text answer; CONVERT_TO_TEXT encodes a binary one.
  if (chosen.contentHandling === "CONVERT_TO_BINARY") body = convert(body, "CONVERT_TO_BINARY", false);
  else if (chosen.contentHandling === "CONVERT_TO_TEXT") body = convert(body, "CONVERT_TO_TEXT", true);
  if (!Object.keys(headers).some((n) => n.toLowerCase() === "content-type"))
    headers["Content-Type"] = contentType;

  let status = Number(chosen.statusCode);
  if (override !== undefined) {
    const overridden = Number(override.status);
    if (Number.isInteger(overridden) && overridden >= 100 && overridden <= 599) status = overridden;
    for (const [name, value] of Object.entries(override.header ?? {})) {
      if (value !== undefined && value !== null) headers[name] = String(value);
    }
  }
  if (!Number.isInteger(status) || status < 100 || status > 599) throw apiConfigurationError();
  return { status, headers, body };
}

/** The template for the client's Accept type, else application/json, else the first. */
function templateFor(keys: string[], acceptHeader: string | undefined): string | undefined {
  const accept = (acceptHeader ?? "").split(",").map((t) => (t.split(";")[0] ?? "").trim());
  return keys.find((k) => accept.includes(k)) ?? keys.find((k) => k === "application/json") ?? keys[0];
}

function responseSource(
  invocation: Invocation,
  source: string,
  answer: BackendAnswer,
  bodyText: string,
): string | undefined {
  const header = /^integration\.response\.header\.(.+)$/.exec(source);
  if (header) {
    const lower = (header[1] ?? "").toLowerCase();
    return Object.entries(answer.headers).find(([n]) => n.toLowerCase() === lower)?.[1];
  }
  if (source === "integration.response.body") return bodyText;
  const bodyPath = /^integration\.response\.body\.(.+)$/.exec(source);
  if (bodyPath) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return undefined;
    }
    const value = jsonPath(parsed, `$.${bodyPath[1] ?? ""}`);
    if (value === undefined) return undefined;
    return typeof value === "string" ? value : JSON.stringify(value);
  }
  return sourceValue(invocation, source);
}
