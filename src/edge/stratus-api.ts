/**
 * Stratus's own API under `/_stratus/`: health now; the console and admin calls later. Plain JSON,
 * unsigned (it is served on the loopback interface by default).
 */
import type { EncodedResponse } from "../aws/protocols/protocol.ts";
import type { EdgeEnv } from "./env.ts";
import type { Exchange } from "./exchange.ts";

export type ServiceStatus = "available" | "partial" | "unimplemented";

export function stratusApi(exchange: Exchange, env: EdgeEnv): EncodedResponse {
  const route = exchange.rawPath.replace(/\/+$/, "");
  if (route === "/_stratus/health") {
    if (exchange.method !== "GET" && exchange.method !== "HEAD") return json(405, { message: "Use GET." });
    return json(200, health(env), exchange.method === "HEAD");
  }
  return json(404, { message: `No Stratus API at ${exchange.rawPath}.` });
}

/** The per-service part of health never changes while the server runs: written once per registry. */
const servicesJson = new WeakMap<EdgeEnv["registry"], string>();

/** The health document, as JSON text. */
function health(env: EdgeEnv): string {
  let services = servicesJson.get(env.registry);
  if (services === undefined) {
    services = JSON.stringify(serviceStatuses(env));
    servicesJson.set(env.registry, services);
  }
  const head = JSON.stringify({
    status: "running",
    version: env.version,
    region: env.defaultRegion,
    startedAt: env.startedAt.toISOString(),
    uptimeSeconds: Math.round((env.clock.now().getTime() - env.startedAt.getTime()) / 100) / 10,
  });
  return `${head.slice(0, -1)},"services":${services}}`;
}

function serviceStatuses(env: EdgeEnv) {
  const services: Record<
    string,
    { status: ServiceStatus; operations: { implemented: number; total: number } }
  > = {};
  for (const service of env.registry) {
    const total = Object.keys(service.model.operations).length;
    const implemented = Object.keys(service.operations).length;
    services[service.id] = {
      status: implemented === 0 ? "unimplemented" : implemented < total ? "partial" : "available",
      operations: { implemented, total },
    };
  }
  return services;
}

/** A JSON response; `value` is either JSON text already or a value to serialise. */
function json(status: number, value: unknown, headOnly = false): EncodedResponse {
  const body = typeof value === "string" ? value : JSON.stringify(value);
  return {
    status,
    headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) },
    body: headOnly ? undefined : body,
  };
}
