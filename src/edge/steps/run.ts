/**
 * Step 7, run the operation with typed context and the bounded body, and encode its result in the
 * service's protocol. An AWS operation Stratus does not implement answers the protocol's own
 * not-implemented error, after a streamed body has been read through its verifier, so that a bad
 * signature is still reported as one.
 */
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { encodeResult, notImplementedError } from "../../aws/protocols/index.ts";
import type { EdgeEnv } from "../env.ts";
import type { Exchange } from "../exchange.ts";

export async function run(exchange: Exchange, env: EdgeEnv): Promise<void> {
  const { service, operation, identity, ids } = exchange;
  if (!service || !operation || !identity || !ids) return;
  const handler = service.operations[operation];
  if (!handler) {
    if (exchange.body instanceof Readable) await drain(exchange.body);
    exchange.error = notImplementedError(service, operation);
    return;
  }
  const result = await handler({
    operation,
    context: {
      requestId: ids.requestId,
      accountId: identity.accountId,
      accessKeyId: identity.accessKeyId,
      region: exchange.region ?? env.defaultRegion,
      receivedAt: exchange.receivedAt,
      clock: env.clock,
    },
    method: exchange.method,
    path: exchange.path,
    pathParams: exchange.pathParams,
    query: exchange.query,
    headers: exchange.headers,
    body: exchange.body ?? Buffer.alloc(0),
  });
  exchange.response = encodeResult(service, result, ids);
}

async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream);
}
