/**
 * The body, bounded: buffered services get the whole body once it is known to be under the limit
 * (Content-Length is checked before reading a byte); streaming services (S3) get the stream, still
 * bounded, decoded by the authenticate step.
 *
 * A body over the limit is answered with the service's own error, and the connection is closed rather
 * than reading the rest of an oversized upload.
 */
import type { IncomingMessage } from "node:http";
import type { AwsError } from "../../aws/errors.ts";
import type { ServiceDefinition } from "../../services/service.ts";
import type { Exchange } from "../exchange.ts";

export class BodyTooLargeError extends Error {
  constructor(readonly awsError: AwsError) {
    super(awsError.message);
  }
}

export function bodyLimitOf(service: ServiceDefinition, operation: string | undefined): number {
  return (operation && service.operationBodyBytesMax?.[operation]) || service.bodyBytesMax;
}

const readings = new WeakMap<Exchange, Promise<Buffer>>();

/**
 * Arms `exchange.readBody()` with the limit known so far: the service's before the operation is
 * resolved (awsQuery needs the body to find it), the operation's after. The first call reads; later
 * calls share that read.
 */
export function armBody(exchange: Exchange): void {
  const service = exchange.service;
  if (!service) return;
  const limit = bodyLimitOf(service, exchange.operation);
  exchange.readBody = () => {
    let reading = readings.get(exchange);
    if (!reading) {
      reading = readBounded(exchange.req, limit, () => service.bodyTooLarge(limit, exchange.operation));
      readings.set(exchange, reading);
    }
    return reading;
  };
  const declared = Number(exchange.headers["content-length"] ?? Number.NaN);
  const decoded = Number(exchange.headers["x-amz-decoded-content-length"] ?? Number.NaN);
  const size = Number.isFinite(decoded) ? decoded : declared;
  if (Number.isFinite(size) && size > limit)
    throw new BodyTooLargeError(service.bodyTooLarge(limit, exchange.operation));
}

function readBounded(req: IncomingMessage, limit: number, tooLarge: () => AwsError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(new BodyTooLargeError(tooLarge()));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}
