/**
 * The request pipeline: every request to Stratus passes these steps in this order (docs/pipeline.md
 * draws it). A step reads what earlier steps found, adds its own finding, and may answer: set
 * `exchange.response` (or `exchange.error`) and the steps after it are skipped. Errors are then encoded
 * in the protocol of the service the request was for.
 *
 *   identify → stratus API → data plane → unserved → request ids → limit body → resolve operation → limit body
 *   (operation's limit) → authenticate → authorise → run → (encode, write, log)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError, isAwsError } from "../aws/errors.ts";
import { encodeError } from "../aws/protocols/index.ts";
import type { EncodedResponse } from "../aws/protocols/protocol.ts";
import type { EdgeEnv } from "./env.ts";
import type { Exchange } from "./exchange.ts";
import { authenticate } from "./steps/authenticate.ts";
import { authorise } from "./steps/authorise.ts";
import { armBody, BodyTooLargeError } from "./steps/body.ts";
import { answerDataPlane } from "./steps/data-plane.ts";
import { identify } from "./steps/identify.ts";
import { parse } from "./steps/parse.ts";
import { assignRequestIds } from "./steps/request-ids.ts";
import { resolve } from "./steps/resolve.ts";
import { run } from "./steps/run.ts";
import { answerUnserved } from "./steps/unserved.ts";
import { stratusApi } from "./stratus-api.ts";
import { writeResponse } from "./write.ts";

type Step = (exchange: Exchange, env: EdgeEnv) => void | Promise<void>;

export const PIPELINE: readonly [name: string, step: Step][] = [
  ["identify", identify],
  ["stratus-api", answerStratusApi],
  ["data-plane", answerDataPlane],
  ["unserved", answerUnserved],
  ["request-ids", assignRequestIds],
  ["limit-body", armBody],
  ["resolve", resolve],
  ["limit-body-of-operation", armBody],
  ["authenticate", authenticate],
  ["authorise", authorise],
  ["run", run],
];

function answerStratusApi(exchange: Exchange, env: EdgeEnv): void {
  if (exchange.destination?.kind === "stratus") exchange.response = stratusApi(exchange, env);
}

export async function handle(req: IncomingMessage, res: ServerResponse, env: EdgeEnv): Promise<void> {
  const exchange = parse(req, res, env.clock.now());
  let closeConnection = false;
  try {
    for (const [, step] of PIPELINE) {
      // Most steps are synchronous; awaiting only real promises saves a microtask per step.
      const pending = step(exchange, env);
      if (pending) await pending;
      if (exchange.response || exchange.error) break;
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      exchange.error = error.awsError;
      closeConnection = true;
    } else if (isAwsError(error)) {
      exchange.error = error;
    } else {
      env.logger.error(`${exchange.method} ${exchange.rawPath}: ${(error as Error)?.stack ?? String(error)}`);
      exchange.error = new AwsError(
        "InternalFailure",
        "The request processing has failed because of an unknown error, exception or failure.",
        500,
      );
    }
  }
  const response = exchange.response ?? errorResponse(exchange);
  if (closeConnection) response.headers.Connection = "close";
  const writing = writeResponse(res, response, exchange.method);
  if (writing !== undefined) await writing;
  if (closeConnection) req.socket.destroySoon?.();
  // The line is only built when it will be written: formatting it cost every request a few strings.
  if (env.logger.level !== "debug") return;
  env.logger.debug(
    `${exchange.method} ${exchange.rawPath} ${exchange.service?.id ?? exchange.destination?.kind ?? "-"}` +
      `${exchange.operation ? `.${exchange.operation}` : ""} ${response.status}` +
      `${exchange.error ? ` ${exchange.error.code}` : ""} ${Date.now() - exchange.receivedAt.getTime()}ms`,
  );
}

function errorResponse(exchange: Exchange): EncodedResponse {
  const error = exchange.error ?? new AwsError("InternalFailure", "No step answered the request.", 500);
  if (!exchange.service) {
    const body = JSON.stringify({ __type: error.code, message: error.message });
    return { status: error.status, headers: { "Content-Type": "application/json" }, body };
  }
  return encodeError(exchange.service, error, exchange.ids ?? { requestId: "" }, exchange.method);
}
