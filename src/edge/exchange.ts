/**
 * One request/response pair travelling through the pipeline. Each step reads what earlier steps
 * found and adds its own finding; a step that has the answer sets `response` and the pipeline stops.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { AwsError } from "../aws/errors.ts";
import type { ResponseIds } from "../aws/protocols/index.ts";
import type { EncodedResponse, ProtocolRequest } from "../aws/protocols/protocol.ts";
import type { ServiceDefinition } from "../services/service.ts";
import type { DataPlaneTarget } from "./data-plane.ts";

/** What the identify step decided the request is for. */
export type Destination =
  | { kind: "stratus" }
  | { kind: "service"; service: ServiceDefinition }
  /** A signed request for an AWS service Stratus does not emulate. */
  | { kind: "unknown-service"; signingName: string }
  /** An unsigned data plane a service registered (`*.lambda-url.*.localhost`, `/_aws/lambda-url/...`). */
  | { kind: "data-plane"; target: DataPlaneTarget }
  /** An unsigned data-plane address (`/_aws/...`, `*.execute-api.localhost`, ...) with nothing behind it yet. */
  | { kind: "no-data-plane"; what: string };

export interface Identity {
  accountId: string;
  /** Undefined for anonymous requests. */
  accessKeyId: string | undefined;
}

export interface Exchange extends ProtocolRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly receivedAt: Date;
  /** The path exactly as sent (still percent-encoded), without the query. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** The path, percent-decoded. */
  path: string;
  /** Host name without port, lower-case. */
  readonly hostname: string;
  destination?: Destination;
  service?: ServiceDefinition;
  operation?: string;
  pathParams: Record<string, string>;
  ids?: ResponseIds;
  region?: string;
  identity?: Identity;
  /** The body handed to the operation: buffered bytes, or the decoded stream of a streaming service. */
  body?: Buffer | Readable;
  /** Set by the step that has the answer; the pipeline then writes it. */
  response?: EncodedResponse;
  /** An error raised by a step, encoded in the destination's protocol by the pipeline. */
  error?: AwsError;
}
