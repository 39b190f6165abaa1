/**
 * Finds the operation of a REST request (restJson1, restXml) from the HTTP bindings in the service
 * model: method, path template (`{Name}` one segment, `{Name+}` the rest), literal query keys in the
 * template (`?uploads`, `?list-type=2`), and the query keys and headers an operation's input requires.
 *
 * Several operations may share a template (S3's PutObject, UploadPart, CopyObject, UploadPartCopy); the
 * one whose requirements are all present and most numerous wins, and a deprecated operation loses ties
 * (GetBucketLifecycle vs GetBucketLifecycleConfiguration), as AWS's own routing behaves.
 */
import type { OperationBinding } from "../models/index.ts";

export interface RouteMatch {
  operation: string;
  /** Path labels, percent-decoded: `{ FunctionName: "my-fn" }`, `{ Key: "a/b c.txt" }`. */
  pathParams: Record<string, string>;
}

interface Segment {
  literal?: string;
  label?: string;
  greedy?: boolean;
}

interface CompiledRoute {
  operation: string;
  method: string;
  segments: Segment[];
  /** Literal query of the template: key → required value (undefined = key present). */
  literalQuery: [string, string | undefined][];
  requiredQuery: string[];
  requiredHeaders: string[];
  deprecated: boolean;
  /** Literal path segments: more literal = more specific. */
  literalCount: number;
}

export interface RestRequestFacts {
  method: string;
  /** Path segments, already percent-decoded, without the empty leading segment. */
  segments: string[];
  query: ReadonlyMap<string, string[]>;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

function compile(operation: string, binding: OperationBinding): CompiledRoute {
  const [pathPart = "/", queryPart = ""] = binding.requestUri.split("?", 2);
  const segments: Segment[] = pathPart
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      const label = /^\{([^}]+?)(\+)?\}$/.exec(s);
      if (label) return { label: label[1] ?? "", greedy: label[2] === "+" };
      return { literal: s };
    });
  const literalQuery = queryPart
    .split("&")
    .filter((q) => q !== "" && !q.startsWith("x-id="))
    .map((q): [string, string | undefined] => {
      const eq = q.indexOf("=");
      return eq < 0 ? [q, undefined] : [q.slice(0, eq), q.slice(eq + 1)];
    });
  return {
    operation,
    method: binding.method,
    segments,
    literalQuery,
    requiredQuery: binding.requiredQuery ?? [],
    requiredHeaders: binding.requiredHeaders ?? [],
    deprecated: binding.deprecated === true,
    literalCount: segments.filter((s) => s.literal !== undefined).length,
  };
}

function matchPath(route: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let i = 0;
  for (const segment of route.segments) {
    if (segment.greedy && segment.label) {
      // The rest of the path, trailing slash included (S3 keys such as "folder/"); never empty.
      const rest = segments.slice(i).join("/");
      if (rest === "") return undefined;
      params[segment.label] = rest;
      return params;
    }
    const actual = segments[i];
    if (actual === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (segment.literal !== actual) return undefined;
    } else if (segment.label) {
      if (actual === "") return undefined;
      params[segment.label] = actual;
    }
    i++;
  }
  // One trailing slash is not a segment of its own: `/2015-03-31/functions/` is ListFunctions.
  const trailingSlash = i === segments.length - 1 && segments[i] === "";
  return i === segments.length || trailingSlash ? params : undefined;
}

export class RestRouter {
  readonly #routes: CompiledRoute[];

  constructor(operations: Record<string, OperationBinding>) {
    this.#routes = Object.entries(operations).map(([name, binding]) => compile(name, binding));
  }

  /** The best-matching operation, or undefined when no operation's binding fits the request. */
  match(request: RestRequestFacts): RouteMatch | undefined {
    let best: { route: CompiledRoute; params: Record<string, string>; score: number[] } | undefined;
    for (const route of this.#routes) {
      if (route.method !== request.method) continue;
      const params = matchPath(route, request.segments);
      if (!params) continue;
      if (!route.literalQuery.every(([k, v]) => hasQuery(request.query, k, v))) continue;
      if (!route.requiredQuery.every((k) => request.query.has(k))) continue;
      if (!route.requiredHeaders.every((h) => request.headers[h] !== undefined)) continue;
      const score = [
        route.literalCount,
        route.literalQuery.length,
        route.requiredQuery.length + route.requiredHeaders.length,
        route.deprecated ? 0 : 1,
        -route.segments.length,
      ];
      if (!best || compareScores(score, best.score) > 0) best = { route, params, score };
    }
    return best && { operation: best.route.operation, pathParams: best.params };
  }
}

function hasQuery(query: ReadonlyMap<string, string[]>, key: string, value: string | undefined): boolean {
  const values = query.get(key);
  if (!values) return false;
  return value === undefined || values.includes(value);
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
