/**
 * State Pending→Active and LastUpdateStatus InProgress→Successful on an injected clock, in process
 * (no socket): the operations as registered, called with routed requests.
 */

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../../src/aws/clock.ts";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { AwsError } from "../../../src/aws/errors.ts";
import { createLogger } from "../../../src/log.ts";
import { createLambdaService, type LambdaService } from "../../../src/services/lambda/index.ts";
import type { ServiceRequest } from "../../../src/services/service.ts";
import { openStorage } from "../../../src/storage/data-dir.ts";
import type { KvStore } from "../../../src/storage/kv.ts";
import { nodeZip, ROLE } from "./helpers.ts";

describe("Lambda function lifecycle on a manual clock", () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  let storage: KvStore;
  let blobDir: string;
  let service: LambdaService;

  before(async () => {
    storage = await openStorage({ dataDir: "", inMemory: true });
    blobDir = await mkdtemp(join(tmpdir(), "stratus-lambda-lifecycle-"));
    service = createLambdaService(
      {
        storage,
        blobDir,
        endpoint: { url: undefined },
        clock,
        credentials: new CredentialStore(),
        logger: createLogger("silent"),
        onClose: () => {},
      },
      { activationMs: 1000, updateMs: 500 },
    );
  });
  after(async () => {
    await storage.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  async function call(
    operation: string,
    options: { body?: unknown; pathParams?: Record<string, string>; method?: string } = {},
  ): Promise<Record<string, unknown>> {
    const handler = service.operations[operation];
    assert.ok(handler, operation);
    const request: ServiceRequest = {
      operation,
      context: {
        requestId: "r",
        accountId: "000000000000",
        region: "us-east-1",
        accessKeyId: "test",
        receivedAt: clock.now(),
        clock,
      },
      method: options.method ?? "GET",
      path: "/",
      pathParams: options.pathParams ?? {},
      query: new Map(),
      headers: { host: "localhost:4566" },
      body: Buffer.from(options.body === undefined ? "" : JSON.stringify(options.body)),
    };
    const response = await handler(request);
    return (response.body ?? {}) as Record<string, unknown>;
  }

  it("is Pending until activationMs has passed, then Active; updates are InProgress for updateMs", async () => {
    const created = await call("CreateFunction", {
      method: "POST",
      body: {
        FunctionName: "slow",
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: Buffer.from(nodeZip()).toString("base64") },
      },
    });
    assert.equal(created.State, "Pending");
    assert.equal(created.LastModified, "2024-01-01T00:00:00.000+0000");
    const path = { pathParams: { FunctionName: "slow" } };
    assert.equal((await call("GetFunctionConfiguration", path)).State, "Pending");
    await assert.rejects(
      call("UpdateFunctionConfiguration", { ...path, method: "PUT", body: { Timeout: 5 } }),
      (error: unknown) =>
        error instanceof AwsError &&
        error.code === "ResourceConflictException" &&
        error.message ===
          "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    );
    clock.advance(1000);
    const active = await call("GetFunctionConfiguration", path);
    assert.equal(active.State, "Active");
    assert.equal(active.LastUpdateStatus, "Successful");

    const updated = await call("UpdateFunctionConfiguration", {
      ...path,
      method: "PUT",
      body: { Timeout: 5 },
    });
    assert.equal(updated.LastUpdateStatus, "InProgress");
    assert.equal(updated.LastModified, "2024-01-01T00:00:01.000+0000");
    assert.equal((await call("GetFunctionConfiguration", path)).LastUpdateStatus, "InProgress");
    await assert.rejects(
      call("UpdateFunctionConfiguration", { ...path, method: "PUT", body: { Timeout: 6 } }),
      (error: unknown) =>
        error instanceof AwsError &&
        error.code === "ResourceConflictException" &&
        error.message ===
          "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:slow",
    );
    clock.advance(500);
    assert.equal((await call("GetFunctionConfiguration", path)).LastUpdateStatus, "Successful");
  });
});
