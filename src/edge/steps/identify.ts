/**
 * Step 2, identify: decide which service (or Stratus's own API, or a data plane) the request is for,
 * from, in order: the `/_stratus/` prefix, the data planes services registered (`/_aws/{label}/...`
 * and `{id}.{label}[.{region}].localhost`, data-plane.ts), the other `/_aws/` paths and data-plane
 * host names nothing serves yet (`{id}.cloudfront.localhost`...), `{bucket}.s3.localhost`,
 * `X-Amz-Target`, the SigV4 credential scope's service, and finally S3, which AWS also serves unsigned
 * (public objects) at path-style URLs.
 */
import { readCredentialScope } from "../../aws/sigv4/scope.ts";
import { findDataPlane, parseDataPlaneHost } from "../data-plane.ts";
import type { EdgeEnv } from "../env.ts";
import type { Destination, Exchange } from "../exchange.ts";

/**
 * Host labels of unsigned data planes whose services do not register one yet: `{id}.{label}.localhost`
 * or `{id}.{label}.{region}.localhost` is answered 404 until they do.
 */
const UNSERVED_DATA_PLANE_HOSTS: [label: string, what: string][] = [
  ["cloudfront", "CloudFront distribution"],
];

const S3_VIRTUAL_HOST = ".s3.localhost";

export function identify(exchange: Exchange, env: EdgeEnv): void {
  exchange.destination = destinationOf(exchange, env);
  if (exchange.destination.kind === "service") exchange.service = exchange.destination.service;
}

function destinationOf(exchange: Exchange, env: EdgeEnv): Destination {
  const { rawPath, hostname, headers } = exchange;
  if (rawPath === "/_stratus" || rawPath.startsWith("/_stratus/")) return { kind: "stratus" };
  const target = findDataPlane(env.dataPlanes, hostname, rawPath);
  if (target) return { kind: "data-plane", target };
  if (rawPath.startsWith("/_aws/"))
    return { kind: "no-data-plane", what: `path ${rawPath.split("/", 3).join("/")}` };

  for (const [label, what] of UNSERVED_DATA_PLANE_HOSTS) {
    if (parseDataPlaneHost(hostname, label)) {
      return { kind: "no-data-plane", what: `${what} ${hostname}` };
    }
  }
  const s3 = env.services.byId("s3");
  if (s3 && (hostname.endsWith(S3_VIRTUAL_HOST) || hostname === "s3.localhost")) {
    if (hostname !== "s3.localhost") {
      // Virtual-hosted style: the bucket is the host's first label; route as path style.
      const bucket = hostname.slice(0, -S3_VIRTUAL_HOST.length);
      exchange.segments = [
        bucket,
        ...(exchange.segments.length === 1 && exchange.segments[0] === "" ? [] : exchange.segments),
      ];
      exchange.path = `/${bucket}${exchange.path === "/" ? "" : exchange.path}`;
    }
    return { kind: "service", service: s3 };
  }

  const amzTarget = headers["x-amz-target"];
  if (typeof amzTarget === "string" && amzTarget.includes(".")) {
    const service = env.services.byTargetPrefix(amzTarget.slice(0, amzTarget.lastIndexOf(".")));
    if (service) return { kind: "service", service };
  }

  const scope = readCredentialScope(headers, exchange.rawQuery);
  if (scope) {
    const candidates = env.services.bySigningName(scope.service);
    if (candidates.length === 0) return { kind: "unknown-service", signingName: scope.service };
    if (scope.service === "apigateway") {
      const v2 = rawPath.startsWith("/v2/");
      const match = candidates.find((s) => (s.id === "apigatewayv2") === v2);
      if (match) return { kind: "service", service: match };
    }
    // DynamoDB Streams signs as `dynamodb` too; without a Streams target it is DynamoDB itself.
    const primary = candidates.find((s) => s.id === scope.service) ?? candidates[0];
    if (primary) return { kind: "service", service: primary };
  }

  return s3 ? { kind: "service", service: s3 } : { kind: "no-data-plane", what: rawPath };
}
