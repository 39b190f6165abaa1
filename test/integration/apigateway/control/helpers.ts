/** Shared by the REST API control-plane tests: an API Gateway client and exact error checks. */
import assert from "node:assert/strict";
import { APIGatewayClient, CreateRestApiCommand } from "@aws-sdk/client-api-gateway";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { TestStratus } from "../../../support/stratus.ts";

export function apigateway(stratus: TestStratus): APIGatewayClient {
  return new APIGatewayClient(stratus.clientConfig());
}

export async function accountOf(stratus: TestStratus): Promise<string> {
  const identity = await stratus.sts().send(new GetCallerIdentityCommand({}));
  return identity.Account as string;
}

/** Asserts the call fails with exactly this error code, message and HTTP status. */
export async function rejects(
  call: Promise<unknown>,
  code: string,
  message: string,
  status: number,
): Promise<void> {
  await assert.rejects(call, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, code);
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}

let counter = 0;
export function uniqueName(prefix = "api"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function newApi(client: APIGatewayClient, extra: Record<string, unknown> = {}) {
  const api = await client.send(new CreateRestApiCommand({ name: uniqueName(), ...extra }));
  return { apiId: api.id as string, rootId: api.rootResourceId as string, api };
}
