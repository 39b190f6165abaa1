/** Versioning: version ids, delete markers, reads and deletes by version, ListObjectVersions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

describe("S3 versioning", () => {
  const stratus = useStratus({ inMemory: true });

  async function versionedBucket(label: string, status: "Enabled" | "Suspended" = "Enabled") {
    const s3 = stratus.s3();
    const Bucket = bucketName(label);
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: status } }));
    return { s3, Bucket };
  }

  it("reports the status once set, and nothing before", async () => {
    const s3 = stratus.s3();
    const Bucket = bucketName("vstatus");
    await s3.send(new CreateBucketCommand({ Bucket }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined);
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Enabled");
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }),
    );
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Suspended");
    const mfa = await sdkError(
      s3.send(
        new PutBucketVersioningCommand({
          Bucket,
          VersioningConfiguration: { Status: "Enabled", MFADelete: "Enabled" },
        }),
      ),
    );
    assert.equal(mfa.$metadata.httpStatusCode, 501);
  });

  it("keeps every version and reads each by id", async () => {
    const { s3, Bucket } = await versionedBucket("vkeep");
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "one" }));
    const second = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "two" }));
    assert.ok(first.VersionId && second.VersionId && first.VersionId !== second.VersionId);
    const latest = await s3.send(new GetObjectCommand({ Bucket, Key: "k" }));
    assert.equal(await latest.Body?.transformToString(), "two");
    assert.equal(latest.VersionId, second.VersionId);
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: first.VersionId }));
    assert.equal(await old.Body?.transformToString(), "one");
    const missing = await sdkError(
      s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: "A".repeat(32) })),
    );
    assert.equal(missing.name, "NoSuchVersion");
    assert.equal(missing.$metadata.httpStatusCode, 404);
    const invalid = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: "bad" })));
    assert.equal(invalid.name, "InvalidArgument");
  });

  it("hides a key behind a delete marker, and restores it when the marker is deleted", async () => {
    const { s3, Bucket } = await versionedBucket("vmarker");
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "doc", Body: "body" }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: "doc" }));
    assert.equal(deleted.DeleteMarker, true);
    assert.ok(deleted.VersionId);
    const gone = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: "doc" })));
    assert.equal(gone.name, "NoSuchKey");
    assert.equal(gone.$response?.headers["x-amz-delete-marker"], "true");
    const byId = await sdkError(
      s3.send(new GetObjectCommand({ Bucket, Key: "doc", VersionId: deleted.VersionId })),
    );
    assert.equal(byId.$metadata.httpStatusCode, 405);
    assert.equal(byId.name, "MethodNotAllowed");
    const head = await sdkError(s3.send(new HeadObjectCommand({ Bucket, Key: "doc" })));
    assert.equal(head.$metadata.httpStatusCode, 404);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
    assert.equal(listed.KeyCount, 0);
    // Copying the old version by id is allowed while the marker hides the key.
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket, Key: "copy", CopySource: `${Bucket}/doc?versionId=${put.VersionId}` }),
    );
    assert.equal(copied.CopySourceVersionId, put.VersionId);
    const removed = await s3.send(
      new DeleteObjectCommand({ Bucket, Key: "doc", VersionId: deleted.VersionId }),
    );
    assert.equal(removed.DeleteMarker, true);
    assert.equal(removed.VersionId, deleted.VersionId);
    const back = await s3.send(new GetObjectCommand({ Bucket, Key: "doc" }));
    assert.equal(await back.Body?.transformToString(), "body");
  });

  it("lists versions and delete markers latest first, with paging", async () => {
    const { s3, Bucket } = await versionedBucket("vlist");
    const a1 = await s3.send(new PutObjectCommand({ Bucket, Key: "a", Body: "1" }));
    const a2 = await s3.send(new PutObjectCommand({ Bucket, Key: "a", Body: "22" }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: "a" }));
    const b1 = await s3.send(new PutObjectCommand({ Bucket, Key: "dir/b", Body: "333" }));
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(
      all.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]),
      [["a", marker.VersionId, true]],
    );
    assert.deepEqual(
      all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]),
      [
        ["a", a2.VersionId, false, 2],
        ["a", a1.VersionId, false, 1],
        ["dir/b", b1.VersionId, true, 3],
      ],
    );
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }));
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextKeyMarker, "a");
    assert.equal(first.NextVersionIdMarker, a2.VersionId);
    const rest = await s3.send(
      new ListObjectVersionsCommand({
        Bucket,
        KeyMarker: first.NextKeyMarker,
        VersionIdMarker: first.NextVersionIdMarker,
      }),
    );
    assert.deepEqual(
      rest.Versions?.map((v) => v.VersionId),
      [a1.VersionId, b1.VersionId],
    );
    const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: "/" }));
    assert.deepEqual(
      rolled.CommonPrefixes?.map((p) => p.Prefix),
      ["dir/"],
    );
  });

  it("deletes versions in bulk, and refuses to delete a bucket that still has versions", async () => {
    const { s3, Bucket } = await versionedBucket("vbulk");
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: "x", Body: "1" }));
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: "y" }, { Key: "x", VersionId: v1.VersionId }] },
      }),
    );
    const y = result.Deleted?.find((d) => d.Key === "y");
    assert.equal(y?.DeleteMarker, true);
    assert.ok(y?.DeleteMarkerVersionId);
    assert.equal(result.Deleted?.find((d) => d.Key === "x")?.VersionId, v1.VersionId);
    const notEmpty = await sdkError(s3.send(new DeleteBucketCommand({ Bucket })));
    assert.equal(notEmpty.name, "BucketNotEmpty");
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "y", VersionId: y?.DeleteMarkerVersionId }));
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });

  it("writes the null version while suspended, replacing only the earlier null version", async () => {
    const s3 = stratus.s3();
    const Bucket = bucketName("vsusp");
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "pre" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const enabled = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "enabled" }));
    // Enabling keeps the object written before as version "null".
    const kept = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(
      kept.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size]),
      [
        [enabled.VersionId, true, 7],
        ["null", false, 3],
      ],
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }),
    );
    const suspended = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "suspended" }));
    assert.equal(suspended.VersionId, "null");
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    // The unversioned "pre" was the null version: the suspended write replaced it.
    assert.deepEqual(
      versions.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size]),
      [
        ["null", true, 9],
        [enabled.VersionId, false, 7],
      ],
    );
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: "k" }));
    assert.equal(marker.VersionId, "null");
    assert.equal(marker.DeleteMarker, true);
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.equal(after.Versions?.length, 1);
    assert.equal(after.DeleteMarkers?.[0]?.VersionId, "null");
  });
});

describe("S3 versioning of copies, multipart uploads and tags", () => {
  const stratus = useStratus({ inMemory: true });

  it("gives copies and completed uploads version ids, and tags each version apart", async () => {
    const s3 = stratus.s3();
    const Bucket = bucketName("vmore");
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: "src", Body: "1", Tagging: "v=1" }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "src", Body: "2" }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: "dst", CopySource: `${Bucket}/src` }));
    assert.ok(copy.VersionId);
    assert.ok(copy.CopySourceVersionId);
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mp" }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket, Key: "mp", UploadId: upload.UploadId, PartNumber: 1, Body: "part" }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: "mp",
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    assert.ok(done.VersionId);
    const oldTags = await s3.send(
      new GetObjectTaggingCommand({ Bucket, Key: "src", VersionId: first.VersionId }),
    );
    assert.deepEqual(oldTags.TagSet, [{ Key: "v", Value: "1" }]);
    assert.equal(oldTags.VersionId, first.VersionId);
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "src" }))).TagSet, []);
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket,
        Key: "src",
        VersionId: first.VersionId,
        Tagging: { TagSet: [{ Key: "v", Value: "old" }] },
      }),
    );
    const retagged = await s3.send(
      new GetObjectTaggingCommand({ Bucket, Key: "src", VersionId: first.VersionId }),
    );
    assert.deepEqual(retagged.TagSet, [{ Key: "v", Value: "old" }]);
    const body = await s3.send(new GetObjectCommand({ Bucket, Key: "src", VersionId: first.VersionId }));
    assert.equal(await body.Body?.transformToString(), "1");
  });
});
