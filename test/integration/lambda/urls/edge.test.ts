/**
 * The edge's data-plane entry: function URLs are unsigned (no SigV4 step runs for them), data planes
 * no service registers yet still answer 404, and the Lambda API itself is unaffected.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { callUrl } from "./http.ts";

describe("edge data planes", () => {
  const stratus = useStratus({ inMemory: true });

  it("answers 404 for data planes nothing serves yet, in both forms", async () => {
    const port = stratus.server.port;
    for (const request of [
      { path: "/", host: `d111111abcdef8.cloudfront.localhost:${port}` },
      { path: "/x", host: `d111111abcdef8.cloudfront.us-east-1.localhost:${port}` },
      { path: "/_aws/nothing-here/abc123/prod", host: `127.0.0.1:${port}` },
    ]) {
      const response = await callUrl(port, request);
      assert.equal(response.status, 404, request.host);
      assert.match(response.text, /Stratus serves nothing at/);
    }
    // API Gateway's data plane is served: an API id no API has is refused as API Gateway refuses it.
    const unknownApi = await callUrl(port, { path: "/prod/x", host: `abc123.execute-api.localhost:${port}` });
    assert.equal(unknownApi.status, 403);
    assert.deepEqual(JSON.parse(unknownApi.text), { message: "Forbidden" });
  });

  it("does not ask function URLs for a signature, and leaves signed API calls alone", async () => {
    const response = await callUrl(stratus.server.port, {
      path: "/",
      host: `0123456789abcdefghijklmnopqrstuv.lambda-url.us-east-1.localhost:${stratus.server.port}`,
    });
    // Unknown URL: Lambda's own 403, not the edge's MissingAuthenticationToken.
    assert.equal(response.status, 403);
    assert.equal(response.text, '{"Message":null}');
    const listed = await stratus.lambda().send(new ListFunctionsCommand({}));
    assert.equal(listed.$metadata.httpStatusCode, 200);
  });
});
