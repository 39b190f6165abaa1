/**
 * The integration-test fixture: starts a real Stratus on an ephemeral port (port 0) with its own temp
 * data dir (or in memory), hands out AWS SDK v3 clients configured for it, and disposes of everything.
 *
 *   const stratus = useStratus();            // registers before/after hooks in the current suite
 *   it("...", async () => { await stratus.dynamodb().send(...) });
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { type RunningStratus, type StratusOptions, startStratus } from "../../src/server.ts";

export interface ClientCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const TEST_CREDENTIALS: ClientCredentials = { accessKeyId: "test", secretAccessKey: "test" };

/** Options for any AWS SDK v3 client pointed at a Stratus endpoint (also one a test started itself). */
export function clientConfigFor(endpoint: string, credentials = TEST_CREDENTIALS, region = "us-east-1") {
  // Tests assert the first answer; retries would hide it and slow failures down.
  return { endpoint, region, credentials, maxAttempts: 1 };
}

export interface TestStratus {
  readonly server: RunningStratus;
  readonly url: string;
  readonly region: string;
  readonly dataDir: string;
  /** Client options for any AWS SDK v3 client. */
  clientConfig(credentials?: ClientCredentials): {
    endpoint: string;
    region: string;
    credentials: ClientCredentials;
    maxAttempts: number;
  };
  cloudformation(credentials?: ClientCredentials): CloudFormationClient;
  dynamodb(credentials?: ClientCredentials): DynamoDBClient;
  dynamodbStreams(credentials?: ClientCredentials): DynamoDBStreamsClient;
  lambda(credentials?: ClientCredentials): LambdaClient;
  logs(credentials?: ClientCredentials): CloudWatchLogsClient;
  s3(credentials?: ClientCredentials): S3Client;
  sts(credentials?: ClientCredentials): STSClient;
  close(): Promise<void>;
}

export async function startTestStratus(options: Partial<StratusOptions> = {}): Promise<TestStratus> {
  const dataDir = await mkdtemp(join(tmpdir(), "stratus-test-"));
  const server = await startStratus({ port: 0, dataDir, logLevel: "silent", ...options });
  const clients: { destroy(): void }[] = [];
  const clientConfig = (credentials = TEST_CREDENTIALS) =>
    clientConfigFor(server.url, credentials, server.region);
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  return {
    server,
    url: server.url,
    region: server.region,
    dataDir,
    clientConfig,
    cloudformation: (c) => track(new CloudFormationClient(clientConfig(c))),
    dynamodb: (c) => track(new DynamoDBClient(clientConfig(c))),
    dynamodbStreams: (c) => track(new DynamoDBStreamsClient(clientConfig(c))),
    lambda: (c) => track(new LambdaClient(clientConfig(c))),
    logs: (c) => track(new CloudWatchLogsClient(clientConfig(c))),
    s3: (c) => track(new S3Client({ ...clientConfig(c), forcePathStyle: true })),
    sts: (c) => track(new STSClient(clientConfig(c))),
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts one Stratus for the enclosing suite (before) and stops it (after). */
export function useStratus(options: Partial<StratusOptions> = {}): TestStratus {
  let instance: TestStratus | undefined;
  before(async () => {
    instance = await startTestStratus(options);
  });
  after(async () => {
    await instance?.close();
  });
  return new Proxy({} as TestStratus, {
    get(_target, property) {
      if (!instance) throw new Error("Stratus is not started yet: use it inside a test");
      const value = instance[property as keyof TestStratus];
      return typeof value === "function" ? value.bind(instance) : value;
    },
  });
}
