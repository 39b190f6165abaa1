/**
 * Lambda authorizers (TOKEN and REQUEST) of REST API methods with authorizationType CUSTOM.
 *
 * - TOKEN: the identity source (`method.request.header.X`) must be present (else 401 Unauthorized,
 *   without invoking) and match identityValidationExpression when there is one (else 401). The event is
 *   `{type: "TOKEN", authorizationToken, methodArn}`.
 * - REQUEST: every identity source (comma-separated `method.request.header.X`,
 *   `method.request.querystring.X`, `stageVariables.X`, `context.X`) must be present (else 401). The
 *   event is the proxy event's request members with `type: "REQUEST"` and `methodArn` first.
 * - The function's answer: `principalId`, `policyDocument` (policy.ts decides against the method ARN:
 *   explicit deny → 403 "...with an explicit deny...", no allow → 403 "User is not authorized to access
 *   this resource"), `context` (string, number or boolean values, which reach
 *   requestContext.authorizer stringified, with principalId and integrationLatency), and
 *   `usageIdentifierKey` (the API key when the API's apiKeySource is AUTHORIZER).
 * - A function that fails with the message "Unauthorized" is a 401; any other failure, or an answer
 *   without a policy, is AUTHORIZER_CONFIGURATION_ERROR (500 `{"message": null}`).
 * - Results are cached per authorizer and identity for authorizerResultTtlInSeconds (default 300; 0
 *   turns caching off; REQUEST authorizers without identity sources are never cached); a cached policy
 *   is evaluated again against each request's own method ARN, as on AWS.
 *
 * Sources: API Gateway developer guide, "Input to an API Gateway Lambda authorizer" and "Output from
 * an API Gateway Lambda authorizer"; AWS knowledge center on 401/403 answers for Lambda authorizers.
 */
import type { Clock } from "../../../aws/clock.ts";
import type { Json } from "../snapshot.ts";
import { explicitDeny, GatewayError, noAllow, unauthorized } from "./gateway-responses.ts";
import { evaluatePolicy, isPolicyDocument } from "./policy.ts";

/** What running an authorizer needs from the request. */
export interface AuthorizerRequest {
  methodArn: string;
  /** Where identity sources are read. */
  header(name: string): string | undefined;
  query(name: string): string | undefined;
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
  /** The proxy-style members of a REQUEST authorizer's event (resource ... requestContext). */
  requestEventMembers(): Record<string, unknown>;
  /** Invokes a function by its ARN with a JSON event; a function error is `{ errorMessage }`. */
  invoke(functionArn: string, event: unknown): Promise<{ payload: unknown; functionError: boolean }>;
}

export interface AuthorizerOutcome {
  /** requestContext.authorizer / $context.authorizer. */
  authorizer: Record<string, unknown>;
  principalId: string;
  usageIdentifierKey?: string;
}

interface CachedResult {
  answer: Record<string, unknown>;
  expiresAtMs: number;
}

const DEFAULT_TTL_SECONDS = 300;
/** Bound on cached authorizer results (oldest dropped first). */
const CACHE_ENTRIES_MAX = 10_000;

/** The function ARN inside an authorizer/integration URI (`arn:aws:apigateway:...:lambda:path/2015-03-31/functions/{arn}/invocations`). */
export function functionArnOf(
  uri: string | undefined,
  stageVariables: Record<string, string>,
): string | undefined {
  if (uri === undefined) return undefined;
  const substituted = uri.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_m, name: string) => stageVariables[name] ?? "",
  );
  return /:lambda:path\/[^/]+\/functions\/(.+?)\/invocations$/.exec(substituted)?.[1];
}

export class AuthorizerRunner {
  readonly #cache = new Map<string, CachedResult>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs (or reuses) the authorizer and decides; throws a GatewayError when the request is refused. */
  async authorize(
    authorizer: Json,
    request: AuthorizerRequest,
    cacheScope: string,
  ): Promise<AuthorizerOutcome> {
    const type = String(authorizer.type ?? "TOKEN");
    if (type !== "TOKEN" && type !== "REQUEST") {
      // COGNITO_USER_POOLS is not emulated: refuse rather than let every caller through.
      throw unauthorized();
    }
    const identity = identityValues(authorizer, type, request);
    const ttlSeconds = Number(authorizer.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS);
    const cacheKey =
      identity.values.length > 0 && ttlSeconds > 0
        ? `${cacheScope}\u0000${String(authorizer.id)}\u0000${identity.values.join("\u0000")}`
        : undefined;
    const now = this.#clock.now().getTime();
    const cached = cacheKey === undefined ? undefined : this.#cache.get(cacheKey);
    let answer: Record<string, unknown>;
    let latencyMs = 0;
    if (cached && cached.expiresAtMs > now) {
      answer = cached.answer;
    } else {
      const started = Date.now();
      answer = await this.#run(authorizer, type, identity.token, request);
      latencyMs = Date.now() - started;
      if (cacheKey !== undefined) {
        if (this.#cache.size >= CACHE_ENTRIES_MAX) {
          const oldest = this.#cache.keys().next().value;
          if (oldest !== undefined) this.#cache.delete(oldest);
        }
        this.#cache.set(cacheKey, { answer, expiresAtMs: now + ttlSeconds * 1000 });
      }
    }
    const decision = evaluatePolicy(answer.policyDocument, request.methodArn);
    if (decision === "deny") throw explicitDeny();
    if (decision === "none") throw noAllow();
    const principalId = String(answer.principalId ?? "");
    const context = (answer.context ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(context)) out[key] = String(value);
    out.principalId = principalId;
    out.integrationLatency = latencyMs;
    const outcome: AuthorizerOutcome = { authorizer: out, principalId };
    if (typeof answer.usageIdentifierKey === "string") outcome.usageIdentifierKey = answer.usageIdentifierKey;
    return outcome;
  }

