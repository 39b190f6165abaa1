/**
 * HTTP_PROXY integrations against a backend on 127.0.0.1: method, path (route variables and the
 * `$default` route's full path), query, headers and body go through; the backend's status, headers
 * and body come back; an unreachable backend is 500 Internal Server Error.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { createHttpApi, invoke, json } from "./helpers.ts";

describe("HTTP API HTTP_PROXY integrations", () => {
  const stratus = useStratus({ inMemory: true });
  let backend: Server;
  let backendUrl = "";
  let apiId = "";

  before(async () => {
    backend = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        res.statusCode = 207;
        res.setHeader("content-type", "application/json");
        res.setHeader("x-backend", "yes");
        res.setHeader("set-cookie", ["a=1", "b=2"]);
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    apiId = await createHttpApi(client, {
      integrations: {
        mapped: {
          IntegrationType: "HTTP_PROXY",
          IntegrationMethod: "ANY",
          IntegrationUri: `${backendUrl}/backend/{proxy}`,
          PayloadFormatVersion: "1.0",
        },
        whole: {
          IntegrationType: "HTTP_PROXY",
          IntegrationMethod: "ANY",
          IntegrationUri: backendUrl,
          PayloadFormatVersion: "1.0",
        },
        mappedParams: {
          IntegrationType: "HTTP_PROXY",
          IntegrationMethod: "ANY",
          IntegrationUri: backendUrl,
          PayloadFormatVersion: "1.0",
          RequestParameters: {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's embedding syntax.
            "overwrite:path": "/mapped/${request.path.rest}",
            "append:header.x-request-id": "$context.requestId",
            "remove:header.x-drop": "''",
            "overwrite:querystring.q": "fixed",
          },
          ResponseParameters: {
            "207": {
              "overwrite:statuscode": "200",
              "overwrite:header.x-from-backend": "$response.header.x-backend",
              "remove:header.x-backend": "''",
            },
          },
        },
        dead: {
          IntegrationType: "HTTP_PROXY",
          IntegrationMethod: "GET",
          IntegrationUri: "http://127.0.0.1:1/x",
          PayloadFormatVersion: "1.0",
        },
      },
      routes: [
        { routeKey: "ANY /svc/{proxy+}", integration: "mapped" },
        { routeKey: "GET /dead", integration: "dead" },
        { routeKey: "GET /params/{rest+}", integration: "mappedParams" },
        { routeKey: "$default", integration: "whole" },
      ],
    });
    client.destroy();
  });

  after(() => new Promise<void>((resolve) => backend.close(() => resolve())));

  it("forwards method, mapped path, query, headers and body, and returns the backend's answer", async () => {
    const response = await invoke(stratus.server.port, apiId, {
      method: "PUT",
      path: "/svc/a/b?x=1&y=2",
      headers: { "content-type": "text/plain", "x-client": "c1" },
      body: "payload",
    });
    assert.equal(response.status, 207);
    assert.equal(response.headers["x-backend"], "yes");
    assert.deepEqual(response.headers["set-cookie"], ["a=1", "b=2"]);
    const seen = json(response) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    assert.equal(seen.method, "PUT");
    assert.equal(seen.url, "/backend/a/b?x=1&y=2");
    assert.equal(seen.headers["x-client"], "c1");
    assert.equal(seen.headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(seen.body, "payload");
  });

  it("sends the full path for the $default route", async () => {
    const response = await invoke(stratus.server.port, apiId, { path: "/store/checkout?z=9" });
    assert.equal(response.status, 207);
    assert.equal((json(response) as { url: string }).url, "/store/checkout?z=9");
  });

  it("applies requestParameters and responseParameters", async () => {
    const response = await invoke(stratus.server.port, apiId, {
      path: "/params/a/b?q=1&keep=2",
      headers: { "x-drop": "gone", "x-stay": "here" },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers["x-from-backend"], "yes");
    assert.equal(response.headers["x-backend"], undefined);
    const seen = json(response) as { url: string; headers: Record<string, string> };
    assert.equal(seen.url, "/mapped/a/b?q=fixed&keep=2");
    assert.equal(seen.headers["x-drop"], undefined);
    assert.equal(seen.headers["x-stay"], "here");
    assert.equal(seen.headers["x-request-id"], response.headers["apigw-requestid"]);
  });

  it("answers 500 Internal Server Error when the backend cannot be reached", async () => {
    const response = await invoke(stratus.server.port, apiId, { path: "/dead" });
    assert.equal(response.status, 500);
    assert.deepEqual(json(response), { message: "Internal Server Error" });
  });
});
