/**
 * RuntimeApiServer (src/services/lambda/runtime-api/server.ts) over a raw socket, as the bootstraps
 * speak to it: the event of GET /invocation/next, a result's 202 held back and written together with
 * the next event when the runtime pipelined its GET behind the result, and the result's path read
 * the same with and without the fast path for plain request ids (ids that need URI decoding go
 * through the pattern and decodeURIComponent, as before).
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { describe, it } from "node:test";
import { RuntimeApiServer, type RuntimeInvocation } from "../../../src/services/lambda/runtime-api/server.ts";

const BASE = "/2018-06-01/runtime";

function invocation(requestId: string, payload = "{}"): RuntimeInvocation {
  return {
    requestId,
    payload: Buffer.from(payload),
    deadlineMs: 1_900_000_000_000,
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f",
    traceId: "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
  };
}

function request(method: string, path: string, body = ""): string {
  return `${method} ${BASE}${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A client that collects whole answers (every answer has a Content-Length). */
class Client {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  /** How many chunks the socket delivered (one write of the server usually arrives as one). */
  chunks = 0;

  constructor(address: string) {
    const [host, port] = address.split(":");
    this.socket = connect(Number(port), host);
    this.socket.on("data", (chunk: Buffer) => {
      this.chunks++;
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** The next answer: status, headers (lower case), body. */
  async answer(): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    for (;;) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end >= 0) {
        const lines = this.#buffer.toString("latin1", 0, end).split("\r\n");
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"]);
        if (this.#buffer.length >= end + 4 + length) {
          const body = this.#buffer.toString("utf8", end + 4, end + 4 + length);
          this.#buffer = this.#buffer.subarray(end + 4 + length);
          return { status: Number(lines[0]!.split(" ")[1]), headers, body };
        }
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

async function withServer(run: (server: RuntimeApiServer, client: Client) => Promise<void>): Promise<void> {
  const server = new RuntimeApiServer();
  const client = new Client(await server.listen());
  try {
    await run(server, client);
  } finally {
    client.socket.destroy();
    await server.close();
  }
}

describe("Runtime API server", () => {
  it("hands the event to GET next and resolves with the posted response", async () => {
    await withServer(async (server, client) => {
      const outcome = server.invoke(invocation("4f1c2a7e-0000-4000-8000-000000000001", '{"a":1}'));
      client.socket.write(request("GET", "/invocation/next"));
      const event = await client.answer();
      assert.equal(event.status, 200);
      assert.equal(event.body, '{"a":1}');
      assert.equal(event.headers["lambda-runtime-aws-request-id"], "4f1c2a7e-0000-4000-8000-000000000001");
      assert.equal(event.headers["lambda-runtime-deadline-ms"], "1900000000000");
      assert.equal(event.headers["content-type"], "application/json");
      client.socket.write(
        request("POST", "/invocation/4f1c2a7e-0000-4000-8000-000000000001/response", '"ok"'),
      );
      const accepted = await client.answer();
      assert.equal(accepted.status, 202);
      assert.equal(accepted.body, '{"status":"OK"}');
      const result = await outcome;
      assert.equal(result.kind, "response");
      assert.equal(result.kind === "response" ? result.payload.toString() : "", '"ok"');
    });
  });

  it("holds a result's 202 until the pipelined GET next is answered, and writes both at once", async () => {
    await withServer(async (server, client) => {
      const first = server.invoke(invocation("req-1"));
      client.socket.write(request("GET", "/invocation/next"));
      await client.answer();
      const chunksBefore = client.chunks;
      client.socket.write(
        request("POST", "/invocation/req-1/response", "1") + request("GET", "/invocation/next"),
      );
      assert.equal((await first).kind, "response");
      // Nothing was written yet: the 202 waits for the next event.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(client.chunks, chunksBefore);
      const second = server.invoke(invocation("req-2", "2"));
      const accepted = await client.answer();
      const event = await client.answer();
      assert.equal(accepted.status, 202);
      assert.equal(event.status, 200);
      assert.equal(event.headers["lambda-runtime-aws-request-id"], "req-2");
      assert.equal(client.chunks, chunksBefore + 1);
      client.socket.write(request("POST", "/invocation/req-2/error", '{"errorType":"E"}'));
      assert.equal((await client.answer()).status, 202);
      const outcome = await second;
      assert.equal(outcome.kind, "error");
    });
  });

  it("reads request ids in the result's path with URI decoding, as before the fast path", async () => {
    await withServer(async (server, client) => {
      // An id that URI-decodes to something else: its raw form is not the id.
      const outcome = server.invoke(invocation("a%41"));
      client.socket.write(request("GET", "/invocation/next"));
      assert.equal((await client.answer()).headers["lambda-runtime-aws-request-id"], "a%41");
      client.socket.write(request("POST", "/invocation/a%41/response", "1"));
      const refused = await client.answer();
      assert.equal(refused.status, 400);
      assert.match(refused.body, /InvalidRequestID/);
      client.socket.write(request("POST", "/invocation/a%2541/response", "1"));
      assert.equal((await client.answer()).status, 202);
      assert.equal((await outcome).kind, "response");
    });
  });

  it("refuses another request id and unknown paths", async () => {
    await withServer(async (server, client) => {
      const outcome = server.invoke(invocation("req-1"));
      client.socket.write(request("GET", "/invocation/next"));
      await client.answer();
      client.socket.write(request("POST", "/invocation/req-2/response", "1"));
      assert.equal((await client.answer()).status, 400);
      client.socket.write(request("POST", "/invocation/req-1/response?x=1", "1"));
      assert.equal((await client.answer()).status, 202);
      assert.equal((await outcome).kind, "response");
      client.socket.write(request("GET", "/nowhere"));
      assert.equal((await client.answer()).status, 404);
    });
  });

  it("answers HEAD without a body", async () => {
    await withServer(async (_server, client) => {
      client.socket.write(`HEAD ${BASE}/nowhere HTTP/1.1\r\nHost: x\r\n\r\n`);
      client.socket.write(request("GET", "/nowhere"));
      // The HEAD answer's Content-Length describes a body that is not sent; the next answer follows.
      const raw = await new Promise<string>((resolve) => {
        let text = "";
        client.socket.on("data", (chunk: Buffer) => {
          text += chunk.toString("latin1");
          if (text.split("HTTP/1.1 404").length === 3 && text.endsWith("}")) resolve(text);
        });
      });
      const [head, second] = raw.split("HTTP/1.1 404").slice(1);
      assert.match(head!, /Content-Length: \d+\r\n/);
      assert.ok(head!.endsWith("\r\n\r\n"));
      assert.match(second!, /"errorType":"NotFound"/);
    });
  });
});
