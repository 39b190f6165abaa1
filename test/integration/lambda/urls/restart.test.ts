/**
 * A function URL survives a restart on the same data dir: its configuration, and its URL id still
 * reaching the function (on the new port).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { startStratus } from "../../../../src/server.ts";
import { clientConfigFor } from "../../../support/stratus.ts";
import { makeZip, ROLE } from "../helpers.ts";
import { callUrl } from "./http.ts";

describe("Function URLs across restarts", () => {
  it("keeps the URL config and its id", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-url-restart-"));
    try {
      const first = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const before = new LambdaClient(clientConfigFor(first.url));
      let id = "";
      try {
        await before.send(
          new CreateFunctionCommand({
            FunctionName: "durable-url",
            Runtime: "nodejs20.x",
            Role: ROLE,
            Handler: "index.handler",
            Code: { ZipFile: makeZip({ "index.js": 'exports.handler = async () => "still here";' }) },
          }),
        );
        const created = await before.send(
          new CreateFunctionUrlConfigCommand({ FunctionName: "durable-url", AuthType: "NONE" }),
        );
        id = new URL(created.FunctionUrl ?? "").hostname.split(".")[0] ?? "";
      } finally {
        before.destroy();
        await first.close();
      }
      const second = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const after = new LambdaClient(clientConfigFor(second.url));
      try {
        const got = await after.send(new GetFunctionUrlConfigCommand({ FunctionName: "durable-url" }));
        assert.equal(got.FunctionUrl, `http://${id}.lambda-url.us-east-1.localhost:${second.port}/`);
        const response = await callUrl(second.port, {
          path: "/",
          host: `${id}.lambda-url.us-east-1.localhost:${second.port}`,
        });
        assert.equal(response.status, 200);
        assert.equal(response.text, "still here");
      } finally {
        after.destroy();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
