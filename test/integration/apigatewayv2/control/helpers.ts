/** Shared bits of the HTTP API control-plane tests. */
import assert from "node:assert/strict";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { TestStratus } from "../../../support/stratus.ts";

export const LAMBDA_ARN = "arn:aws:lambda:us-east-1:000000000000:function:hello";
export const LAMBDA_PATH_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${LAMBDA_ARN}/invocations`;

export function client(stratus: TestStratus): ApiGatewayV2Client {
  return new ApiGatewayV2Client(stratus.clientConfig());
}

export async function accountOf(stratus: TestStratus): Promise<string> {
  const identity = await stratus.sts().send(new GetCallerIdentityCommand({}));
  return identity.Account ?? "";
}

interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

/** Asserts the call fails with this error code, HTTP status and (when given) exactly this message. */
export async function rejects(
  promise: Promise<unknown>,
  name: string,
  status: number,
  message?: string | RegExp,
): Promise<void> {
  let error: SdkError | undefined;
  try {
    await promise;
  } catch (caught) {
    error = caught as SdkError;
  }
  assert.ok(error, "expected the call to fail");
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.$metadata.httpStatusCode, status);
  if (typeof message === "string") assert.equal(error.message, message);
  else if (message !== undefined) assert.match(error.message, message);
}
