import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadModel } from "../../../src/aws/models/index.ts";
import { parseQuery } from "../../../src/aws/protocols/query-string.ts";
import { RestRouter } from "../../../src/aws/protocols/rest-router.ts";

function route(
  router: RestRouter,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
) {
  const [path = "/", query = ""] = pathAndQuery.split("?", 2);
  return router.match({
    method,
    segments: path.split("/").slice(1).map(decodeURIComponent),
    query: parseQuery(query),
    headers,
  });
}

describe("RestRouter with S3's model", () => {
  const s3 = new RestRouter(loadModel("s3").operations);

  it("tells apart operations sharing a path by required query keys and headers", () => {
    assert.equal(route(s3, "PUT", "/b/k")?.operation, "PutObject");
    assert.equal(route(s3, "PUT", "/b/k?partNumber=1&uploadId=u")?.operation, "UploadPart");
    assert.equal(route(s3, "PUT", "/b/k", { "x-amz-copy-source": "/a/b" })?.operation, "CopyObject");
    assert.equal(
      route(s3, "PUT", "/b/k?partNumber=1&uploadId=u", { "x-amz-copy-source": "/a/b" })?.operation,
      "UploadPartCopy",
    );
    assert.equal(route(s3, "GET", "/b/k?uploadId=u")?.operation, "ListParts");
    assert.equal(route(s3, "DELETE", "/b/k?uploadId=u")?.operation, "AbortMultipartUpload");
    assert.equal(route(s3, "DELETE", "/b/k")?.operation, "DeleteObject");
  });

  it("uses literal query keys and values, preferring current operations over deprecated ones", () => {
    assert.equal(route(s3, "GET", "/b?list-type=2")?.operation, "ListObjectsV2");
    assert.equal(route(s3, "GET", "/b")?.operation, "ListObjects");
    assert.equal(route(s3, "GET", "/b?versioning")?.operation, "GetBucketVersioning");
    assert.equal(route(s3, "GET", "/b?lifecycle")?.operation, "GetBucketLifecycleConfiguration");
    assert.equal(route(s3, "GET", "/b?analytics")?.operation, "ListBucketAnalyticsConfigurations");
    assert.equal(route(s3, "GET", "/b?analytics&id=x")?.operation, "GetBucketAnalyticsConfiguration");
    assert.equal(route(s3, "POST", "/b?delete")?.operation, "DeleteObjects");
  });

  it("binds greedy labels to the rest of the path, decoded", () => {
    const match = route(s3, "GET", "/my-bucket/a/b%20c/d.txt");
    assert.deepEqual(match, {
      operation: "GetObject",
      pathParams: { Bucket: "my-bucket", Key: "a/b c/d.txt" },
    });
    assert.equal(route(s3, "GET", "/")?.operation, "ListBuckets");
  });

  it("finds nothing for a method no operation uses", () => {
    assert.equal(route(s3, "PATCH", "/b/k"), undefined);
  });
});

describe("RestRouter with Lambda's model", () => {
  const lambda = new RestRouter(loadModel("lambda").operations);

  it("routes function paths and binds their labels", () => {
    assert.deepEqual(route(lambda, "POST", "/2015-03-31/functions/my-fn/invocations"), {
      operation: "Invoke",
      pathParams: { FunctionName: "my-fn" },
    });
    assert.equal(route(lambda, "GET", "/2015-03-31/functions/")?.operation, "ListFunctions");
    assert.equal(
      route(lambda, "GET", "/2015-03-31/functions/f/configuration")?.operation,
      "GetFunctionConfiguration",
    );
    assert.deepEqual(
      route(
        lambda,
        "GET",
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af",
      ),
      {
        operation: "GetFunction",
        pathParams: { FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:f" },
      },
    );
    assert.equal(route(lambda, "GET", "/2015-03-31/nothing"), undefined);
  });
});
