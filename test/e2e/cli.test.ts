/**
 * `stratus start` as a user runs it: a child process, its printed banner, health, a clean stop on
 * SIGTERM/SIGINT that lets an in-flight request finish, and a one-line error for a port in use.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { STRATUS_BIN, startStratusProcess } from "../support/cli-process.ts";

const BIN = STRATUS_BIN;
const startCli = startStratusProcess;

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stratus-cli-"));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("stratus start", () => {
  it("prints endpoint, region, account and credentials, serves health, and exits 0 on SIGTERM", async () => {
    const dataDir = await tempDir();
    const started = await startCli(["--port", "0", "--data-dir", dataDir, "--region", "eu-west-1"]);
    const banner = started.stdout();
    assert.match(banner, /Region:\s+eu-west-1/);
    assert.match(banner, /Account id:\s+000000000000/);
    assert.match(banner, /AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test/);
    const health = (await (await fetch(`${started.url}/_stratus/health`)).json()) as {
      status: string;
      region: string;
    };
    assert.equal(health.status, "running");
    assert.equal(health.region, "eu-west-1");
    assert.equal(JSON.parse(await readFile(join(dataDir, "FORMAT"), "utf8")).format, 1);
    started.child.kill("SIGTERM");
    assert.equal(await started.exit, 0);
  });

  it("takes its options from environment variables", async () => {
    const started = await startCli([], {
      STRATUS_PORT: "0",
      STRATUS_IN_MEMORY: "1",
      STRATUS_REGION: "ap-south-1",
    });
    assert.match(started.stdout(), /Region:\s+ap-south-1/);
    assert.match(started.stdout(), /State:\s+in memory/);
    started.child.kill("SIGINT");
    assert.equal(await started.exit, 0);
  });

  it("finishes an in-flight request before exiting on SIGTERM", async () => {
    const started = await startCli(["--port", "0", "--in-memory"]);
    const url = new URL(started.url);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signed = await new SignatureV4({
      service: "sts",
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      sha256: Hash.bind(null, "sha256"),
    }).sign(
      new HttpRequest({
        method: "POST",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        headers: { host: url.host, "content-type": "application/x-www-form-urlencoded" },
        body,
      }),
    );
    // A signed STS request whose body arrives in two halves, with SIGTERM in between.
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: "/",
          headers: { ...signed.headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => {
            text += c.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        started.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 300);
    });
    const answered = await response;
    assert.equal(answered.status, 200);
    assert.match(answered.text, /<Account>000000000000<\/Account>/);
    assert.equal(await started.exit, 0);
  });

  it("exits 1 with one line when the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [BIN, "start", "--port", String(port), "--in-memory"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let err = "";
      child.stderr?.on("data", (c: Buffer) => {
        err += c.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      assert.equal(code, 1);
      assert.equal(err, `stratus: port ${port} on 127.0.0.1 is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it("exits 1 with one line for a bad flag", async () => {
    const child = spawn(process.execPath, [BIN, "start", "--port", "abc"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
    });
    assert.equal(await new Promise((resolve) => child.once("exit", resolve)), 1);
    assert.equal(err, "stratus: --port must be a number from 0 to 65535, not 'abc'\n");
  });
});
