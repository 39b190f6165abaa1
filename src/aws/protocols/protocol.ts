/**
 * The wire protocols AWS services speak, named as in the Smithy/botocore service models
 * (`metadata.protocol`). A protocol decides three things the edge needs for every service alike:
 * which operation a request names, how a result is written, and how an error is written.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { AwsError } from "../errors.ts";

export type ProtocolName = "awsJson1_0" | "awsJson1_1" | "restJson1" | "restXml" | "awsQuery";

/** The request as the protocol layer sees it. */
export interface ProtocolRequest {
  readonly method: string;
  /** Path segments after the leading '/', percent-decoded ("" for a trailing slash). */
  segments: string[];
  readonly query: ReadonlyMap<string, string[]>;
  readonly headers: IncomingHttpHeaders;
  /** Reads the (bounded) body; only awsQuery needs it to find the operation. */
  readBody(): Promise<Buffer>;
}

export interface EncodedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | Uint8Array | Readable | undefined;
}

/** How a service's errors look in its protocol, where services of one protocol differ. */
export interface ErrorStyle {
  /** awsJson `__type`: the namespace of an error code (coral's for protocol errors). */
  jsonType?(code: string): string;
  /** restJson body: Lambda writes `{Type, Message}`, most others `{message}`. */
  restJsonBody?(error: AwsError): Record<string, unknown>;
  /** restXml: S3's bare `<Error>` or CloudFront's `<ErrorResponse><Error>`. */
  xmlEnvelope?: "s3" | "errorResponse";
  /** awsQuery `xmlns` of the ErrorResponse. */
  xmlNamespace?: string;
  /** awsJson: send `x-amz-crc32` of each body (DynamoDB does). */
  crc32?: boolean;
}

export type OperationResolution =
  | { operation: string; pathParams: Record<string, string> }
  | { error: AwsError };

export interface Protocol {
  readonly name: ProtocolName;
  encodeError(error: AwsError, style: ErrorStyle, requestId: string): EncodedResponse;
}
