/**
 * edge-overhead: what Stratus's edge costs per request, against the floor of node:http.
 *
 * `GET /_stratus/health` goes through the whole edge pipeline (parse, identify, Stratus's own API,
 * encode, write) but touches no service or storage. The peer is a bare node:http server replaying one
 * health response captured from the running Stratus, byte for byte (only the Date value differs), so
 * both sides send identical bytes and the difference is the pipeline.
 */
import { type Benchmark, peerContestant, type RunningContestant, stratusContestant } from "./harness.ts";
import { fetchRaw, type RawResponse } from "./lib/raw-http.ts";
import type { ReplayResponse } from "./peers/bare-http.ts";

const PATH = "/_stratus/health";
/** Headers node:http writes on its own: the peer's server writes them, not its handler. */
const WRITTEN_BY_NODE = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);
const KEEP_ALIVE_TIMEOUT_MS_DEFAULT = 5_000;

let captured: RawResponse | undefined;

export const edgeOverhead: Benchmark = {
  name: "edge-overhead",
  description: "GET /_stratus/health on Stratus vs a bare node:http server replaying its exact response",
  workload: { method: "GET", path: PATH },
  connections: 64,
  stratus: stratusContestant(),
  async peer(stratus: RunningContestant) {
    captured = await fetchRaw(stratus.url, PATH);
    if (captured.status !== 200) throw new Error(`Stratus answered ${captured.status} on ${PATH}`);
    return peerContestant("bare node:http", "bare-http.ts", {
      BARE_HTTP_RESPONSE: JSON.stringify(replayOf(captured)),
    });
  },
  async check(_stratus: RunningContestant, peer: RunningContestant) {
    if (!captured) throw new Error("no captured response");
    const replayed = await fetchRaw(peer.url, PATH);
    const expected = maskDate(captured.head);
    const actual = maskDate(replayed.head);
    if (expected !== actual || !captured.body.equals(replayed.body)) {
      throw new Error(
        `the peer does not answer the same bytes as Stratus\n--- Stratus ---\n${expected}\n--- peer ---\n${actual}`,
      );
    }
  },
};

function replayOf(response: RawResponse): ReplayResponse {
  const keepAlive = response.headers.find(([name]) => name.toLowerCase() === "keep-alive")?.[1];
  const timeoutSec = keepAlive ? Number(/timeout=(\d+)/.exec(keepAlive)?.[1]) : Number.NaN;
  return {
    status: response.status,
    headers: response.headers.filter(([name]) => !WRITTEN_BY_NODE.has(name.toLowerCase())),
    bodyBase64: response.body.toString("base64"),
    keepAliveTimeoutMs: Number.isFinite(timeoutSec) ? timeoutSec * 1000 : KEEP_ALIVE_TIMEOUT_MS_DEFAULT,
  };
}

function maskDate(head: string): string {
  return head.replace(/^Date: .*$/im, "Date: <masked>");
}
