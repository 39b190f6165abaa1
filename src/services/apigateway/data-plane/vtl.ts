/**
 * Mapping templates: Velocity (VTL, through velocityjs) with API Gateway's variables — `$input`,
 * `$util`, `$context`, `$stageVariables` — as the developer guide's "Variables for data
 * transformations" lists them.
 *
 * - `$input.body` the payload as a string; `$input.json(x)` a JSONPath result as JSON text;
 *   `$input.path(x)` the result as an object; `$input.params()` `{path, querystring, header}`;
 *   `$input.params(name)` looked up in path, then query string, then headers.
 * - `$util.escapeJavaScript` escapes as Java's StringEscapeUtils does (quotes, backslash, slash,
 *   control characters; single quotes too, which the guide warns is not valid JSON); `urlEncode`
 *   form-encodes (space → `+`); `urlDecode`; `base64Encode`/`base64Decode`; `parseJson` → object.
 *
 * ## Gaps
 * - JSONPath: `$`, `.name`, `['name']`, `[n]`, `[*]` and `.*`; no filters or recursive descent.
 * - Objects print as JSON where Java would print `{a=1}`.
 */
import velocity from "velocityjs";
import { LimitedCompile } from "./vtl-limits.ts";

export type Vars = Record<string, unknown>;

/**
 * Renders a template; throws on a template that does not parse or exceeds the bounds of
 * vtl-limits.ts (a loop over 1,000 iterations, a value over 10 MB), so no template blocks the server.
 */
export function renderTemplate(template: string, vars: Vars): string {
  if (isConstantTemplate(template)) return template;
  return new LimitedCompile(parsedTemplate(template), { escape: false }).render(vars);
}

/**
 * Whether a template renders as its own text: with no `$` (references) and no `#` (directives,
 * comments) Velocity has nothing to do — text, backslashes included, passes through (checked on
 * 20,000 random templates of other characters). Such templates (`{"statusCode": 200}`, the usual
 * MOCK request template) need neither the engine nor the variables: building `$context` and `$input`
 * and rendering cost a MOCK request ~60% of the gateway's time (profile, 24 November 2026).
 */
export function isConstantTemplate(template: string): boolean {
  return template.indexOf("$") < 0 && template.indexOf("#") < 0;
}

/** Parsed templates by text: a deployment's templates are parsed once, not on every request. */
const parsedTemplates = new Map<string, ReturnType<typeof velocity.parse>>();
const PARSED_TEMPLATES_MAX = 500;

function parsedTemplate(template: string): ReturnType<typeof velocity.parse> {
  let asts = parsedTemplates.get(template);
  if (asts === undefined) {
    asts = velocity.parse(template);
    if (parsedTemplates.size >= PARSED_TEMPLATES_MAX) parsedTemplates.clear();
    parsedTemplates.set(template, asts);
  }
  return asts;
}

/** The request an `$input` reads. */
export interface TemplateInput {
  body: string;
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export function inputVariable(input: TemplateInput): Vars {
  const parsed = (): unknown => {
    if (input.body.trim() === "") return {};
    try {
      return JSON.parse(input.body);
    } catch {
      // A body that is not JSON reads as its own text, as $input.path('$') does on AWS.
      return input.body;
    }
  };
  return {
    body: input.body,
    json: (path: string) => {
      const value = jsonPath(parsed(), String(path));
      return value === undefined ? "" : JSON.stringify(value);
    },
    path: (path: string) => jsonPath(parsed(), String(path)) ?? "",
    params: (name?: string) => {
      if (name === undefined) {
        return {
          path: { ...input.path },
          querystring: { ...input.querystring },
          header: { ...input.header },
        };
      }
      const key = String(name);
      return input.path[key] ?? input.querystring[key] ?? headerValue(input.header, key) ?? "";
    },
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** JSONPath over a parsed value (see Gaps). */
export function jsonPath(root: unknown, path: string): unknown {
  if (!path.startsWith("$")) return undefined;
  const steps: (string | number | "*")[] = [];
  const pattern = /\.([A-Za-z0-9_$-]+|\*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+)|(\*))\s*\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) steps.push(match[1] === "*" ? "*" : match[1]);
    else if (match[2] !== undefined) steps.push(match[2]);
    else if (match[3] !== undefined) steps.push(match[3]);
    else if (match[4] !== undefined) steps.push(Number(match[4]));
    else steps.push("*");
  }
  let current: unknown[] = [root];
  let many = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== "object") continue;
      if (step === "*") {
        next.push(...(Array.isArray(value) ? value : Object.values(value)));
        many = true;
      } else {
        const member = (value as Record<string | number, unknown>)[step];
        if (member !== undefined) next.push(member);
      }
    }
    current = next;
  }
  return many ? current : current[0];
}

/** Java's StringEscapeUtils.escapeJavaScript, which `$util.escapeJavaScript` is. */
export function escapeJavaScript(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case "'":
        out += "\\'";
        break;
      case "\\":
        out += "\\\\";
        break;
      case "/":
        out += "\\/";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\f":
        out += "\\f";
        break;
      default:
        if (code < 0x20) out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
        else if (code > 0x7e && code <= 0xffff)
          out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
        else if (code > 0xffff) {
          for (const unit of [ch.charCodeAt(0), ch.charCodeAt(1)]) {
            out += `\\u${unit.toString(16).toUpperCase().padStart(4, "0")}`;
          }
        } else out += ch;
    }
  }
  return out;
}

/** Form encoding as Java's URLEncoder (UTF-8): space → "+", `*-._` kept. */
export function urlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, "+")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function urlDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

export const utilVariable: Vars = {
  escapeJavaScript: (value: unknown) => escapeJavaScript(String(value ?? "")),
  urlEncode: (value: unknown) => urlEncode(String(value ?? "")),
  urlDecode: (value: unknown) => urlDecode(String(value ?? "")),
  base64Encode: (value: unknown) => Buffer.from(String(value ?? ""), "utf8").toString("base64"),
  base64Decode: (value: unknown) => Buffer.from(String(value ?? ""), "base64").toString("utf8"),
  parseJson: (value: unknown) => {
    try {
      return JSON.parse(String(value));
    } catch {
      return "";
    }
  },
};
