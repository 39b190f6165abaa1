/**
 * Which stage and which route serve a request to an HTTP API, as the developer guide's "Routing API
 * requests" (Create routes for HTTP APIs) states it: a first path segment naming a stage selects that
 * stage and is taken off the path; otherwise the `$default` stage serves the whole path; with neither,
 * `{"message":"Not Found"}`. Then the most specific route wins: a full match of path and method, then
 * a route ending in a greedy `{name+}` variable, then the `$default` route; none → Not Found.
 *
 * ## By design (observed elsewhere, not documented)
 * - Within a tier an exact method beats `ANY`, and paths compare segment by segment from the left:
 *   a literal beats `{name}`, which beats `{name+}` (so `/pets/dog/{proxy+}` beats `/pets/{proxy+}`).
 * - A greedy variable takes one segment or more: `/pets/{proxy+}` does not match `/pets`; it does
 *   match `/pets/`, with an empty value (an event AWS recorded: test/fixtures/apigateway/http-api-v1-event.json).
 * - Path parameter values are percent-decoded ("API Gateway decodes URL-encoded request parameters
 *   before passing them to your backend integration").
 */
import { decodeComponent } from "../../../aws/protocols/query-string.ts";
import type { RouteRecord } from "../snapshot.ts";

export const DEFAULT_STAGE = "$default";
export const DEFAULT_ROUTE = "$default";

/** The stage a request is for and the path below it; undefined → 404. */
export async function selectStage(
  rawPath: string,
  hasStage: (stageName: string) => boolean | Promise<boolean>,
): Promise<{ stageName: string; path: string } | undefined> {
  const rest = rawPath.slice(1);
  const slash = rest.indexOf("/");
  const first = decodeComponent(slash < 0 ? rest : rest.slice(0, slash));
  if (first !== "" && first !== DEFAULT_STAGE && (await hasStage(first))) {
    return { stageName: first, path: slash < 0 ? "/" : rest.slice(slash) };
  }
  if (await hasStage(DEFAULT_STAGE)) return { stageName: DEFAULT_STAGE, path: rawPath };
  return undefined;
}

export interface RouteMatch {
  route: RouteRecord;
  /** Undefined when the route's path has no variables (and for `$default`). */
  pathParameters: Record<string, string> | undefined;
  /** The route key's path (`/pets/{id}`), or `$default`. */
  resourcePath: string;
}

type Segment = { kind: "literal"; text: string } | { kind: "variable"; name: string; greedy: boolean };

interface Candidate {
  match: RouteMatch;
  rank: number[];
}

const TIER_FULL = 0;
const TIER_GREEDY = 1;
const TIER_DEFAULT = 2;

/** The route that serves `method path` (path below the stage, still percent-encoded). */
export function matchRoute(
  routes: readonly RouteRecord[],
  method: string,
  path: string,
): RouteMatch | undefined {
  const requestSegments = path === "/" ? [] : path.split("/").slice(1);
  const upperMethod = method.toUpperCase();
  let best: Candidate | undefined;
  for (const parsed of parsedRoutes(routes)) {
    const candidate = rankRoute(parsed, upperMethod, requestSegments);
    if (candidate && (best === undefined || compareRanks(candidate.rank, best.rank) < 0)) best = candidate;
  }
  return best?.match;
}

/** A route key taken apart: `$default`, or its method and path segments; undefined for a malformed key. */
interface ParsedRoute {
  route: RouteRecord;
  key: { method: string; path: string; segments: Segment[] } | "default" | undefined;
}

/**
 * Route keys parsed once per deployment (per request they were ~8% of the gateway's own time for HTTP
 * API → Lambda, profile of 24 November 2026): the routes list is the deployment's own (shared while its
 * stored bytes are unchanged, storage/decoded-reads.ts), so a new deployment gets a new entry.
 */
const parsedRouteLists = new WeakMap<readonly RouteRecord[], readonly ParsedRoute[]>();

function parsedRoutes(routes: readonly RouteRecord[]): readonly ParsedRoute[] {
  let parsed = parsedRouteLists.get(routes);
  if (parsed === undefined) {
    parsed = routes.map(parseRoute);
    parsedRouteLists.set(routes, parsed);
  }
  return parsed;
}

function parseRoute(route: RouteRecord): ParsedRoute {
  if (route.routeKey === DEFAULT_ROUTE) return { route, key: "default" };
  const space = route.routeKey.indexOf(" ");
  if (space < 0) return { route, key: undefined };
  const path = route.routeKey.slice(space + 1);
  return {
    route,
    key: { method: route.routeKey.slice(0, space).toUpperCase(), path, segments: parseRoutePath(path) },
  };
}

function rankRoute(parsed: ParsedRoute, method: string, requestSegments: string[]): Candidate | undefined {
  const { route, key } = parsed;
  if (key === "default") {
    return {
      match: { route, pathParameters: undefined, resourcePath: DEFAULT_ROUTE },
      rank: [TIER_DEFAULT],
    };
  }
  if (key === undefined) return undefined;
  const routeMethod = key.method;
  const routePath = key.path;
  if (routeMethod !== "ANY" && routeMethod !== method) return undefined;
  const segments = key.segments;
  const params: Record<string, string> = {};
  const segmentRanks: number[] = [];
  let greedy = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    if (segment.kind === "variable" && segment.greedy) {
      const rest = requestSegments.slice(i);
      if (rest.length === 0) return undefined;
      params[segment.name] = rest.map(decodeComponent).join("/");
      segmentRanks.push(2);
      greedy = true;
      break;
    }
    const actual = requestSegments[i];
    if (actual === undefined) return undefined;
    if (segment.kind === "literal") {
      if (decodeComponent(actual) !== segment.text) return undefined;
      segmentRanks.push(0);
    } else {
      if (actual === "") return undefined;
      params[segment.name] = decodeComponent(actual);
      segmentRanks.push(1);
    }
  }
  if (!greedy && requestSegments.length !== segments.length) return undefined;
  const hasParams = Object.keys(params).length > 0;
  return {
    match: { route, pathParameters: hasParams ? params : undefined, resourcePath: routePath },
    rank: [greedy ? TIER_GREEDY : TIER_FULL, routeMethod === "ANY" ? 1 : 0, ...segmentRanks],
  };
}

/** `/pets/{id}/{proxy+}` → segments; `/` → none. */
function parseRoutePath(routePath: string): Segment[] {
  if (routePath === "/") return [];
  return routePath
    .split("/")
    .slice(1)
    .map((text): Segment => {
      const variable = /^\{([^{}]+?)(\+?)\}$/.exec(text);
      if (variable === null) return { kind: "literal", text };
      return { kind: "variable", name: variable[1] ?? "", greedy: variable[2] === "+" };
    });
}

function compareRanks(a: number[], b: number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
