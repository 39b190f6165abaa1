/**
 * One HTTP/1.1 exchange over a plain socket, keeping the response's exact bytes: what `fetch` and
 * `http.get` cannot show (header order and case, the status line, hop-by-hop headers).
 */
import { connect } from "node:net";

export interface RawResponse {
  /** Everything up to and including the blank line after the headers. */
  readonly head: string;
  readonly status: number;
  /** Header lines in order, as [name, value] with the name's case kept. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

const RAW_TIMEOUT_MS = 5_000;
const RAW_BYTES_MAX = 4 * 1024 * 1024;

/** GETs `path` from `baseUrl` (http only); the response must carry a Content-Length. */
export function fetchRaw(baseUrl: string, path: string): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(RAW_TIMEOUT_MS, () => fail(new Error(`no complete response from ${baseUrl}${path}`)));
    socket.once("error", fail);
    socket.once("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > RAW_BYTES_MAX) return fail(new Error(`response from ${baseUrl}${path} is too large`));
      const bytes = Buffer.concat(chunks);
      const end = bytes.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = bytes.subarray(0, end + 4).toString("latin1");
      const [statusLine = "", ...lines] = head.slice(0, -4).split("\r\n");
      const headers = lines.map((line): [string, string] => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
      const length = headers.find(([name]) => name.toLowerCase() === "content-length")?.[1];
      if (length === undefined)
        return fail(new Error(`response from ${baseUrl}${path} has no Content-Length`));
      const body = bytes.subarray(end + 4);
      if (body.length < Number(length)) return;
      socket.destroy();
      resolve({
        head,
        status: Number(statusLine.split(" ")[1]),
        headers,
        body: body.subarray(0, Number(length)),
      });
    });
  });
}
