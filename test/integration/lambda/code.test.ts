/**
 * Code storage and the store API Invoke uses: zips are content-addressed and extracted where the
 * execution environments run them, unsafe or broken zips are refused with Lambda's text, and
 * `LambdaStore.resolve` finds a function by name, ARN and qualifier.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CreateFunctionCommand, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { systemClock } from "../../../src/aws/clock.ts";
import type { RequestContext } from "../../../src/aws/context.ts";
import { LambdaStore } from "../../../src/services/lambda/store.ts";
import { useStratus } from "../../support/stratus.ts";
import { makeZip, nodeZip, ROLE, rejects, uniqueName } from "./helpers.ts";

function context(accountId = "000000000000", region = "us-east-1"): RequestContext {
  return {
    requestId: "test",
    accountId,
    region,
    accessKeyId: undefined,
    receivedAt: new Date(),
    clock: systemClock,
  };
}

const COULD_NOT_UNZIP = "Could not unzip uploaded file. Please check your file, then try to upload again.";

describe("Lambda code storage", () => {
  const stratus = useStratus();
  const store = () =>
    new LambdaStore({
      storage: stratus.server.storage,
      clock: systemClock,
      blobDir: join(stratus.dataDir, "blobs"),
    });

  it("extracts the package where Invoke finds it, keeping a bootstrap executable", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    const zip = makeZip({
      bootstrap: ["#!/bin/sh\necho hi\n", { mode: 0o755 }],
      "lib/util.sh": "echo util\n",
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "provided.al2023",
        Role: ROLE,
        Handler: "bootstrap",
        Code: { ZipFile: zip },
      }),
    );
    const hex = createHash("sha256").update(zip).digest("hex");
    const resolved = await store().resolve(context(), name);
    assert.equal(resolved.version, "$LATEST");
    assert.equal(resolved.functionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
    assert.equal(resolved.settings.handler, "bootstrap");
    assert.equal(resolved.codeDir, join(stratus.dataDir, "blobs", "lambda", "code", hex));
    assert.equal(await readFile(join(resolved.codeDir, "lib", "util.sh"), "utf8"), "echo util\n");
    assert.equal((await stat(join(resolved.codeDir, "bootstrap"))).mode & 0o111, 0o111);
    const zipped = await readFile(join(stratus.dataDir, "blobs", "lambda", "zips", `${hex}.zip`));
    assert.deepEqual(new Uint8Array(zipped), zip);
    // Nothing is left under temp names.
    assert.deepEqual(await readdir(join(stratus.dataDir, "blobs", "lambda", "tmp")), []);
  });

  it("resolves by partial ARN, full ARN and qualifier; other names are not found", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
        Publish: true,
      }),
    );
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: nodeZip("exports.handler=()=>2") }),
    );
    const s = store();
    const latest = await s.resolve(context(), `000000000000:function:${name}`);
    const v1 = await s.resolve(context(), `arn:aws:lambda:us-east-1:000000000000:function:${name}:1`);
    assert.equal(v1.version, "1");
    assert.notEqual(v1.codeDir, latest.codeDir, "version 1 keeps its own code");
    assert.equal((await s.resolve(context(), name, "$LATEST")).codeDir, latest.codeDir);
    await assert.rejects(s.resolve(context(), name, "7"), {
      name: "ResourceNotFoundException",
      message: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}:7`,
    });
    await assert.rejects(s.resolve(context("111111111111"), name), { name: "ResourceNotFoundException" });
  });

  it("refuses a body that is not a zip, and a zip with a path outside its directory", async () => {
    const lambda = stratus.lambda();
    const create = (zip: Uint8Array) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: uniqueName(),
          Runtime: "nodejs20.x",
          Role: ROLE,
          Handler: "index.handler",
          Code: { ZipFile: zip },
        }),
      );
    await rejects(
      create(new TextEncoder().encode("not a zip")),
      "InvalidParameterValueException",
      COULD_NOT_UNZIP,
      400,
    );
    await rejects(
      create(makeZip({ "../escape.js": "x" })),
      "InvalidParameterValueException",
      COULD_NOT_UNZIP,
      400,
    );
    await rejects(
      create(makeZip({ "/etc/escape.js": "x" })),
      "InvalidParameterValueException",
      COULD_NOT_UNZIP,
      400,
    );
    await assert.rejects(stat(join(stratus.dataDir, "blobs", "lambda", "escape.js")));
  });
});
