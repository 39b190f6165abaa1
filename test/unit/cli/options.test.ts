import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveStartOptions, UsageError } from "../../../src/cli/options.ts";

describe("stratus start options", () => {
  it("uses the defaults of the issue", () => {
    const options = resolveStartOptions({}, {});
    assert.equal(options.port, 4566);
    assert.equal(options.host, "127.0.0.1");
    assert.match(options.dataDir ?? "", /\/\.stratus$/);
    assert.equal(options.inMemory, false);
    assert.equal(options.region, "us-east-1");
    assert.equal(options.logLevel, "info");
  });

  it("reads environment variables, and flags win over them", () => {
    const env = {
      STRATUS_PORT: "5000",
      STRATUS_REGION: "eu-west-1",
      STRATUS_IN_MEMORY: "1",
      STRATUS_LOG_LEVEL: "warn",
    };
    const fromEnv = resolveStartOptions({}, env);
    assert.equal(fromEnv.port, 5000);
    assert.equal(fromEnv.region, "eu-west-1");
    assert.equal(fromEnv.inMemory, true);
    assert.equal(fromEnv.logLevel, "warn");
    assert.equal(resolveStartOptions({ port: "6000", region: "ap-south-1" }, env).port, 6000);
    assert.equal(resolveStartOptions({ region: "ap-south-1" }, env).region, "ap-south-1");
    assert.equal(resolveStartOptions({}, { STRATUS_IN_MEMORY: "false" }).inMemory, false);
  });

  it("refuses bad values in one line naming the flag", () => {
    assert.throws(
      () => resolveStartOptions({ port: "http" }, {}),
      new UsageError("--port must be a number from 0 to 65535, not 'http'"),
    );
    assert.throws(() => resolveStartOptions({ port: "70000" }, {}), UsageError);
    assert.throws(() => resolveStartOptions({ "log-level": "loud" }, {}), /--log-level must be/);
    assert.throws(() => resolveStartOptions({ region: "mars" }, {}), /--region must look like us-east-1/);
  });
});
