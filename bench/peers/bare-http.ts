/**
 * The bare node:http peer: answers every request with one fixed response (status, headers in order,
 * body), given in BARE_HTTP_RESPONSE as JSON `{ status, headers: [[name, value]...], bodyBase64,
 * keepAliveTimeoutMs }`. It does nothing else, so it is the floor for any server built on node:http.
 *
 * Prints `  Endpoint:    http://127.0.0.1:<port>` once listening (the line Stratus prints); SIGTERM
 * or SIGINT stops it with exit code 0.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReplayResponse {
  readonly status: number;
  /** Without Date, Connection and Keep-Alive: node:http writes those itself. */
  readonly headers: readonly (readonly [string, string])[];
  readonly bodyBase64: string;
  readonly keepAliveTimeoutMs: number;
}

const raw = process.env.BARE_HTTP_RESPONSE;
if (!raw) {
  process.stderr.write("bare-http: BARE_HTTP_RESPONSE is not set\n");
  process.exit(2);
}
const replay = JSON.parse(raw) as ReplayResponse;
const body = Buffer.from(replay.bodyBase64, "base64");
const headers = replay.headers.flat();

const server = createServer({ keepAliveTimeout: replay.keepAliveTimeoutMs }, (_req, res) => {
  res.writeHead(replay.status, headers);
  res.end(body);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare-http is running.\n  Endpoint:    http://127.0.0.1:${port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
