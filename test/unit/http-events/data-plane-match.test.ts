/**
 * How the edge recognises a data plane's requests (src/edge/data-plane.ts): host form
 * `{id}.{label}[.{region}].localhost` and path form `/_aws/{label}/{id}/...`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type DataPlane, findDataPlane, parseDataPlaneHost } from "../../../src/edge/data-plane.ts";

const plane: DataPlane = {
  name: "test plane",
  label: "lambda-url",
  bodyBytesMax: 10,
  bodyTooLarge: () => ({ status: 413, headers: {} }),
  handle: async () => ({ status: 200, headers: {} }),
};

describe("data plane matching", () => {
  it("reads the id and region from the host name", () => {
    assert.deepEqual(parseDataPlaneHost("abc.lambda-url.us-east-1.localhost", "lambda-url"), {
      id: "abc",
      region: "us-east-1",
    });
    assert.deepEqual(parseDataPlaneHost("abc.lambda-url.localhost", "lambda-url"), {
      id: "abc",
      region: undefined,
    });
    // Ids may hold dots (bucket names); the region must look like one.
    assert.deepEqual(parseDataPlaneHost("my.site.s3-website.eu-west-1.localhost", "s3-website"), {
      id: "my.site",
      region: "eu-west-1",
    });
    assert.equal(parseDataPlaneHost("abc.lambda-url.nowhere.localhost", "lambda-url"), undefined);
    assert.equal(parseDataPlaneHost("lambda-url.localhost", "lambda-url"), undefined);
    assert.equal(parseDataPlaneHost("abc.lambda-url.us-east-1.on.aws", "lambda-url"), undefined);
  });

  it("finds the plane by host or by /_aws/ path, with the path below the plane's root", () => {
    const byHost = findDataPlane([plane], "abc.lambda-url.us-east-1.localhost", "/x/y");
    assert.equal(byHost?.plane, plane);
    assert.deepEqual(
      { ...byHost, plane: undefined },
      {
        plane: undefined,
        id: "abc",
        region: "us-east-1",
        rawPath: "/x/y",
        pathForm: false,
      },
    );
    const byPath = findDataPlane([plane], "127.0.0.1", "/_aws/lambda-url/abc/x/y");
    assert.deepEqual(
      { ...byPath, plane: undefined },
      {
        plane: undefined,
        id: "abc",
        region: undefined,
        rawPath: "/x/y",
        pathForm: true,
      },
    );
    assert.equal(findDataPlane([plane], "127.0.0.1", "/_aws/lambda-url/abc")?.rawPath, "/");
    assert.equal(findDataPlane([plane], "127.0.0.1", "/_aws/lambda-url/"), undefined);
    assert.equal(findDataPlane([plane], "127.0.0.1", "/_aws/execute-api/abc/"), undefined);
    assert.equal(findDataPlane([plane], "abc.execute-api.localhost", "/"), undefined);
  });
});
