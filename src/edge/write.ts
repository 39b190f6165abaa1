/** Writes an encoded response: status, headers, and a body of bytes, text or a stream. */
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EncodedResponse } from "../aws/protocols/protocol.ts";

export async function writeResponse(
  res: ServerResponse,
  response: EncodedResponse,
  method: string,
): Promise<void> {
  if (res.headersSent) {
    res.end();
    return;
  }
  const { body } = response;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.statusCode = response.status;
  if (body instanceof Readable) {
    if (method === "HEAD") {
      body.destroy();
      res.end();
      return;
    }
    await pipeline(body, res).catch(() => res.destroy());
    return;
  }
  if (body !== undefined && !res.hasHeader("Content-Length")) {
    res.setHeader("Content-Length", typeof body === "string" ? Buffer.byteLength(body) : body.length);
  }
  res.end(method === "HEAD" ? undefined : body);
}
