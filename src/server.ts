/**
 * Starts a whole Stratus: storage, service registry, and the edge listener. The CLI and the test
 * fixture both come through here, so tests run exactly what users run.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, systemClock } from "./aws/clock.ts";
import { CredentialStore, loadCredentialsFile } from "./aws/credentials.ts";
import type { EdgeEnv } from "./edge/env.ts";
import { listen } from "./edge/listener.ts";
import { ServiceIndex } from "./edge/service-index.ts";
import { createLogger, type LogLevel } from "./log.ts";
import { createServices, type ServiceRegistry } from "./services/registry.ts";
import { openStorage } from "./storage/data-dir.ts";
import type { KvStore } from "./storage/kv.ts";
import { VERSION } from "./version.ts";

export interface StratusOptions {
  port: number;
  host: string;
  dataDir: string;
  inMemory: boolean;
  region: string;
  logLevel: LogLevel;
  /** A JSON file of extra key pairs: `[{"accessKeyId","secretAccessKey","accountId"}]`. */
  credentialsFile: string | undefined;
  clock: Clock;
}

export const DEFAULT_OPTIONS: StratusOptions = {
  port: 4566,
  host: "127.0.0.1",
  dataDir: ".stratus",
  inMemory: false,
  region: "us-east-1",
  logLevel: "info",
  credentialsFile: undefined,
  clock: systemClock,
};

export interface RunningStratus {
  /** `http://host:port`, the endpoint to give AWS clients. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly region: string;
  readonly storage: KvStore;
  readonly credentials: CredentialStore;
  /** The services, for in-process use by tests and tools (`services.callerFor(...)`). */
  readonly services: ServiceRegistry;
  /** Stops accepting, finishes in-flight requests, closes storage. */
  close(): Promise<void>;
}

export async function startStratus(overrides: Partial<StratusOptions> = {}): Promise<RunningStratus> {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const logger = createLogger(options.logLevel);
  const credentials = options.credentialsFile
    ? loadCredentialsFile(options.credentialsFile)
    : new CredentialStore();
  const storage = await openStorage({ dataDir: options.dataDir, inMemory: options.inMemory });
  const blobDir = options.inMemory
    ? await mkdtemp(join(tmpdir(), "stratus-blobs-"))
    : join(options.dataDir, "blobs");
  await mkdir(blobDir, { recursive: true });
  const closeHooks: (() => Promise<void> | void)[] = [];
  const endpoint: { url: string | undefined } = { url: undefined };
  const services = createServices({
    endpoint,
    storage,
    blobDir,
    credentials,
    clock: options.clock,
    logger,
    onClose: (hook) => closeHooks.push(hook),
  });
  const shutDownServices = async () => {
    for (const hook of closeHooks.reverse()) await hook();
    await storage.close();
    if (options.inMemory) await rm(blobDir, { recursive: true, force: true });
  };
  const registry = services.definitions;
  const env: EdgeEnv = {
    services: new ServiceIndex(registry),
    registry,
    dataPlanes: services.dataPlanes,
    credentials,
    clock: options.clock,
    logger,
    defaultRegion: options.region,
    version: VERSION,
    startedAt: options.clock.now(),
  };
  let listener: Awaited<ReturnType<typeof listen>>;
  try {
    listener = await listen(env, options.host, options.port);
  } catch (error) {
    await shutDownServices();
    throw error;
  }
  const hostForUrl = listener.host.includes(":") ? `[${listener.host}]` : listener.host;
  // A wildcard listen address is reachable on loopback; functions call back through it.
  const callbackHost = ["0.0.0.0", "::"].includes(listener.host) ? "127.0.0.1" : hostForUrl;
  endpoint.url = `http://${callbackHost}:${listener.port}`;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${listener.port}`,
    port: listener.port,
    host: listener.host,
    region: options.region,
    storage,
    credentials,
    services,
    close() {
      closed ??= (async () => {
        await listener.close();
        await shutDownServices();
      })();
      return closed;
    },
  };
}
