/**
 * `stratus start` options: each flag has an environment variable, and the flag wins. Invalid values
 * are reported in one line naming the flag.
 */
import { resolve } from "node:path";
import { isLogLevel } from "../log.ts";
import { DEFAULT_OPTIONS, type StratusOptions } from "../server.ts";

export class UsageError extends Error {}

export const START_FLAGS = {
  port: {
    type: "string",
    env: "STRATUS_PORT",
    help: "port to listen on (0 = any free port)",
    default: "4566",
  },
  host: { type: "string", env: "STRATUS_HOST", help: "interface to listen on", default: "127.0.0.1" },
  "data-dir": { type: "string", env: "STRATUS_DATA_DIR", help: "where state is kept", default: "./.stratus" },
  "in-memory": {
    type: "boolean",
    env: "STRATUS_IN_MEMORY",
    help: "keep state in memory only (lost at exit)",
  },
  region: { type: "string", env: "STRATUS_REGION", help: "default region", default: "us-east-1" },
  "log-level": {
    type: "string",
    env: "STRATUS_LOG_LEVEL",
    help: "debug | info | warn | error | silent",
    default: "info",
  },
  credentials: { type: "string", env: "STRATUS_CREDENTIALS", help: "JSON file of extra access keys" },
} as const;

export type StartFlagName = keyof typeof START_FLAGS;
type RawValues = Partial<Record<StartFlagName, string | boolean | undefined>>;

function pick(values: RawValues, env: NodeJS.ProcessEnv, name: StartFlagName): string | boolean | undefined {
  const flag = values[name];
  if (flag !== undefined) return flag;
  const fromEnv = env[START_FLAGS[name].env];
  if (fromEnv === undefined || fromEnv === "") return undefined;
  if (START_FLAGS[name].type === "boolean") return !["0", "false", "no"].includes(fromEnv.toLowerCase());
  return fromEnv;
}

export function resolveStartOptions(
  values: RawValues,
  env: NodeJS.ProcessEnv = process.env,
): Partial<StratusOptions> {
  const text = (name: StartFlagName) => {
    const value = pick(values, env, name);
    return typeof value === "string" ? value : undefined;
  };
  const portText = text("port") ?? String(DEFAULT_OPTIONS.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, not '${portText}'`);
  const logLevel = text("log-level") ?? DEFAULT_OPTIONS.logLevel;
  if (!isLogLevel(logLevel))
    throw new UsageError(`--log-level must be debug, info, warn, error or silent, not '${logLevel}'`);
  const region = text("region") ?? DEFAULT_OPTIONS.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UsageError(`--region must look like us-east-1, not '${region}'`);
  const credentials = text("credentials");
  return {
    port,
    host: text("host") ?? DEFAULT_OPTIONS.host,
    dataDir: resolve(text("data-dir") ?? DEFAULT_OPTIONS.dataDir),
    inMemory: pick(values, env, "in-memory") === true,
    region,
    logLevel,
    credentialsFile: credentials ? resolve(credentials) : undefined,
  };
}
