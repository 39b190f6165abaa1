/**
 * Which resource and method of a deployment a request path and HTTP method reach, as API Gateway
 * routes REST APIs: segment by segment a literal path part beats a `{param}`, which beats a greedy
 * `{name+}` (which takes one or more remaining segments); a method defined for the HTTP method beats
 * the resource's ANY. A trailing slash is ignored. No match is API Gateway's famous
 * 403 "Missing Authentication Token" (gateway-responses.ts), for a wrong path and a wrong method alike.
 *
 * Path parameters are percent-decoded, greedy ones joined with "/" (a proxy event's
 * `pathParameters.proxy` is "a/b" for `/{proxy+}` and `/a/b`).
 */
import type { MethodRecord, ResourceRecord } from "../snapshot.ts";

export interface ResourceMatch {
  resource: ResourceRecord;
  method: MethodRecord;
  /** Empty when the resource has none. */
  pathParameters: Record<string, string>;
}

type Part = { kind: 0; text: string } | { kind: 1; name: string } | { kind: 2; name: string };

function parts(resourcePath: string): Part[] {
  return resourcePath
    .split("/")
    .filter((p) => p !== "")
    .map((p): Part => {
      const greedy = /^\{(.+)\+\}$/.exec(p);
      if (greedy) return { kind: 2, name: greedy[1] ?? "" };
      const param = /^\{(.+)\}$/.exec(p);
      if (param) return { kind: 1, name: param[1] ?? "" };
      return { kind: 0, text: p };
    });
}

/**
 * A deployment's resources with their paths split into parts, once per deployment (splitting them
 * per request was ~4% of a MOCK request's gateway time, profile of 24 November 2026): the list is the
 * deployment's own (shared while its stored bytes are unchanged, storage/decoded-reads.ts), so a new
 * deployment brings a new list and a new entry, and the old one goes with its list.
 */
interface CompiledResource {
  resource: ResourceRecord;
  parts: Part[];
}

interface CompiledResources {
  all: readonly CompiledResource[];
  /** Resources whose parts are all literals, by their parts joined with "/" (the first of a path). */
  literals: ReadonlyMap<string, CompiledResource>;
  /**
   * Matches without path parameters already made, by request path then HTTP method as given: a
   * request for a path seen before skips segmenting, decoding and the table (~1 µs of a MOCK
   * request, profile of 25 November 2026). Matches with parameters are not kept (their values vary
   * with the path); the map starts over past SERVED_PATHS_MAX paths.
   */
  served: Map<string, Map<string, ResourceMatch>>;
}

const SERVED_PATHS_MAX = 1000;

const compiledResources = new WeakMap<readonly ResourceRecord[], CompiledResources>();

function compiled(resources: readonly ResourceRecord[]): CompiledResources {
  let table = compiledResources.get(resources);
  if (table === undefined) {
    const all = resources.map((resource) => ({ resource, parts: parts(resource.path) }));
    const literals = new Map<string, CompiledResource>();
    for (const entry of all) {
      if (!entry.parts.every((p) => p.kind === 0)) continue;
      const key = entry.parts.map((p) => (p.kind === 0 ? p.text : "")).join("/");
      if (!literals.has(key)) literals.set(key, entry);
    }
    table = { all, literals, served: new Map() };
    compiledResources.set(resources, table);
  }
  return table;
}

/** Whether literal parts equal the segments one by one (a decoded segment may hold a "/"). */
function sameSegments(literalParts: Part[], segments: string[]): boolean {
  if (literalParts.length !== segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    const part = literalParts[i];
    if (part?.kind !== 0 || part.text !== segments[i]) return false;
  }
  return true;
}

function decode(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The request path's segments, percent-decoded ("/a/b/" → ["a", "b"]). */
export function pathSegments(path: string): string[] {
  return path
    .split("/")
    .filter((s, i, all) => !(s === "" && (i === 0 || i === all.length - 1)))
    .map(decode);
}

/** How a resource path matches the segments: a rank per segment (lower is more specific), or undefined. */
function matchParts(
  resourceParts: Part[],
  segments: string[],
): { ranks: number[]; params: Record<string, string> } | undefined {
  const ranks: number[] = [];
  const params: Record<string, string> = {};
  let i = 0;
  for (let p = 0; p < resourceParts.length; p++) {
    const part = resourceParts[p] as Part;
    if (part.kind === 2) {
      // A greedy part is the last of its path and needs at least one segment.
      if (p !== resourceParts.length - 1 || i >= segments.length) return undefined;
      params[part.name] = segments.slice(i).join("/");
      for (; i < segments.length; i++) ranks.push(2);
      return { ranks, params };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (part.kind === 0) {
      if (part.text !== segment) return undefined;
      ranks.push(0);
    } else {
      if (segment === "") return undefined;
      params[part.name] = segment;
      ranks.push(1);
    }
    i++;
  }
  return i === segments.length ? { ranks, params } : undefined;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The resource and method a request reaches, or undefined (Missing Authentication Token). A match
 * may be shared between requests: read it, do not modify it.
 */
export function matchResource(
  resources: readonly ResourceRecord[],
  path: string,
  httpMethod: string,
): ResourceMatch | undefined {
  const table = compiled(resources);
  const known = table.served.get(path)?.get(httpMethod);
  if (known !== undefined) return known;
  const match = findResource(table, path, httpMethod);
  if (match !== undefined && Object.keys(match.pathParameters).length === 0) {
    let byMethod = table.served.get(path);
    if (byMethod === undefined) {
      if (table.served.size >= SERVED_PATHS_MAX) table.served.clear();
      byMethod = new Map();
      table.served.set(path, byMethod);
    }
    byMethod.set(httpMethod, match);
  }
  return match;
}

function findResource(table: CompiledResources, path: string, httpMethod: string): ResourceMatch | undefined {
  const segments = pathSegments(path);
  const method = httpMethod.toUpperCase();
  // A resource whose path is all literals and equals the request's ranks first among every resource
  // that matches (all ranks 0), so when it has the method nothing else needs looking at.
  const literal = table.literals.get(segments.join("/"));
  if (literal !== undefined && sameSegments(literal.parts, segments)) {
    const methods = literal.resource.resourceMethods ?? {};
    const found = methods[method] ?? methods.ANY;
    if (found) return { resource: literal.resource, method: found, pathParameters: {} };
  }
  const candidates: { resource: ResourceRecord; ranks: number[]; params: Record<string, string> }[] = [];
  for (const { resource, parts } of table.all) {
    const matched = matchParts(parts, segments);
    if (matched) candidates.push({ resource, ...matched });
  }
  candidates.sort((a, b) => compareRanks(a.ranks, b.ranks));
  for (const candidate of candidates) {
    const methods = candidate.resource.resourceMethods ?? {};
    const found = methods[method] ?? methods.ANY;
    if (found) return { resource: candidate.resource, method: found, pathParameters: candidate.params };
  }
  return undefined;
}
