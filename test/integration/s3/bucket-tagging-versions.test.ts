import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

describe("S3 bucket tagging, versioning state and object versions", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("bucket-extras");
  before(async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ["a.txt", "dir/b.txt", "dir/c.txt", "e.txt"]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
  });

  it("answers NoSuchTagSet for an untagged bucket, then stores, replaces and deletes bucket tags", async () => {
    const s3 = stratus.s3();
    const none = await sdkError(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })));
    assert.equal(none.name, "NoSuchTagSet");
    assert.equal(none.$metadata.httpStatusCode, 404);
    assert.equal(none.message, "The TagSet does not exist");
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: {
          TagSet: [
            { Key: "stack", Value: "demo" },
            { Key: "owner", Value: "team" },
          ],
        },
      }),
    );
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    assert.deepEqual(
      tags.TagSet?.map((t) => [t.Key, t.Value]),
      [
        ["stack", "demo"],
        ["owner", "team"],
      ],
    );
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    const gone = await sdkError(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })));
    assert.equal(gone.name, "NoSuchTagSet");
  });

  it("reports a never-versioned bucket (enabling it: versioning.test.ts)", async () => {
    const s3 = stratus.s3();
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    assert.equal(versioning.Status, undefined);
    assert.equal(versioning.$metadata.httpStatusCode, 200);
  });

  it("lists each object once as its null, latest version, with pages and common prefixes", async () => {
    const s3 = stratus.s3();
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    assert.deepEqual(
      all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]),
      [
        ["a.txt", "null", true],
        ["dir/b.txt", "null", true],
        ["dir/c.txt", "null", true],
        ["e.txt", "null", true],
      ],
    );
    assert.equal(all.DeleteMarkers, undefined);
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 2 }));
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextKeyMarker, "dir/b.txt");
    assert.equal(first.NextVersionIdMarker, "null");
    const second = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        KeyMarker: first.NextKeyMarker,
        VersionIdMarker: first.NextVersionIdMarker,
      }),
    );
    assert.deepEqual(
      second.Versions?.map((v) => v.Key),
      ["dir/c.txt", "e.txt"],
    );
    const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: "/" }));
    assert.deepEqual(
      rolled.CommonPrefixes?.map((p) => p.Prefix),
      ["dir/"],
    );
    assert.deepEqual(
      rolled.Versions?.map((v) => v.Key),
      ["a.txt", "e.txt"],
    );
  });
});
