/**
 * Invoke in process (no socket), on a manual clock: a Pending function is refused, UpdateFunctionCode
 * retires the old environments, DeleteFunction and shutdown dispose them.
 */

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../../../src/aws/clock.ts";
import { CredentialStore } from "../../../../src/aws/credentials.ts";
import { AwsError } from "../../../../src/aws/errors.ts";
import { createLogger } from "../../../../src/log.ts";
import { createLambdaService, type LambdaService } from "../../../../src/services/lambda/index.ts";
import type { ServiceRequest, ServiceResponse } from "../../../../src/services/service.ts";
import { openStorage } from "../../../../src/storage/data-dir.ts";
import type { KvStore } from "../../../../src/storage/kv.ts";
import { makeZip, ROLE } from "../helpers.ts";

describe("Lambda Invoke environments, in process", () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const closeHooks: (() => Promise<void> | void)[] = [];
  let storage: KvStore;
  let blobDir: string;
  let service: LambdaService;

  before(async () => {
    storage = await openStorage({ dataDir: "", inMemory: true });
    blobDir = await mkdtemp(join(tmpdir(), "stratus-lambda-invoke-"));
    service = createLambdaService(
      {
        storage,
        blobDir,
        endpoint: { url: undefined },
        clock,
        credentials: new CredentialStore(),
        logger: createLogger("silent"),
        onClose: (hook) => closeHooks.push(hook),
      },
      { activationMs: 1000 },
    );
  });
  after(async () => {
    for (const hook of closeHooks) await hook();
    await storage.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  let requests = 0;
  async function call(
    operation: string,
    options: { body?: unknown; raw?: Buffer; pathParams?: Record<string, string>; method?: string } = {},
  ): Promise<ServiceResponse> {
    const handler = service.operations[operation];
    assert.ok(handler, operation);
    const request: ServiceRequest = {
      operation,
      context: {
        requestId: `req-${++requests}`,
        accountId: "000000000000",
        region: "us-east-1",
        accessKeyId: "test",
        receivedAt: clock.now(),
        clock,
      },
      method: options.method ?? "POST",
      path: "/",
      pathParams: options.pathParams ?? {},
      query: new Map(),
      headers: { host: "127.0.0.1:4566" },
      body: options.raw ?? Buffer.from(options.body === undefined ? "" : JSON.stringify(options.body)),
    };
    return handler(request);
  }

  const code = (text: string) => Buffer.from(makeZip({ "index.js": text })).toString("base64");
  const invoke = (name: string) =>
    call("Invoke", { pathParams: { FunctionName: name }, raw: Buffer.from("{}") });

  it("refuses a Pending function, then runs, retires old environments and disposes them on delete", async () => {
    await call("CreateFunction", {
      body: {
        FunctionName: "pending",
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: code('exports.handler = async () => "one";\n') },
      },
    });
    await assert.rejects(
      invoke("pending"),
      (error: unknown) =>
        error instanceof AwsError &&
        error.code === "ResourceConflictException" &&
        error.status === 409 &&
        error.message ===
          "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    );
    clock.advance(1000);
    const first = await invoke("pending");
    assert.equal(first.status, 200);
    assert.equal(String(first.body), '"one"');
    const [pool] = service.pools.poolsOf("000000000000", "us-east-1", "pending");
    assert.ok(pool);
    assert.equal(pool.size, 1);

    await call("UpdateFunctionCode", {
      method: "PUT",
      pathParams: { FunctionName: "pending" },
      body: { ZipFile: code('exports.handler = async () => "two";\n') },
    });
    clock.advance(1000);
    assert.equal(String((await invoke("pending")).body), '"two"');
    const pools = service.pools.poolsOf("000000000000", "us-east-1", "pending");
    assert.equal(pools.length, 1);
    assert.notEqual(pools[0], pool);
    // The retired pool's environment is stopped.
    for (let i = 0; i < 50 && pool.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(pool.size, 0);

    const current = pools[0];
    assert.ok(current);
    await call("DeleteFunction", { method: "DELETE", pathParams: { FunctionName: "pending" } });
    assert.equal(service.pools.poolsOf("000000000000", "us-east-1", "pending").length, 0);
    assert.equal(current.size, 0);
  });
});
