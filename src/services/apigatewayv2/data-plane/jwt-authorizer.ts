/**
 * JWT authorizers (developer guide, "Controlling access to HTTP APIs with JWT authorizers"): the
 * token is read from the first identity source (`$request.header.Authorization` by default), with or
 * without a `Bearer ` prefix; its RSA signature is checked against the keys the issuer publishes
 * (`{issuer}/.well-known/openid-configuration` → `jwks_uri`; API Gateway caches them up to two
 * hours); `kid` must name one of them, `iss` must equal the configured issuer, `aud` (or `client_id`
 * when there is no `aud`) one of the configured audiences, `exp` after and `nbf`/`iat` before now;
 * a route with authorizationScopes needs at least one of them in `scope` or `scp`.
 *
 * Refusals: 401 `{"message":"Unauthorized"}` with `www-authenticate: Bearer scope="" error="invalid_token"
 * error_description="the token does not have a valid audience"` for a wrong audience (developer
 * guide, "Troubleshooting issues with HTTP API JWT authorizers"); a missing scope is 403
 * `{"message":"Forbidden"}`.
 *
 * ## Gaps / unconfirmed
 * - Descriptions other than the audience one ("the token has expired", "the token is not valid yet",
 *   "the token has an invalid issuer", "the token signature is invalid") are ours in the documented
 *   style; a request without a token gets 401 without `www-authenticate`.
 * - Claims reach the integration as strings (numbers as decimal text, arrays as `[a b]`), which is
 *   how events captured from AWS show them; nested objects are sent as JSON.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import type { AuthorizerRecord, RouteRecord } from "../snapshot.ts";
import { identityValue } from "./identity-sources.ts";
import type { ServedRequest } from "./served-request.ts";

export type JwtOutcome =
  | { admitted: true; claims: Record<string, string>; scopes: string[] | null }
  | { admitted: false; status: 401 | 403; wwwAuthenticate?: string };

/** How long an issuer's discovery document and keys are kept (API Gateway: up to two hours). */
const ISSUER_CACHE_MS = 2 * 60 * 60 * 1000;
/** Bound on fetching an issuer's documents. */
const FETCH_TIMEOUT_MS = 5_000;
const RSA_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
const DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization";

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export class JwtAuthorizers {
  readonly #issuers = new Map<string, { keys: KeySet; fetchedAtMs: number }>();
  readonly #nowMs: () => number;

  constructor(nowMs: () => number) {
    this.#nowMs = nowMs;
  }

  async authorize(
    authorizer: AuthorizerRecord,
    route: RouteRecord,
    served: ServedRequest,
  ): Promise<JwtOutcome> {
    const source = authorizer.identitySource?.[0] ?? DEFAULT_IDENTITY_SOURCE;
    const raw = identityValue(source, served);
    if (raw === undefined) return { admitted: false, status: 401 };
    const token = raw.replace(/^Bearer\s+/i, "").trim();
    const issuer = authorizer.jwtConfiguration?.issuer ?? "";
    let payload: JWTPayload;
    try {
      const keys = await this.#keysFor(issuer);
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        algorithms: RSA_ALGORITHMS,
        currentDate: new Date(this.#nowMs()),
      }));
    } catch (error) {
      return refused(describe(error));
    }
    if (typeof payload.iat === "number" && payload.iat * 1000 > this.#nowMs() + 1000) {
      return refused("the token is not valid yet");
    }
    const audiences = authorizer.jwtConfiguration?.audience ?? [];
    const tokenAudiences =
      payload.aud !== undefined
        ? Array.isArray(payload.aud)
          ? payload.aud
          : [payload.aud]
        : typeof payload.client_id === "string"
          ? [payload.client_id]
          : [];
    if (!tokenAudiences.some((aud) => audiences.includes(aud))) {
      return refused("the token does not have a valid audience");
    }
    const scopes = tokenScopes(payload);
    const required = route.authorizationScopes ?? [];
    if (required.length > 0 && !scopes.some((scope) => required.includes(scope))) {
      return { admitted: false, status: 403 };
    }
    return { admitted: true, claims: claimStrings(payload), scopes: scopes.length > 0 ? scopes : null };
  }

  async #keysFor(issuer: string): Promise<KeySet> {
    const cached = this.#issuers.get(issuer);
    if (cached !== undefined && this.#nowMs() - cached.fetchedAtMs < ISSUER_CACHE_MS) return cached.keys;
    const discovery = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new IssuerUnavailable(`${discovery}: ${response.status}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== "string") throw new IssuerUnavailable(`${discovery}: no jwks_uri`);
    const keys = createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cacheMaxAge: ISSUER_CACHE_MS,
    });
    this.#issuers.set(issuer, { keys, fetchedAtMs: this.#nowMs() });
    return keys;
  }
}

class IssuerUnavailable extends Error {}

function refused(description: string): JwtOutcome {
  return {
    admitted: false,
    status: 401,
    wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "the token has an invalid issuer";
    if (error.claim === "nbf") return "the token is not valid yet";
    return `the token has an invalid ${error.claim} claim`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token signature is invalid";
  if (error instanceof errors.JWKSNoMatchingKey) return "the token's key id is not among the issuer's keys";
  if (error instanceof IssuerUnavailable || error instanceof errors.JWKSTimeout) {
    return "the issuer's keys could not be fetched";
  }
  return "the token is malformed";
}

function tokenScopes(payload: JWTPayload): string[] {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === "string") return scope.split(" ").filter((s) => s !== "");
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === "string");
  return [];
}

function claimStrings(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "string") out[name] = value;
    else if (Array.isArray(value))
      out[name] = `[${value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ")}]`;
    else if (typeof value === "object") out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}
