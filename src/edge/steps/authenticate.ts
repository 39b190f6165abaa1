/**
 * Step 5, authenticate: verify the SigV4 signature (header or presigned query) against the known
 * credentials, and learn the account (from the access key) and region (from the credential scope).
 * Buffered bodies are hashed here; streamed bodies (S3) are checked as they flow, by the verifier
 * this step puts between the socket and the operation.
 */
import type { Readable } from "node:stream";
import type { ProtocolName } from "../../aws/protocols/protocol.ts";
import { authError, type ProtocolFamily } from "../../aws/sigv4/auth-errors.ts";
import { decodedPayload } from "../../aws/sigv4/payload.ts";
import { verifySigV4Now } from "../../aws/sigv4/verify.ts";
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

export async function authenticate(exchange: Exchange, env: EdgeEnv): Promise<void> {
  const service = exchange.service;
  if (!service) return;
  const streaming = service.streamsBody === true;
  const body = streaming ? undefined : await exchange.readBody();
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
    ? (decodedPayload(exchange.req as Readable, exchange.headers, outcome) as Readable)
    : body;
}
