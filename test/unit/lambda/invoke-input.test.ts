/** Invoke reads its input members directly; they must be what the model's bindings give. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadModel } from "../../../src/aws/models/index.ts";
import { restJsonInput } from "../../../src/aws/protocols/rest-json-operation.ts";
import { invokeInput } from "../../../src/services/lambda/invoke/invoke.ts";
import type { ServiceRequest } from "../../../src/services/service.ts";

const USED = ["FunctionName", "InvocationType", "LogType", "ClientContext", "Qualifier"];

function request(over: Partial<Pick<ServiceRequest, "pathParams" | "query" | "headers">>): ServiceRequest {
  return {
    operation: "Invoke",
    context: {} as ServiceRequest["context"],
    method: "POST",
    path: "/2015-03-31/functions/f/invocations",
    pathParams: { FunctionName: "f" },
    query: new Map(),
    headers: {},
    body: Buffer.from("{}"),
    ...over,
  };
}

describe("Invoke input", () => {
  it("reads the members as restJsonInput binds them", () => {
    const model = loadModel("lambda");
    const cases = [
      request({}),
      request({ pathParams: { FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:f:prod" } }),
      request({
        query: new Map([["Qualifier", ["3", "4"]]]),
        headers: {
          "x-amz-invocation-type": "Event",
          "x-amz-log-type": "Tail",
          "x-amz-client-context": "eyJhIjoxfQ==",
          "x-amz-tenant-id": "t",
        },
      }),
      request({ query: new Map([["Qualifier", []]]), headers: { "x-amz-log-type": "" } }),
      request({ headers: { "x-amz-invocation-type": ["DryRun", "Event"] as unknown as string } }),
    ];
    for (const r of cases) {
      const expected = restJsonInput(model, "Invoke", r);
      const picked = Object.fromEntries(USED.filter((k) => k in expected).map((k) => [k, expected[k]]));
      assert.deepEqual({ ...invokeInput(r) }, picked);
    }
  });
});
