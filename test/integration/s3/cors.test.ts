/**
 * S3 CORS: PutBucketCors/GetBucketCors/DeleteBucketCors through the SDK, unsigned preflights answered
 * from the rules, and CORS headers on actual requests (expected answers: LocalStack's AWS-validated
 * snapshots of test_s3_cors.py and ceph s3-tests, as listed in src/services/s3/cors/).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";
import { corsHeadersOf, errorOf, rawRequest } from "./raw-http.ts";

const ORIGIN = "https://app.example.com";
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

describe("S3 CORS", () => {
  const stratus = useStratus({ inMemory: true });

  async function bucketWithRules(label: string): Promise<string> {
    const s3 = stratus.s3();
    const bucket = bucketName(label);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              ID: "site",
              AllowedOrigins: ["https://*.example.com"],
              AllowedMethods: ["GET", "PUT"],
              AllowedHeaders: ["x-amz-*", "content-type"],
              ExposeHeaders: ["ETag"],
              MaxAgeSeconds: 600,
            },
            { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"] },
          ],
        },
      }),
    );
    return bucket;
  }

  test("configuration is stored, answered with the members set, and deleted", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("cors-config");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const missing = await sdkError(s3.send(new GetBucketCorsCommand({ Bucket: bucket })));
    assert.equal(missing.name, "NoSuchCORSConfiguration");
    assert.equal(missing.message, "The CORS configuration does not exist");
    assert.equal(missing.$metadata.httpStatusCode, 404);

    const rules = [
      {
        ID: "site",
        AllowedHeaders: ["x-amz-*"],
        AllowedMethods: ["GET", "PUT"],
        AllowedOrigins: ["https://*.example.com", "http://test.com:80"],
        ExposeHeaders: ["ETag"],
        MaxAgeSeconds: 600,
      },
      { AllowedMethods: ["HEAD"], AllowedOrigins: ["*"] },
    ];
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
    const got = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    assert.deepEqual(got.CORSRules, rules);

    await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    const gone = await sdkError(s3.send(new GetBucketCorsCommand({ Bucket: bucket })));
    assert.equal(gone.name, "NoSuchCORSConfiguration");
  });

  test("invalid rules are refused in S3's words", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("cors-invalid");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const put = (rule: { AllowedOrigins: string[]; AllowedMethods: string[] }) =>
      sdkError(
        s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [rule] } })),
      );
    const method = await put({ AllowedOrigins: ["*"], AllowedMethods: ["MYMETHOD"] });
    assert.equal(method.name, "InvalidRequest");
    assert.equal(
      method.message,
      "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD",
    );
    const wildcards = await put({ AllowedOrigins: ["*example*.com"], AllowedMethods: ["GET"] });
    assert.equal(wildcards.name, "InvalidRequest");
    assert.equal(wildcards.message, 'AllowedOrigin "*example*.com" can not have more than one wildcard.');
    const empty = await sdkError(
      s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [] } })),
    );
    assert.equal(empty.name, "MalformedXML");
  });

  test("preflights are answered from the rules without authentication", async () => {
    const bucket = await bucketWithRules("cors-preflight");
    const s3 = stratus.s3();
    const plain = bucketName("cors-none");
    await s3.send(new CreateBucketCommand({ Bucket: plain }));
    const options = (path: string, headers: Record<string, string>) =>
      rawRequest(stratus.url, path, { method: "OPTIONS", headers });

    const ok = await options(`/${bucket}/some/key`, {
      Origin: ORIGIN,
      "Access-Control-Request-Method": "PUT",
      "Access-Control-Request-Headers": "Content-Type, X-Amz-Meta-Name",
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, "");
    assert.deepEqual(corsHeadersOf(ok), {
      "access-control-allow-origin": ORIGIN,
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "content-type, x-amz-meta-name",
      "access-control-expose-headers": "ETag",
      "access-control-max-age": "600",
      "access-control-allow-credentials": "true",
      vary: VARY,
    });

    // Virtual-hosted addressing: the bucket is the host's first label.
    const hosted = await rawRequest(stratus.url, "/some/key", {
      method: "OPTIONS",
      host: `${bucket}.s3.localhost`,
      headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET" },
    });
    assert.equal(hosted.status, 200);
    assert.equal(hosted.headers["access-control-allow-origin"], ORIGIN);

    const everyone = await options(`/${bucket}`, { Origin: "null", "Access-Control-Request-Method": "HEAD" });
    assert.equal(everyone.status, 200);
    assert.deepEqual(corsHeadersOf(everyone), {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "HEAD",
      vary: VARY,
    });

    const refused = await options(`/${bucket}/key`, {
      Origin: ORIGIN,
      "Access-Control-Request-Method": "DELETE",
    });
    assert.equal(refused.status, 403);
    assert.deepEqual(errorOf(refused.body), { code: "AccessForbidden", message: NOT_ALLOWED });
    assert.match(refused.body, /<Method>DELETE<\/Method><ResourceType>OBJECT<\/ResourceType>/);
    assert.deepEqual(corsHeadersOf(refused), {});

    const header = await options(`/${bucket}/key`, {
      Origin: ORIGIN,
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "authorization",
    });
    assert.equal(header.status, 403);

    const disabled = await options(`/${plain}/key`, {
      Origin: ORIGIN,
      "Access-Control-Request-Method": "GET",
    });
    assert.equal(disabled.status, 403);
    assert.deepEqual(errorOf(disabled.body), {
      code: "AccessForbidden",
      message: "CORSResponse: CORS is not enabled for this bucket.",
    });
    assert.match(disabled.body, /<Method>GET<\/Method><ResourceType>BUCKET<\/ResourceType>/);

    const noBucket = await options("/no-such-bucket-cors/key", { Origin: ORIGIN });
    assert.equal(noBucket.status, 403);
    assert.deepEqual(errorOf(noBucket.body), {
      code: "AccessForbidden",
      message: "CORSResponse: Bucket not found",
    });
    assert.match(noBucket.body, /<Method>OPTIONS<\/Method>/);

    const noOrigin = await options(`/${bucket}/key`, { "Access-Control-Request-Method": "GET" });
    assert.equal(noOrigin.status, 400);
    assert.deepEqual(errorOf(noOrigin.body), {
      code: "BadRequest",
      message: "Insufficient information. Origin request header needed.",
    });
    const noMethod = await options(`/${bucket}/key`, { Origin: ORIGIN });
    assert.equal(noMethod.status, 400);
    assert.equal(errorOf(noMethod.body).message, "Invalid Access-Control-Request-Method: null");
  });

  test("actual requests with a matching Origin get the rule's headers, errors included", async () => {
    const bucket = await bucketWithRules("cors-actual");
    const s3 = stratus.s3();
    let sent: Record<string, string> = {};
    let received: Record<string, string> = {};
    s3.middlewareStack.add(
      (next) => async (args) => {
        Object.assign((args.request as { headers: Record<string, string> }).headers, sent);
        try {
          const result = await next(args);
          received = (result.response as { headers: Record<string, string> }).headers;
          return result;
        } catch (error) {
          received = (error as { $response?: { headers: Record<string, string> } }).$response?.headers ?? {};
          throw error;
        }
      },
      { step: "finalizeRequest", name: "corsProbe", priority: "low" },
    );
    const cors = () =>
      Object.fromEntries(
        Object.entries(received).filter(([n]) => n.startsWith("access-control-") || n === "vary"),
      );
    const site = {
      "access-control-allow-origin": ORIGIN,
      "access-control-allow-methods": "GET, PUT",
      "access-control-expose-headers": "ETag",
      "access-control-max-age": "600",
      "access-control-allow-credentials": "true",
      vary: VARY,
    };

    sent = { origin: ORIGIN };
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "data" }));
    assert.deepEqual(cors(), site);
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }));
    assert.deepEqual(cors(), site);
    const missing = await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "missing" })));
    assert.equal(missing.name, "NoSuchKey");
    assert.deepEqual(cors(), site);

    // HEAD is only allowed by the rule open to every origin.
    sent = { origin: "https://example.org" };
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }));
    assert.deepEqual(cors(), {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "HEAD",
      vary: VARY,
    });
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }));
    assert.deepEqual(cors(), {});
    // S3 matches an actual request by Access-Control-Request-Method when it carries one.
    sent = { origin: ORIGIN, "access-control-request-method": "DELETE" };
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }));
    assert.deepEqual(cors(), {});
    sent = {};
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }));
    assert.deepEqual(cors(), {});
  });
});
