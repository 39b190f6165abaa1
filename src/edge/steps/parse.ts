/** Step 1, parse: split the request line into raw path, decoded path and segments, query and host. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeComponent, parseQuery } from "../../aws/protocols/query-string.ts";
import type { Exchange } from "../exchange.ts";

export function parse(req: IncomingMessage, res: ServerResponse, receivedAt: Date): Exchange {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  // An absolute-form request target (`GET http://host/path`) is reduced to its path.
  let rawPath = q < 0 ? url : url.slice(0, q);
  if (!rawPath.startsWith("/")) rawPath = new URL(rawPath, "http://x").pathname;
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const hostHeader = String(req.headers.host ?? "").toLowerCase();
  const hostname = hostHeader.startsWith("[")
    ? hostHeader.slice(0, hostHeader.indexOf("]") + 1)
    : (hostHeader.split(":")[0] ?? "");
  let bodyPromise: Promise<Buffer> | undefined;
  const exchange: Exchange = {
    req,
    res,
    receivedAt,
    method: (req.method ?? "GET").toUpperCase(),
    rawPath,
    rawQuery,
    path: decodeComponent(rawPath),
    segments: rawPath.split("/").slice(1).map(decodeComponent),
    query: parseQuery(rawQuery),
    headers: req.headers,
    hostname,
    pathParams: {},
    readBody() {
      // Replaced by the body step once the service (and so the size limit) is known.
      bodyPromise ??= Promise.reject(new Error("body read before its limit is known"));
      return bodyPromise;
    },
  };
  return exchange;
}
