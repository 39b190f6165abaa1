/**
 * Step 5, authenticate: verify the SigV4 signature (header or presigned query) against the known
 * credentials, and learn the account (from the access key) and region (from the credential scope).
 * Buffered bodies are hashed here; streamed bodies (S3) are checked as they flow, by the verifier
 * this step puts between the socket and the operation.
 */
import type { Readable } from "node:stream";
import type { ProtocolName } from "../../aws/protocols/protocol.ts";
import { authError, type ProtocolFamily } from "../../aws/sigv4/auth-errors.ts";
import { decodedPayload, emptyPayload } from "../../aws/sigv4/payload.ts";
import { verifySigV4Now } from "../../aws/sigv4/verify.ts";
import type { ServiceDefinition } from "../../services/service.ts";
import type { EdgeEnv } from "../env.ts";
import type { Exchange } from "../exchange.ts";

/** The account of an anonymous request: no real account (12 digits) can collide with it. */
export const ANONYMOUS_ACCOUNT = "anonymous";

const FAMILY: Record<ProtocolName, ProtocolFamily> = {
  awsJson1_0: "awsJson",
  awsJson1_1: "awsJson",
  restJson1: "restJson",
  restXml: "restXml",
  awsQuery: "awsQuery",
};

export function authenticate(exchange: Exchange, env: EdgeEnv): void | Promise<void> {
  const service = exchange.service;
  if (!service) return;
  // A streamed body is verified as it flows, so there is nothing to wait for: no microtask hop.
  if (service.streamsBody === true) return verify(exchange, env, service, undefined);
  return exchange.readBody().then((body) => verify(exchange, env, service, body));
}

function verify(
  exchange: Exchange,
  env: EdgeEnv,
  service: ServiceDefinition,
  body: Buffer | undefined,
): void {
  const streaming = body === undefined;
  const outcome = verifySigV4Now(
    {
      method: exchange.method,
      rawPath: exchange.rawPath,
      rawQuery: exchange.rawQuery,
      headers: exchange.headers,
      body,
    },
    { credentials: env.credentials, now: env.clock.now(), s3: service.id === "s3" },
  );
  if (!outcome.ok) {
    // No authentication at all: a service that serves anonymous callers (S3) decides per operation.
    if (outcome.failure.kind === "missing" && service.acceptsAnonymous) {
      exchange.identity = { accountId: ANONYMOUS_ACCOUNT, accessKeyId: undefined };
      exchange.body = streaming ? (exchange.req as Readable) : body;
      return;
    }
    exchange.error = authError(outcome.failure, FAMILY[service.protocol]);
    return;
  }
  exchange.identity = { accountId: outcome.accountId, accessKeyId: outcome.accessKeyId };
  exchange.region = outcome.region;
  exchange.body = streaming
    ? (emptyPayload(exchange.headers, outcome) ??
      (decodedPayload(exchange.req as Readable, exchange.headers, outcome) as Readable))
    : body;
}
