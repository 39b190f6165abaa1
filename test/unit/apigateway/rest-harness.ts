/**
 * A REST API data plane with hand-built deployment snapshots and in-test "Lambda functions" (plain JS
 * handlers behind a fake invoker), driven with DataPlaneRequests as the execute-api plane hands them
 * over. Lets the data plane be tested without the control plane or function processes.
 */
import { ManualClock } from "../../../src/aws/clock.ts";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import type { DataPlaneRequest, DataPlaneResponse } from "../../../src/edge/data-plane.ts";
import { createLogger } from "../../../src/log.ts";
import { restApiDataPlane } from "../../../src/services/apigateway/data-plane/backend.ts";
import type {
  IntegrationRecord,
  Json,
  MethodRecord,
  ResourceRecord,
  RestApiDeploymentSnapshot,
  RestApiSnapshots,
  StageRecord,
} from "../../../src/services/apigateway/snapshot.ts";
import type { ApiGatewayParts } from "../../../src/services/execute-api/parts.ts";

export const ACCOUNT = "111111111111";
export const REGION = "us-east-1";
export const API_ID = "abcdef1234";

export type Handler = (event: Record<string, unknown>) => unknown;

export interface Harness {
  clock: ManualClock;
  /** Every event each function received. */
  calls: Record<string, Record<string, unknown>[]>;
  functions: Record<string, Handler>;
  stage: StageRecord;
  deployment: RestApiDeploymentSnapshot;
  apiKeys: Json[];
  usagePlans: { plan: Json; keyIds: string[] }[];
  send(request: Partial<RequestInit> & { path: string; query?: string }): Promise<Answer>;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  raw: Buffer;
  json(): unknown;
}

/** A Lambda integration URI for a function of the test account. */
export function lambdaUri(name: string): string {
  return `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}/invocations`;
}

export function method(
  httpMethod: string,
  integration: IntegrationRecord,
  extra: Partial<MethodRecord> = {},
): MethodRecord {
  return { httpMethod, authorizationType: "NONE", methodIntegration: integration, ...extra };
}

let resourceCounter = 0;
export function resource(path: string, methods: MethodRecord[]): ResourceRecord {
  resourceCounter++;
  return {
    id: `res${String(resourceCounter).padStart(3, "0")}`,
    path,
    resourceMethods: Object.fromEntries(methods.map((m) => [m.httpMethod, m])),
  };
}

/** Raises a function error the way Lambda reports one. */
export class FunctionFailure extends Error {}

export function harness(resources: ResourceRecord[], options: { stageName?: string } = {}): Harness {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 18, 0, 0));
  const calls: Record<string, Record<string, unknown>[]> = {};
  const functions: Record<string, Handler> = {};
  const stage: StageRecord = { stageName: options.stageName ?? "prod", deploymentId: "dep123" };
  const deployment: RestApiDeploymentSnapshot = {
    api: { id: API_ID, name: "test", rootResourceId: "root00" },
    deploymentId: "dep123",
    resources,
    authorizers: {},
    models: {},
    requestValidators: {},
    gatewayResponses: {},
  };
  const apiKeys: Json[] = [];
  const usagePlans: { plan: Json; keyIds: string[] }[] = [];
  const snapshots: RestApiSnapshots = {
    stageSnapshot: async (_r, accountId, region, apiId, stageName) =>
      accountId === ACCOUNT && region === REGION && apiId === API_ID && stageName === stage.stageName
        ? { stage, deployment }
        : undefined,
    apiKeyByValue: async (_r, _a, _g, value) => apiKeys.find((k) => k.value === value),
    usagePlansForStage: async () => usagePlans,
  };
  const invoker = {
    invoke: async (request: { functionName: string; payload: Buffer }) => {
      const name = request.functionName.split(":").at(-1) ?? "";
      const handler = functions[name];
      if (handler === undefined) {
        const { AwsError } = await import("../../../src/aws/errors.ts");
        throw new AwsError("ResourceNotFoundException", `Function not found: ${request.functionName}`, 404);
      }
      const event = JSON.parse(request.payload.toString("utf8")) as Record<string, unknown>;
      const received = calls[name] ?? [];
      received.push(event);
      calls[name] = received;
      try {
        const value = await handler(event);
        return {
          resolved: {},
          requestId: "req",
          result: { payload: Buffer.from(value === undefined ? "null" : JSON.stringify(value)) },
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          resolved: {},
          requestId: "req",
          result: {
            payload: Buffer.from(JSON.stringify({ errorType: "Error", errorMessage: message, trace: [] })),
            functionError: "Unhandled",
          },
        };
      }
    },
  };
  const parts = {
    deps: {
      storage: {},
      clock,
      logger: createLogger("silent"),
      credentials: new CredentialStore(),
      endpoint: { url: undefined },
    },
    lambda: { invoker },
  } as unknown as ApiGatewayParts;
  const plane = restApiDataPlane(parts, snapshots);

  return {
    clock,
    calls,
    functions,
    stage,
    deployment,
    apiKeys,
    usagePlans,
    async send(init) {
      const headers = (init.headers ?? {}) as Record<string, string | string[]>;
      const rawHeaders: string[] = [
        "Host",
        `${API_ID}.execute-api.localhost:4566`,
        "User-Agent",
        "test-agent/1.0",
      ];
      for (const [name, value] of Object.entries(headers)) {
        for (const v of Array.isArray(value) ? value : [value]) rawHeaders.push(name, v);
      }
      const nodeHeaders: Record<string, string> = {};
      for (let i = 0; i < rawHeaders.length; i += 2) {
        const name = (rawHeaders[i] ?? "").toLowerCase();
        nodeHeaders[name] =
          nodeHeaders[name] === undefined
            ? (rawHeaders[i + 1] ?? "")
            : `${nodeHeaders[name]}, ${rawHeaders[i + 1]}`;
      }
      const body = init.body === undefined ? Buffer.alloc(0) : Buffer.from(init.body as string | Buffer);
      const request: DataPlaneRequest = {
        method: init.method ?? "GET",
        id: API_ID,
        region: undefined,
        rawPath: init.path,
        rawQuery: init.query ?? "",
        headers: nodeHeaders,
        rawHeaders,
        body,
        sourceIp: "127.0.0.1",
        protocol: "HTTP/1.1",
        host: `${API_ID}.execute-api.localhost:4566`,
        endpoint: "http://127.0.0.1:4566",
        pathForm: false,
        signedPath: init.path,
        receivedAt: clock.now(),
      };
      const response: DataPlaneResponse = await plane.backend.handle(request, {
        accountId: ACCOUNT,
        region: REGION,
        kind: "rest",
      });
      const raw = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
      const text = raw.toString("utf8");
      return {
        status: response.status,
        headers: response.headers,
        body: text,
        raw,
        json: () => JSON.parse(text),
      };
    },
  };
}
