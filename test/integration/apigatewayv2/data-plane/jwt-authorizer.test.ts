/**
 * JWT authorizers against an issuer served on 127.0.0.1 (OIDC discovery + JWKS): valid tokens reach
 * the function with their claims and scopes; missing, expired, wrongly signed or wrong-audience
 * tokens get 401 Unauthorized (with AWS's www-authenticate for the audience case); a token without
 * one of the route's scopes gets 403 Forbidden.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** The private keys jose generates (a WebCrypto CryptoKey; the DOM type is not in this project's lib). */
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

import { useStratus } from "../../../support/stratus.ts";
import { createFunction, createHttpApi, ECHO_JS, invoke, json } from "./helpers.ts";

const AUDIENCE = "my-client";

describe("HTTP API JWT authorizers", () => {
  const stratus = useStratus({ inMemory: true });
  let issuerServer: Server;
  let issuer = "";
  let privateKey: SigningKey;
  let otherKey: SigningKey;
  let apiId = "";
  const fetched = { discovery: 0, jwks: 0 };

  before(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair("RS256")).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
    issuerServer = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/.well-known/openid-configuration") {
        fetched.discovery++;
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === "/jwks") {
        fetched.jwks++;
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
    await new Promise<void>((resolve) => issuerServer.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;

    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const echo = await createFunction(stratus.lambda(), ECHO_JS);
    apiId = await createHttpApi(client, {
      integrations: {
        v2: { IntegrationUri: echo, PayloadFormatVersion: "2.0" },
        v1: { IntegrationUri: echo, PayloadFormatVersion: "1.0" },
      },
      authorizers: {
        jwt: {
          AuthorizerType: "JWT",
          IdentitySource: ["$request.header.Authorization"],
          JwtConfiguration: { Issuer: issuer, Audience: [AUDIENCE] },
        },
      },
      routes: [
        {
          routeKey: "GET /open",
          integration: "v2",
          extra: { AuthorizationType: "JWT", AuthorizerId: "jwt" },
        },
        {
          routeKey: "GET /scoped",
          integration: "v2",
          extra: { AuthorizationType: "JWT", AuthorizerId: "jwt", AuthorizationScopes: ["write", "admin"] },
        },
        { routeKey: "GET /v1", integration: "v1", extra: { AuthorizationType: "JWT", AuthorizerId: "jwt" } },
      ],
    });
    client.destroy();
  });

  after(() => new Promise<void>((resolve) => issuerServer.close(() => resolve())));

  function token(
    claims: Record<string, unknown> = {},
    options: { key?: SigningKey; audience?: string; expiresIn?: string | number } = {},
  ): Promise<string> {
    return new SignJWT({ scope: "read write", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "key-1" })
      .setIssuer(issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject("user-1")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "1h")
      .sign(options.key ?? privateKey);
  }

  async function call(path: string, authorization?: string) {
    return invoke(stratus.server.port, apiId, {
      path,
      ...(authorization !== undefined ? { headers: { authorization } } : {}),
    });
  }

  it("passes a valid token's claims and scopes to the function (format 2.0)", async () => {
    const response = await call("/open", `Bearer ${await token({ custom: 42 })}`);
    assert.equal(response.status, 200, response.text);
    const context = json(response).requestContext as Record<string, unknown>;
    const authorizer = context.authorizer as { jwt: { claims: Record<string, string>; scopes: string[] } };
    assert.equal(authorizer.jwt.claims.sub, "user-1");
    assert.equal(authorizer.jwt.claims.iss, issuer);
    assert.equal(authorizer.jwt.claims.aud, AUDIENCE);
    assert.equal(authorizer.jwt.claims.custom, "42");
    assert.match(authorizer.jwt.claims.exp ?? "", /^[0-9]+$/);
    assert.deepEqual(authorizer.jwt.scopes, ["read", "write"]);
    // Without the Bearer prefix too.
    assert.equal((await call("/open", await token())).status, 200);
  });

  it("fetches the issuer's discovery document and keys once, then uses its cache", async () => {
    for (let i = 0; i < 3; i++) assert.equal((await call("/open", `Bearer ${await token()}`)).status, 200);
    assert.deepEqual(fetched, { discovery: 1, jwks: 1 });
  });

  it("passes claims as requestContext.authorizer.claims in format 1.0", async () => {
    const response = await call("/v1", `Bearer ${await token()}`);
    assert.equal(response.status, 200);
    const context = json(response).requestContext as Record<string, unknown>;
    const authorizer = context.authorizer as { claims: Record<string, string>; scopes: string[] };
    assert.equal(authorizer.claims.sub, "user-1");
    assert.deepEqual(authorizer.scopes, ["read", "write"]);
  });

  it("refuses a request without a token with 401", async () => {
    const response = await call("/open");
    assert.equal(response.status, 401);
    assert.deepEqual(json(response), { message: "Unauthorized" });
  });

  it("refuses a token for another audience with AWS's www-authenticate", async () => {
    const response = await call("/open", `Bearer ${await token({}, { audience: "someone-else" })}`);
    assert.equal(response.status, 401);
    assert.deepEqual(json(response), { message: "Unauthorized" });
    assert.equal(
      response.headers["www-authenticate"],
      'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    );
  });

  it("refuses expired and wrongly signed tokens with 401", async () => {
    const expired = await call(
      "/open",
      `Bearer ${await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}`,
    );
    assert.equal(expired.status, 401);
    assert.deepEqual(json(expired), { message: "Unauthorized" });
    assert.match(String(expired.headers["www-authenticate"]), /error="invalid_token"/);
    const forged = await call("/open", `Bearer ${await token({}, { key: otherKey })}`);
    assert.equal(forged.status, 401);
    assert.equal((await call("/open", "Bearer not.a.jwt")).status, 401);
  });

  it("needs one of the route's scopes, else 403 Forbidden", async () => {
    assert.equal((await call("/scoped", `Bearer ${await token({ scope: "write" })}`)).status, 200);
    const missing = await call("/scoped", `Bearer ${await token({ scope: "read" })}`);
    assert.equal(missing.status, 403);
    assert.deepEqual(json(missing), { message: "Forbidden" });
    // `scp` as an array counts too.
    assert.equal(
      (await call("/scoped", `Bearer ${await token({ scope: undefined, scp: ["admin"] })}`)).status,
      200,
    );
  });
});
