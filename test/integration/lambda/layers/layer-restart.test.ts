/**
 * Layers and hot reload across a restart on the same data dir: the layer versions and their counter
 * persist, a function keeps running with its layers, and a hot-reload function is watched again from
 * its first invoke after the restart.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import { startStratus } from "../../../../src/server.ts";
import { clientConfigFor } from "../../../support/stratus.ts";
import { makeZip, ROLE } from "../helpers.ts";

const RELOAD_WAIT_MS = 30_000;

async function invoke(lambda: LambdaClient, name: string): Promise<unknown> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: "{}" }));
  return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8"));
}

describe("Lambda layers and hot reload across a restart", () => {
  it("keeps layers, functions using them and hot-reload watching", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-layers-restart-"));
    const hotDir = join(dataDir, "..", `${dataDir.split("/").pop()}-src`);
    await mkdir(hotDir, { recursive: true });
    await writeFile(join(hotDir, "index.js"), 'exports.handler = async () => "before";\n');
    try {
      const first = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const before = new LambdaClient(clientConfigFor(first.url));
      try {
        const published = await before.send(
          new PublishLayerVersionCommand({
            LayerName: "durable-layer",
            Content: {
              ZipFile: makeZip({ "nodejs/node_modules/lib/index.js": 'module.exports = "from layer";\n' }),
            },
          }),
        );
        await before.send(
          new CreateFunctionCommand({
            FunctionName: "with-layer",
            Runtime: "nodejs20.x",
            Role: ROLE,
            Handler: "index.handler",
            Code: { ZipFile: makeZip({ "index.js": 'exports.handler = async () => require("lib");\n' }) },
            Layers: [published.LayerVersionArn ?? ""],
          }),
        );
        await before.send(
          new CreateFunctionCommand({
            FunctionName: "hot",
            Runtime: "nodejs20.x",
            Role: ROLE,
            Handler: "index.handler",
            Code: { S3Bucket: "hot-reload", S3Key: hotDir },
          }),
        );
      } finally {
        before.destroy();
        await first.close();
      }
      const second = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const after = new LambdaClient(clientConfigFor(second.url));
      try {
        assert.equal(await invoke(after, "with-layer"), "from layer");
        const next = await after.send(
          new PublishLayerVersionCommand({
            LayerName: "durable-layer",
            Content: { ZipFile: makeZip({ "a.txt": "a" }) },
          }),
        );
        assert.equal(next.Version, 2);
        const versions = await after.send(new ListLayerVersionsCommand({ LayerName: "durable-layer" }));
        assert.deepEqual(
          versions.LayerVersions?.map((v) => v.Version),
          [2, 1],
        );
        assert.equal(await invoke(after, "hot"), "before");
        await writeFile(join(hotDir, "index.js"), 'exports.handler = async () => "after";\n');
        const deadline = Date.now() + RELOAD_WAIT_MS;
        let answer = await invoke(after, "hot");
        while (answer !== "after" && Date.now() < deadline) {
          await sleep(200);
          answer = await invoke(after, "hot");
        }
        assert.equal(answer, "after");
      } finally {
        after.destroy();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await rm(hotDir, { recursive: true, force: true });
    }
  });
});
