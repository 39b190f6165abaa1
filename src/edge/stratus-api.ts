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

function health(env: EdgeEnv) {
  const now = env.clock.now();
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
  return {
    status: "running",
    version: env.version,
    region: env.defaultRegion,
    startedAt: env.startedAt.toISOString(),
    uptimeSeconds: Math.round((now.getTime() - env.startedAt.getTime()) / 100) / 10,
    services,
  };
}

function json(status: number, value: unknown, headOnly = false): EncodedResponse {
  const body = JSON.stringify(value);
  return {
    status,
    headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) },
    body: headOnly ? undefined : body,
  };
}
