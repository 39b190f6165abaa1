/**
 * Shared bits of the HTTP API data-plane tests: a Node function that echoes its event, HTTP APIs
 * built through @aws-sdk/client-apigatewayv2 (an API, Lambda or HTTP integrations, routes and an
 * auto-deployed stage), and plain HTTP to the invoke URL (127.0.0.1 with a
 * `Host: {apiId}.execute-api.localhost:{port}` header, since *.localhost does not resolve here).
 */
import {
  type ApiGatewayV2Client,
  CreateApiCommand,
  type CreateApiCommandInput,
  CreateAuthorizerCommand,
  type CreateAuthorizerCommandInput,
  CreateIntegrationCommand,
  type CreateIntegrationCommandInput,
  CreateRouteCommand,
  type CreateRouteCommandInput,
  CreateStageCommand,
  type CreateStageCommandInput,
} from "@aws-sdk/client-apigatewayv2";
import { CreateFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { TEST_CREDENTIALS } from "../../../support/stratus.ts";
import { makeZip, ROLE, uniqueName } from "../../lambda/helpers.ts";
import { callUrl, type UrlRequest, type UrlResponse } from "../../lambda/urls/http.ts";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

/** Answers with its whole event as JSON (and, when asked by `?status=`, that status). */
export const ECHO_JS = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json", "x-echo": "yes" },
  body: JSON.stringify(event),
});
`;

export async function createFunction(lambda: LambdaClient, code: string, prefix = "apigw"): Promise<string> {
  const name = uniqueName(prefix);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: makeZip({ "index.js": code }) },
    }),
  );
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

export interface RouteSpec {
  routeKey: string;
  integration: string;
  extra?: Partial<CreateRouteCommandInput>;
}

export interface ApiSpec {
  api?: Partial<CreateApiCommandInput>;
  /** Integrations by a local name. */
  integrations: Record<string, Partial<CreateIntegrationCommandInput>>;
  authorizers?: Record<string, Partial<CreateAuthorizerCommandInput>>;
  /** `authorizerId` may name an authorizer of `authorizers`. */
  routes: RouteSpec[];
  stages?: Partial<CreateStageCommandInput>[];
}

/** Creates the API, its integrations, authorizers and routes, then its (auto-deployed) stages. */
export async function createHttpApi(client: ApiGatewayV2Client, spec: ApiSpec): Promise<string> {
  const api = await client.send(
    new CreateApiCommand({ Name: uniqueName("api"), ProtocolType: "HTTP", ...spec.api }),
  );
  const apiId = api.ApiId ?? "";
  const integrationIds: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.integrations)) {
    const created = await client.send(
      new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: "AWS_PROXY", ...input }),
    );
    integrationIds[name] = created.IntegrationId ?? "";
  }
  const authorizerIds: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.authorizers ?? {})) {
    const created = await client.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: name,
        AuthorizerType: "REQUEST",
        IdentitySource: ["$request.header.Authorization"],
        ...input,
      }),
    );
    authorizerIds[name] = created.AuthorizerId ?? "";
  }
  for (const route of spec.routes) {
    const authorizerId = route.extra?.AuthorizerId;
    await client.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: route.routeKey,
        Target: `integrations/${integrationIds[route.integration]}`,
        ...route.extra,
        ...(authorizerId !== undefined ? { AuthorizerId: authorizerIds[authorizerId] ?? authorizerId } : {}),
      }),
    );
  }
  for (const stage of spec.stages ?? [{ StageName: "$default" }]) {
    await client.send(
      new CreateStageCommand({ ApiId: apiId, StageName: "$default", AutoDeploy: true, ...stage }),
    );
  }
  return apiId;
}

/** A request to the API's invoke URL (host form). */
export function invoke(
  port: number,
  apiId: string,
  request: Omit<UrlRequest, "host"> & { host?: string },
): Promise<UrlResponse> {
  return callUrl(port, { host: `${apiId}.execute-api.localhost:${port}`, ...request });
}

export function json(response: UrlResponse): Record<string, unknown> {
  return JSON.parse(response.text) as Record<string, unknown>;
}

/** HTTP API request ids: base64 of 11 bytes. */
export const REQUEST_ID = /^[A-Za-z0-9]{15}=$/;

/** A GET signed with SigV4 for the service `execute-api` (what awscurl sends to AWS_IAM routes). */
export async function signedGet(port: number, apiId: string, path: string): Promise<UrlResponse> {
  const host = `${apiId}.execute-api.localhost:${port}`;
  const signer = new SignatureV4({
    service: "execute-api",
    region: REGION,
    credentials: TEST_CREDENTIALS,
    sha256: Hash.bind(null, "sha256"),
  });
  const signed = await signer.sign(
    new HttpRequest({ method: "GET", protocol: "http:", hostname: host, path, headers: { host } }),
  );
  return callUrl(port, { host, path, headers: signed.headers });
}
