import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError, virtualHostedClient } from "./helpers.ts";

const OTHER_ACCOUNT = { accessKeyId: "222233334444", secretAccessKey: "test" };

describe("S3 buckets", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, heads, lists, locates and deletes a bucket", async () => {
    const s3 = stratus.s3();
    const name = bucketName("life");
    const created = await s3.send(new CreateBucketCommand({ Bucket: name }));
    assert.equal(created.Location, `/${name}`);
    const head = await s3.send(new HeadBucketCommand({ Bucket: name }));
    assert.equal(head.BucketRegion, "us-east-1");
    const list = await s3.send(new ListBucketsCommand({}));
    const listed = list.Buckets?.find((b) => b.Name === name);
    assert.ok(listed?.CreationDate instanceof Date);
    assert.equal(listed?.BucketRegion, "us-east-1");
    assert.match(list.Owner?.ID ?? "", /^[0-9a-f]{64}$/);
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: name }));
    assert.equal(location.LocationConstraint, undefined, "us-east-1 answers an empty LocationConstraint");
    await s3.send(new DeleteBucketCommand({ Bucket: name }));
    const gone = await sdkError(s3.send(new HeadBucketCommand({ Bucket: name })));
    assert.equal(gone.$metadata.httpStatusCode, 404);
  });

  it("creates a bucket in another region from the us-east-1 endpoint and reports it", async () => {
    const s3 = stratus.s3();
    const name = bucketName("eu");
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
      }),
    );
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: name }));
    assert.equal(location.LocationConstraint, "eu-west-1");
    const head = await rawRequest(stratus.url, { method: "HEAD", path: `/${name}`, service: "s3" });
    assert.equal(head.status, 200);
    assert.equal(head.headers["x-amz-bucket-region"], "eu-west-1");
  });

  it("refuses an explicit us-east-1 constraint with InvalidLocationConstraint", async () => {
    const error = await sdkError(
      stratus.s3().send(
        new CreateBucketCommand({
          Bucket: bucketName("use1"),
          CreateBucketConfiguration: { LocationConstraint: "us-east-1" as BucketLocationConstraint },
        }),
      ),
    );
    assert.equal(error.name, "InvalidLocationConstraint");
    assert.equal(error.message, "The specified location-constraint is not valid");
    assert.equal(error.$metadata.httpStatusCode, 400);
  });

  it("refuses a missing or foreign constraint at a regional endpoint with IllegalLocationConstraintException", async () => {
    const regional = new S3Client({
      ...stratus.clientConfig(),
      region: "eu-central-1",
      forcePathStyle: true,
    });
    try {
      // The SDK adds its region as the constraint by itself: sent raw, without one.
      const missing = await rawRequest(stratus.url, {
        method: "PUT",
        path: `/${bucketName("fra")}`,
        region: "eu-central-1",
        service: "s3",
      });
      assert.equal(missing.status, 400);
      assert.match(
        missing.text,
        /<Code>IllegalLocationConstraintException<\/Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to\.<\/Message>/,
      );
      const foreign = await sdkError(
        regional.send(
          new CreateBucketCommand({
            Bucket: bucketName("fra"),
            CreateBucketConfiguration: { LocationConstraint: "ap-east-1" },
          }),
        ),
      );
      assert.equal(foreign.name, "IllegalLocationConstraintException");
      assert.equal(
        foreign.message,
        "The ap-east-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
      );
      const name = bucketName("fra");
      await regional.send(
        new CreateBucketCommand({
          Bucket: name,
          CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
        }),
      );
      const head = await regional.send(new HeadBucketCommand({ Bucket: name }));
      assert.equal(head.BucketRegion, "eu-central-1");
    } finally {
      regional.destroy();
    }
  });

  it("mirrors the global namespace: BucketAlreadyExists for another account, 200 or BucketAlreadyOwnedByYou for one's own", async () => {
    const s3 = stratus.s3();
    const name = bucketName("taken");
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    // us-east-1: re-creating one's own bucket answers 200 (legacy compatibility, CreateBucket docs).
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const other = await sdkError(stratus.s3(OTHER_ACCOUNT).send(new CreateBucketCommand({ Bucket: name })));
    assert.equal(other.name, "BucketAlreadyExists");
    assert.equal(other.$metadata.httpStatusCode, 409);
    assert.equal(
      other.message,
      "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
    );
    const eu = bucketName("own-eu");
    await s3.send(
      new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    );
    const again = await sdkError(
      s3.send(
        new CreateBucketCommand({
          Bucket: eu,
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      ),
    );
    assert.equal(again.name, "BucketAlreadyOwnedByYou");
    assert.equal(again.$metadata.httpStatusCode, 409);
    assert.equal(
      again.message,
      "Your previous request to create the named bucket succeeded and you already own it.",
    );
    // ListBuckets lists the caller's own buckets only.
    const theirs = await stratus.s3(OTHER_ACCOUNT).send(new ListBucketsCommand({}));
    assert.equal(
      theirs.Buckets?.some((b) => b.Name === name),
      false,
    );
  });

  it("refuses invalid bucket names with InvalidBucketName and the name", async () => {
    for (const name of [
      "ab",
      "UpperCase",
      "has_underscore",
      "double..dot",
      "192.168.5.4",
      "-dash-first",
      "xn--punycode",
      "a".repeat(64),
      "name--x-s3",
    ]) {
      const response = await rawRequest(stratus.url, { method: "PUT", path: `/${name}`, service: "s3" });
      assert.equal(response.status, 400, name);
      assert.match(
        response.text,
        new RegExp(
          `<Code>InvalidBucketName</Code><Message>The specified bucket is not valid\\.</Message><BucketName>${name.replace(/\./g, "\\.")}</BucketName>`,
        ),
        name,
      );
    }
  });

  it("answers NoSuchBucket with the bucket name, and HEAD with a bare 404", async () => {
    const response = await rawRequest(stratus.url, {
      method: "GET",
      path: "/no-such-bucket-here",
      query: { "list-type": "2" },
      service: "s3",
    });
    assert.equal(response.status, 404);
    assert.match(
      response.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>no-such-bucket-here<\/BucketName><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/,
    );
    const head = await rawRequest(stratus.url, {
      method: "HEAD",
      path: "/no-such-bucket-here",
      service: "s3",
    });
    assert.equal(head.status, 404);
    assert.equal(head.text, "");
    const del = await sdkError(stratus.s3().send(new DeleteBucketCommand({ Bucket: "no-such-bucket-here" })));
    assert.equal(del.name, "NoSuchBucket");
    // A name no bucket can have is InvalidBucketName on every operation (captured from S3 for "a").
    const short = await rawRequest(stratus.url, {
      method: "GET",
      path: "/a",
      query: { "list-type": "2" },
      service: "s3",
    });
    assert.equal(short.status, 400);
    assert.match(
      short.text,
      /<Code>InvalidBucketName<\/Code><Message>The specified bucket is not valid\.<\/Message><BucketName>a<\/BucketName>/,
    );
  });

  it("refuses to delete a bucket that holds objects with BucketNotEmpty", async () => {
    const s3 = stratus.s3();
    const name = bucketName("full");
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" }));
    const error = await sdkError(s3.send(new DeleteBucketCommand({ Bucket: name })));
    assert.equal(error.name, "BucketNotEmpty");
    assert.equal(error.$metadata.httpStatusCode, 409);
    assert.equal(error.message, "The bucket you tried to delete is not empty");
    assert.equal(error.BucketName, name);
  });

  it("pages ListBuckets with MaxBuckets and ContinuationToken, filtered by Prefix", async () => {
    const account = { accessKeyId: "333344445555", secretAccessKey: "test" };
    const s3 = stratus.s3(account);
    const names = ["pg-a", "pg-b", "pg-c", "pg-d", "zz-other"].map((n) => `${n}-${process.pid}`);
    for (const name of names) await s3.send(new CreateBucketCommand({ Bucket: name }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListBucketsCommand({ MaxBuckets: 2, Prefix: "pg-", ContinuationToken: token }),
      );
      seen.push(...(page.Buckets ?? []).map((b) => b.Name ?? ""));
      assert.equal(page.Prefix, "pg-");
      token = page.ContinuationToken;
      pages++;
    } while (token);
    assert.deepEqual(seen, names.slice(0, 4));
    assert.equal(pages, 2);
    const all = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(
      all.Buckets?.map((b) => b.Name),
      names,
    );
    assert.equal(all.ContinuationToken, undefined);
  });

  it("serves virtual-hosted requests ({bucket}.s3.localhost)", async () => {
    const name = bucketName("vhost");
    const client = virtualHostedClient(stratus);
    try {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      const head = await client.send(new HeadBucketCommand({ Bucket: name }));
      assert.equal(head.BucketRegion, "us-east-1");
      const location = await client.send(new GetBucketLocationCommand({ Bucket: name }));
      assert.equal(location.LocationConstraint, undefined);
      await client.send(new DeleteBucketCommand({ Bucket: name }));
    } finally {
      client.destroy();
    }
  });

  it("answers a malformed CreateBucketConfiguration with MalformedXML", async () => {
    const response = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucketName("badxml")}`,
      body: "<CreateBucketConfiguration><LocationConstraint>eu-west-1</Location",
      service: "s3",
    });
    assert.equal(response.status, 400);
    assert.match(
      response.text,
      /<Code>MalformedXML<\/Code><Message>The XML you provided was not well-formed or did not validate against our published schema<\/Message>/,
    );
  });
});
