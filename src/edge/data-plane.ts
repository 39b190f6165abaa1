/**
 * Data planes: the unsigned HTTP front doors of services (Lambda function URLs today; API Gateway
 * invoke URLs, S3 website endpoints and CloudFront distributions later). A service registers one with
 * a host label and a handler; the edge recognises its requests in two forms and hands the handler the
 * raw request, which it answers with a plain HTTP response. No SigV4 step runs: a data plane that
 * takes signed requests (a function URL with AuthType AWS_IAM) verifies them itself.
 *
 *   host form   http://{id}.{label}.{region}.localhost:4566/path?query   (or {id}.{label}.localhost)
 *   path form   http://127.0.0.1:4566/_aws/{label}/{id}/path?query       (clients that cannot resolve
 *                                                                          *.localhost)
 *
 * Both reach the handler with the same `rawPath` (`/path`), so a data plane never sees which form
 * was used, except through `host` (the Host header as sent) and `pathForm`.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface DataPlaneRequest {
  readonly method: string;
  /** The resource id from the host's first label(s) or the path form's third segment (a URL id, an API id). */
  readonly id: string;
  /** The region named in the host (`{id}.{label}.{region}.localhost`); undefined in the path form. */
  readonly region: string | undefined;
  /** The path below the data plane's root, still percent-encoded; always starts with "/". */
  readonly rawPath: string;
  /** Everything after `?`, or "". */
  readonly rawQuery: string;
  /** Node's headers (lower-case names; repeated headers joined by Node's rules). */
  readonly headers: IncomingHttpHeaders;
  /** Names and values in arrival order, names as sent: `[name, value, name, value, ...]`. */
  readonly rawHeaders: readonly string[];
  /** The whole body (empty when none), read within the data plane's `bodyBytesMax`. */
  readonly body: Buffer;
  /** The address of the TCP peer. */
  readonly sourceIp: string;
  /** "HTTP/1.1" (the version the client spoke). */
  readonly protocol: string;
  /** The Host header as sent (with its port); what a data plane builds self-links from. */
  readonly host: string;
  /**
   * `http://{address}:{port}` of the socket the request came in on: an address of this Stratus that
   * works from its own processes (AWS_ENDPOINT_URL for functions), whatever name the client used.
   */
  readonly endpoint: string;
  /** True when the request came in the path form (`/_aws/{label}/{id}/...`). */
  readonly pathForm: boolean;
  /** The path as the client sent it, prefix included (what a SigV4 signature covers). */
  readonly signedPath: string;
  readonly receivedAt: Date;
}

export interface DataPlaneResponse {
  status: number;
  /** Repeated headers (Set-Cookie) as arrays. */
  headers: Record<string, string | string[]>;
  body?: Buffer | string;
}

export interface DataPlane {
  /** What the data plane is, for logs and error texts: "Lambda function URL". */
  readonly name: string;
  /** The host label and path-form segment: "lambda-url" serves `*.lambda-url.*.localhost` and `/_aws/lambda-url/`. */
  readonly label: string;
  /** Largest request body, in bytes; larger ones get `bodyTooLarge()` and the connection is closed. */
  readonly bodyBytesMax: number;
  bodyTooLarge(limitBytes: number): DataPlaneResponse;
  handle(request: DataPlaneRequest): Promise<DataPlaneResponse>;
}

/** Where a request lands in a data plane: the resource id, the region (host form) and the path below it. */
export interface DataPlaneTarget {
  plane: DataPlane;
  id: string;
  region: string | undefined;
  rawPath: string;
  pathForm: boolean;
}

const LOCALHOST = ".localhost";
/** An AWS region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]$/;

/**
 * The data plane a request is for, from its path (`/_aws/{label}/{id}/...`) or its host name
 * (`{id}.{label}[.{region}].localhost`); undefined when none matches.
 */
export function findDataPlane(
  planes: readonly DataPlane[],
  hostname: string,
  rawPath: string,
): DataPlaneTarget | undefined {
  if (rawPath.startsWith("/_aws/")) {
    const [label = "", id = ""] = rawPath.slice("/_aws/".length).split("/", 2);
    const plane = planes.find((p) => p.label === label);
    if (!plane || id === "") return undefined;
    const rest = rawPath.slice(`/_aws/${label}/${id}`.length);
    return {
      plane,
      id,
      region: undefined,
      rawPath: rest.startsWith("/") ? rest : `/${rest}`,
      pathForm: true,
    };
  }
  for (const plane of planes) {
    const host = parseDataPlaneHost(hostname, plane.label);
    if (host) return { plane, ...host, rawPath, pathForm: false };
  }
  return undefined;
}

/**
 * `{id}.{label}.localhost` or `{id}.{label}.{region}.localhost` (the id may hold dots, as bucket names
 * do); undefined for any other host name.
 */
export function parseDataPlaneHost(
  hostname: string,
  label: string,
): { id: string; region: string | undefined } | undefined {
  if (!hostname.endsWith(LOCALHOST)) return undefined;
  const name = hostname.slice(0, -LOCALHOST.length);
  if (name.endsWith(`.${label}`)) {
    const id = name.slice(0, -(label.length + 1));
    return id === "" ? undefined : { id, region: undefined };
  }
  const at = name.lastIndexOf(`.${label}.`);
  if (at <= 0) return undefined;
  const region = name.slice(at + label.length + 2);
  return REGION.test(region) ? { id: name.slice(0, at), region } : undefined;
}