  /** Runs the authorizer's function once, without cache or policy decision (TestInvokeAuthorizer). */
  async runOnce(authorizer: Json, request: AuthorizerRequest): Promise<Record<string, unknown>> {
    const type = String(authorizer.type ?? "TOKEN");
    if (type !== "TOKEN" && type !== "REQUEST") throw unauthorized();
    const identity = identityValues(authorizer, type, request);
    return this.#run(authorizer, type, identity.token, request);
  }

  async #run(
    authorizer: Json,
    type: string,
    token: string | undefined,
    request: AuthorizerRequest,
  ): Promise<Record<string, unknown>> {
    const functionArn = functionArnOf(authorizer.authorizerUri as string | undefined, request.stageVariables);
    if (functionArn === undefined) throw configurationError();
    const event =
      type === "TOKEN"
        ? { type: "TOKEN", authorizationToken: token ?? "", methodArn: request.methodArn }
        : { type: "REQUEST", methodArn: request.methodArn, ...request.requestEventMembers() };
    let result: { payload: unknown; functionError: boolean };
    try {
      result = await request.invoke(functionArn, event);
    } catch {
      throw configurationError();
    }
    if (result.functionError) {
      const message = (result.payload as Record<string, unknown> | null)?.errorMessage;
      if (message === "Unauthorized") throw unauthorized();
      throw configurationError();
    }
    const answer = result.payload;
    if (answer === null || typeof answer !== "object" || Array.isArray(answer)) throw configurationError();
    const members = answer as Record<string, unknown>;
    if (members.principalId === undefined || !isPolicyDocument(members.policyDocument))
      throw configurationError();
    const context = members.context;
    if (context !== undefined && context !== null) {
      if (typeof context !== "object" || Array.isArray(context)) throw configurationError();
      // Only strings, numbers and booleans may be context values ("Output from a Lambda authorizer").
      if (Object.values(context).some((v) => v !== null && typeof v === "object")) throw configurationError();
    }
    return members;
  }
}

/** 500 `{"message": null}`, AuthorizerConfigurationException. */
export function configurationError(): GatewayError {
  return new GatewayError("AUTHORIZER_CONFIGURATION_ERROR", null, "AuthorizerConfigurationException");
}

/** The identity source values; throws 401 when one is missing or the token fails validation. */
function identityValues(
  authorizer: Json,
  type: string,
  request: AuthorizerRequest,
): { values: string[]; token: string | undefined } {
  const sources = String(
    authorizer.identitySource ?? (type === "TOKEN" ? "method.request.header.Authorization" : ""),
  )
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const values: string[] = [];
  for (const source of sources) {
    const value = sourceValue(source, request);
    if (value === undefined || value === "") throw unauthorized();
    values.push(value);
  }
  const token = type === "TOKEN" ? values[0] : undefined;
  const expression = authorizer.identityValidationExpression;
  if (type === "TOKEN" && typeof expression === "string" && expression !== "") {
    let valid = false;
    try {
      valid = new RegExp(`^(?:${expression})$`).test(token ?? "");
    } catch {
      valid = false;
    }
    if (!valid) throw unauthorized();
  }
  return { values, token };
}

function sourceValue(source: string, request: AuthorizerRequest): string | undefined {
  let match = /^method\.request\.header\.(.+)$/.exec(source);
  if (match) return request.header(match[1] ?? "");
  match = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (match) return request.query(match[1] ?? "");
  match = /^stageVariables\.(.+)$/.exec(source);
  if (match) return request.stageVariables[match[1] ?? ""];
  match = /^context\.(.+)$/.exec(source);
  if (match) {
    let value: unknown = request.context;
    for (const part of (match[1] ?? "").split(".")) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}
