/**
 * S3 static website hosting: Put/Get/DeleteBucketWebsite through the SDK, and the website endpoint
 * over raw HTTP in its three addresses (`{bucket}.s3-website.localhost`, with a region, and
 * `/_aws/s3-website/{bucket}/`): index documents, the folder redirect, error documents, redirects,
 * routing rules, HTML error pages, public objects only, GET and HEAD only.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketWebsiteCommand,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  type S3Client,
  type WebsiteConfiguration,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";
import { rawRequest } from "./raw-http.ts";

describe("S3 website endpoints", () => {
  const stratus = useStratus({ inMemory: true });

  /** A bucket whose objects everyone may read (policy) with a few pages. */
  async function site(s3: S3Client, label: string, listable = false): Promise<string> {
    const bucket = bucketName(label);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const statements: unknown[] = [
      { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` },
    ];
    if (listable) {
      statements.push({
        Effect: "Allow",
        Principal: "*",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${bucket}`,
      });
    }
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      }),
    );
    const put = (Key: string, Body: string, extra: Record<string, string> = {}) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType: "text/html", ...extra }));
    await put("index.html", "home");
    await put("docs/index.html", "docs home");
    await put("404.html", "custom not found");
    await put("old.html", "", { WebsiteRedirectLocation: "/new.html" });
    return bucket;
  }

  const get = (host: string, path: string, method = "GET") => rawRequest(stratus.url, path, { host, method });

  test("configuration is stored and answered; a bucket without one has no website", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("website-config");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const missing = await sdkError(s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })));
    assert.equal(missing.name, "NoSuchWebsiteConfiguration");
    assert.equal(missing.message, "The specified bucket does not have a website configuration");
    const page = await get(`${bucket}.s3-website.localhost`, "/");
    assert.equal(page.status, 404);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.match(
      page.body,
      new RegExp(
        `^<html>\\n<head><title>404 Not Found</title></head>\\n<body>\\n<h1>404 Not Found</h1>\\n<ul>\\n<li>Code: NoSuchWebsiteConfiguration</li>\\n<li>Message: The specified bucket does not have a website configuration</li>\\n<li>BucketName: ${bucket}</li>\\n<li>RequestId: [0-9A-F]{16}</li>\\n<li>HostId: [^<]+</li>\\n</ul>\\n<hr/>\\n</body>\\n</html>\\n$`,
      ),
    );

    const config: WebsiteConfiguration = {
      IndexDocument: { Suffix: "index.html" },
      ErrorDocument: { Key: "404.html" },
      RoutingRules: [
        { Condition: { KeyPrefixEquals: "docs/old/" }, Redirect: { ReplaceKeyPrefixWith: "docs/" } },
        {
          Condition: { HttpErrorCodeReturnedEquals: "404", KeyPrefixEquals: "gone/" },
          Redirect: {
            HostName: "example.com",
            Protocol: "https",
            HttpRedirectCode: "302",
            ReplaceKeyWith: "moved.html",
          },
        },
      ],
    };
    await s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: config }));
    const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    assert.deepEqual(
      { IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules },
      config,
    );
    const invalid = await sdkError(
      s3.send(
        new PutBucketWebsiteCommand({
          Bucket: bucket,
          WebsiteConfiguration: { ErrorDocument: { Key: "e.html" } },
        }),
      ),
    );
    assert.equal(invalid.name, "InvalidArgument");
    assert.equal(
      invalid.message,
      "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
    );
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
    assert.equal(
      (await sdkError(s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })))).name,
      "NoSuchWebsiteConfiguration",
    );
  });

  test("index documents, the folder redirect, error documents and object redirects", async () => {
    const s3 = stratus.s3();
    const bucket = await site(s3, "website-pages", true);
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "404.html" } },
      }),
    );
    const host = `${bucket}.s3-website.localhost`;
    const home = await get(host, "/");
    assert.equal(home.status, 200);
    assert.equal(home.body, "home");
    assert.equal(home.headers["content-type"], "text/html");
    assert.ok(home.headers.etag);
    assert.equal((await get(`${bucket}.s3-website.us-east-1.localhost`, "/docs/")).body, "docs home");
    assert.equal((await rawRequest(stratus.url, `/_aws/s3-website/${bucket}/docs/`)).body, "docs home");

    const folder = await get(host, "/docs");
    assert.equal(folder.status, 302);
    assert.equal(folder.headers.location, "/docs/");

    const missing = await get(host, "/nothing-here");
    assert.equal(missing.status, 404);
    assert.equal(missing.body, "custom not found");

    const moved = await get(host, "/old.html");
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, "/new.html");

    const head = await get(host, "/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], "4");

    const cached = await rawRequest(stratus.url, "/", {
      host,
      headers: { "If-None-Match": String(home.headers.etag) },
    });
    assert.equal(cached.status, 304);

    const post = await get(host, "/", "POST");
    assert.equal(post.status, 405);
    assert.match(
      post.body,
      /<li>Code: MethodNotAllowed<\/li>\n<li>Message: The specified method is not allowed against this resource.<\/li>\n<li>Method: POST<\/li>\n<li>ResourceType: OBJECT<\/li>/,
    );
  });

  test("missing pages without an error document, private objects, and a missing error document", async () => {
    const s3 = stratus.s3();
    const bucket = await site(s3, "website-errors", true);
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    const host = `${bucket}.s3-website.localhost`;
    const missing = await get(host, "/a/b.html");
    assert.equal(missing.status, 404);
    assert.match(
      missing.body,
      /<li>Code: NoSuchKey<\/li>\n<li>Message: The specified key does not exist.<\/li>\n<li>Key: a\/b.html<\/li>\n<li>RequestId: /,
    );

    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: "index.html" },
          ErrorDocument: { Key: "nope.html" },
        },
      }),
    );
    const nested = await get(host, "/a/b.html");
    assert.equal(nested.status, 404);
    assert.match(
      nested.body,
      /<\/ul>\n<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document<\/h3>\n<ul>\n<li>Code: NoSuchKey<\/li>\n<li>Message: The specified key does not exist.<\/li>\n<li>Key: nope.html<\/li>\n<\/ul>\n<hr\/>/,
    );

    // Objects the policy does not make public are 403 on the website too.
    const priv = bucketName("website-private");
    await s3.send(new CreateBucketCommand({ Bucket: priv }));
    await s3.send(new PutObjectCommand({ Bucket: priv, Key: "index.html", Body: "secret" }));
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: priv,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } },
      }),
    );
    const forbidden = await get(`${priv}.s3-website.localhost`, "/");
    assert.equal(forbidden.status, 403);
    assert.match(
      forbidden.body,
      /^<html>\n<head><title>403 Forbidden<\/title><\/head>\n<body>\n<h1>403 Forbidden<\/h1>\n<ul>\n<li>Code: AccessDenied<\/li>\n<li>Message: Access Denied<\/li>\n<li>RequestId: /,
    );
    const noBucket = await get("no-such-site-bucket.s3-website.localhost", "/");
    assert.equal(noBucket.status, 404);
    assert.match(
      noBucket.body,
      /<li>Code: NoSuchBucket<\/li>\n<li>Message: The specified bucket does not exist<\/li>\n<li>BucketName: no-such-site-bucket<\/li>/,
    );
  });

  test("RedirectAllRequestsTo and routing rules", async () => {
    const s3 = stratus.s3();
    const bucket = await site(s3, "website-rules", true);
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: "index.html" },
          RoutingRules: [
            { Condition: { KeyPrefixEquals: "docs/old/" }, Redirect: { ReplaceKeyPrefixWith: "docs/new/" } },
            {
              Condition: { HttpErrorCodeReturnedEquals: "404" },
              Redirect: {
                HostName: "example.com",
                Protocol: "https",
                HttpRedirectCode: "302",
                ReplaceKeyWith: "missing.html",
              },
            },
          ],
        },
      }),
    );
    const host = `${bucket}.s3-website.localhost`;
    const port = new URL(stratus.url).port;
    const prefix = await get(host, "/docs/old/page.html");
    assert.equal(prefix.status, 301);
    assert.equal(prefix.headers.location, `http://${host}:${port}/docs/new/page.html`);
    const onError = await get(host, "/absent.html");
    assert.equal(onError.status, 302);
    assert.equal(onError.headers.location, "https://example.com/missing.html");

    const other = bucketName("website-redirect-all");
    await s3.send(new CreateBucketCommand({ Bucket: other }));
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: other,
        WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: "www.example.com", Protocol: "https" } },
      }),
    );
    const all = await get(`${other}.s3-website.localhost`, "/a/b?x=1");
    assert.equal(all.status, 301);
    assert.equal(all.headers.location, "https://www.example.com/a/b?x=1");
  });

  test("a missing key in a bucket everyone may not list is 403, served with the error document", async () => {
    const s3 = stratus.s3();
    const bucket = await site(s3, "website-unlisted");
    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "404.html" } },
      }),
    );
    const missing = await get(`${bucket}.s3-website.localhost`, "/nothing");
    assert.equal(missing.status, 403);
    assert.equal(missing.body, "custom not found");
  });
});
