/** The lean load client (bench/lib/lean-load.ts) against a local node:http server of each framing. */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { runLeanLoad } from "../../../bench/lib/lean-load.ts";

const BODY = Buffer.alloc(300 * 1024, "z");

function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on("end", () => {
    switch (req.url) {
      case "/length":
        res.writeHead(200, { "Content-Length": BODY.length });
        res.end(BODY);
        return;
      case "/chunked":
        res.writeHead(200, { "Transfer-Encoding": "chunked" });
        res.write(BODY.subarray(0, 1000));
        res.write(BODY.subarray(1000, 70_000));
        res.end(BODY.subarray(70_000));
        return;
      case "/close":
        res.writeHead(200, { "Content-Length": BODY.length, Connection: "close" });
        res.end(BODY);
        return;
      case "/missing":
        res.writeHead(404, { "Content-Length": 9 });
        res.end("not found");
        return;
      default:
        res.writeHead(req.method === "PUT" ? 204 : 200, { "Content-Length": 0 });
        res.end();
    }
  });
}

describe("lean load client", () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const path of ["/length", "/chunked", "/close"]) {
    it(`counts whole responses framed by ${path.slice(1)}`, async () => {
      const sample = await runLeanLoad(url, { path }, { connections: 4, seconds: 0.3 });
      assert.ok(sample.requests > 10, `${sample.requests} requests`);
      assert.equal(sample.non2xx, 0);
      assert.equal(sample.errors + sample.timeouts, 0);
      assert.ok(sample.latencyP50Ms > 0 && sample.latencyP99Ms >= sample.latencyP50Ms);
    });
  }

  it("sends bodies, counts non-2xx apart, and answers one connection per request when asked", async () => {
    const put = await runLeanLoad(
      url,
      {
        path: "/",
        requests: [{ method: "PUT", path: "/put", body: "x".repeat(100_000) }, { path: "/missing" }],
      },
      { connections: 2, seconds: 0.3, connectionPerRequest: true },
    );
    assert.ok(put.requests > 4);
    assert.ok(put.non2xx > 0 && put.non2xx < put.requests, `${put.non2xx} of ${put.requests}`);
    assert.equal(put.errors + put.timeouts, 0);
  });

  it("stops at the run's duration and counts an unreachable server as errors", async () => {
    const started = performance.now();
    const sample = await runLeanLoad("http://127.0.0.1:1", { path: "/" }, { connections: 2, seconds: 0.2 });
    assert.ok(performance.now() - started < 5_000);
    assert.equal(sample.requests, 0);
    assert.ok(sample.errors > 0);
  });
});
