/**
 * What a service registers with the edge: its AWS model (operations and their HTTP bindings), its
 * protocol, its limits, and the operations it implements. Everything else (routing, authentication,
 * error encoding) the edge does the same way for every service.
 *
 * An operation receives the request already routed, authenticated and read (bounded), and returns a
 * protocol-level result. Operations never see the socket.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { Clock } from "../aws/clock.ts";
import type { RequestContext } from "../aws/context.ts";
import type { CredentialStore } from "../aws/credentials.ts";
import type { AwsError } from "../aws/errors.ts";
import type { ModelName, ServiceModel } from "../aws/models/index.ts";
import type { ErrorStyle, ProtocolName } from "../aws/protocols/protocol.ts";
import type { Logger } from "../log.ts";
import type { KvStore } from "../storage/kv.ts";

export interface ServiceRequest {
  readonly operation: string;
  readonly context: RequestContext;
  readonly method: string;
  /** Percent-decoded path. */
  readonly path: string;
  /** Percent-decoded path labels of REST operations (`FunctionName`, `Bucket`, `Key`). */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Percent-decoded query parameters ('+' is not a space: AWS clients encode spaces as %20). */
  readonly query: ReadonlyMap<string, string[]>;
  readonly headers: IncomingHttpHeaders;
  /**
   * The body: bytes for buffered services; for streaming services (S3 object bodies) a stream of the
   * decoded payload (aws-chunked framing removed, signatures and hashes checked as it flows).
   */
  readonly body: Buffer | Readable;
}

export interface ServiceResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** A JSON-able value (awsJson, restJson), raw bytes, a string, or a stream. */
  body?: unknown;
}

export type OperationHandler = (request: ServiceRequest) => Promise<ServiceResponse>;

export type RequestIdStyle = "dynamodb" | "uuid" | "s3";

export interface ServiceDefinition {
  /** Stratus's id for the service, also its model name. */
  readonly id: ModelName;
  readonly model: ServiceModel;
  readonly protocol: ProtocolName;
  readonly requestIdStyle: RequestIdStyle;
  /** Where this service's error documents differ from its protocol's defaults. */
  readonly errorStyle: ErrorStyle;
  /** Largest request body accepted by any operation of the service, in bytes. */
  readonly bodyBytesMax: number;
  /** Tighter limits for single operations (e.g. Lambda's Invoke payload). */
  readonly operationBodyBytesMax?: Readonly<Record<string, number>>;
  /** The error AWS gives when a body is over the limit, in this service's words. */
  bodyTooLarge(limitBytes: number, operation: string | undefined): AwsError;
  /** Whether request bodies are handed over as streams rather than buffered (S3). */
  readonly streamsBody?: boolean;
  /** Implemented operations; every other operation of the model answers "not implemented". */
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /**
   * Requests without any SigV4 authentication run as anonymous (`context.accessKeyId` undefined)
   * instead of being refused: the service decides what an anonymous caller may do (S3's public
   * objects and CORS preflights). Absent: refused by the authenticate step, as before.
   */
  readonly acceptsAnonymous?: boolean;
  /**
   * Requests the AWS model has no operation for but the service answers anyway (S3's CORS preflight
   * `OPTIONS`): consulted by the resolve step only when the model finds no operation; the returned
   * name must be one of `operations`.
   */
  unmodelledOperation?(request: {
    method: string;
    segments: readonly string[];
  }): { operation: string; pathParams: Record<string, string> } | undefined;
}

/** What services are built with: shared storage (each service keys its state under its own tuple prefix), time, the log. */
export interface ServiceDeps {
  readonly storage: KvStore;
  /**
   * Where a service keeps large bodies as files (function code, S3 objects): `<data-dir>/blobs`, or a
   * temp dir removed at close with --in-memory. Write to a temp name, fsync, rename.
   */
  readonly blobDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The access keys Stratus accepts: what functions get to call Stratus back as their caller. */
  readonly credentials: CredentialStore;
  /**
   * Where this Stratus listens (`http://127.0.0.1:4566`), set by the server once it listens: what
   * work Stratus starts itself (async events, stream pollers, Function URLs) gives functions as
   * AWS_ENDPOINT_URL. Undefined until then, and in tests that build a service alone.
   */
  readonly endpoint: { url: string | undefined };
  /** Registers work to do at shutdown (stop timers, kill child processes), after the listener closed. */
  onClose(hook: () => Promise<void> | void): void;
}
