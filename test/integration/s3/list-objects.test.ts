import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError, virtualHostedClient } from "./helpers.ts";

/** In S3's listing order (UTF-8 bytes): upper case before lower case, "é" (0xC3…) after ASCII. */
const KEYS = [
  "Zeta.txt",
  "a.txt",
  "b/1.txt",
  "b/2.txt",
  "b/c/3.txt",
  "b/c/4.txt",
  "d/5.txt",
  "e.txt",
  "f/",
  "f/6.txt",
  "space key.txt",
  "é.txt",
];

describe("S3 ListObjectsV2 and ListObjects", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("list");
  before(async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Written out of order: the listing's order is the store's.
    for (const key of [...KEYS].reverse())
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  });

  it("lists every key in UTF-8 byte order with sizes, ETags and storage class", async () => {
    const list = await stratus.s3().send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      list.Contents?.map((o) => o.Key),
      KEYS,
    );
    assert.equal(list.KeyCount, KEYS.length);
    assert.equal(list.IsTruncated, false);
    assert.equal(list.MaxKeys, 1000);
    const first = list.Contents?.[0];
    assert.equal(first?.Size, Buffer.byteLength("Zeta.txt"));
    assert.match(first?.ETag ?? "", /^"[0-9a-f]{32}"$/);
    assert.equal(first?.StorageClass, "STANDARD");
    assert.ok(first?.LastModified instanceof Date);
    assert.equal(first?.Owner, undefined, "V2 names owners only with fetch-owner");
    const owned = await stratus
      .s3()
      .send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 1 }));
    assert.match(owned.Contents?.[0]?.Owner?.ID ?? "", /^[0-9a-f]{64}$/);
  });

  it("rolls keys up into CommonPrefixes with a delimiter, within a prefix", async () => {
    const s3 = stratus.s3();
    const top = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/" }));
    assert.deepEqual(
      top.Contents?.map((o) => o.Key),
      ["Zeta.txt", "a.txt", "e.txt", "space key.txt", "é.txt"],
    );
    assert.deepEqual(
      top.CommonPrefixes?.map((p) => p.Prefix),
      ["b/", "d/", "f/"],
    );
    assert.equal(top.KeyCount, 8);
    assert.equal(top.Delimiter, "/");
    const inB = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "b/", Delimiter: "/" }));
    assert.deepEqual(
      inB.Contents?.map((o) => o.Key),
      ["b/1.txt", "b/2.txt"],
    );
    assert.deepEqual(
      inB.CommonPrefixes?.map((p) => p.Prefix),
      ["b/c/"],
    );
    const inF = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "f/", Delimiter: "/" }));
    assert.deepEqual(
      inF.Contents?.map((o) => o.Key),
      ["f/", "f/6.txt"],
    );
  });

  it("pages with max-keys and continuation tokens, counting common prefixes as keys", async () => {
    const s3 = stratus.s3();
    const keys: string[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let page: ListObjectsV2CommandOutput;
    do {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/", MaxKeys: 2, ContinuationToken: token }),
      );
      assert.ok((page.KeyCount ?? 0) <= 2);
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""));
      if (page.IsTruncated) assert.ok(page.NextContinuationToken);
      if (token !== undefined) assert.equal(page.ContinuationToken, token);
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    assert.deepEqual(keys, ["Zeta.txt", "a.txt", "e.txt", "space key.txt", "é.txt"]);
    assert.deepEqual(prefixes, ["b/", "d/", "f/"]);
    assert.equal(pages, 4);
  });

  it("starts after StartAfter", async () => {
    const list = await stratus
      .s3()
      .send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: "b/c/3.txt" }));
    assert.equal(list.StartAfter, "b/c/3.txt");
    assert.deepEqual(
      list.Contents?.map((o) => o.Key),
      KEYS.slice(KEYS.indexOf("b/c/4.txt")),
    );
  });

  it("URL-encodes names with encoding-type=url", async () => {
    const response = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}`,
      query: { "list-type": "2", "encoding-type": "url", prefix: "space" },
      service: "s3",
    });
    assert.equal(response.status, 200);
    assert.match(response.text, /<Key>space\+key\.txt<\/Key>/);
    assert.match(response.text, /<EncodingType>url<\/EncodingType>/);
    const accents = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}`,
      query: { "list-type": "2", "encoding-type": "url", prefix: "é" },
      service: "s3",
    });
    assert.match(accents.text, /<Key>%C3%A9\.txt<\/Key>/);
  });

  it("refuses bad parameters with InvalidArgument", async () => {
    const maxKeys = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}`,
      query: { "list-type": "2", "max-keys": "ten" },
      service: "s3",
    });
    assert.equal(maxKeys.status, 400);
    assert.match(
      maxKeys.text,
      /<Code>InvalidArgument<\/Code><Message>Provided max-keys not an integer or within integer range<\/Message><ArgumentName>max-keys<\/ArgumentName><ArgumentValue>ten<\/ArgumentValue>/,
    );
    const token = await sdkError(
      stratus.s3().send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: "bm9wZQ==" })),
    );
    assert.equal(token.name, "InvalidArgument");
    assert.equal(token.message, "The continuation token provided is incorrect");
    const encoding = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}`,
      query: { "list-type": "2", "encoding-type": "base64" },
      service: "s3",
    });
    assert.equal(encoding.status, 400);
    assert.match(encoding.text, /<Message>Invalid Encoding Method specified in Request<\/Message>/);
  });

  it("ListObjects v1: Marker, Owner always, NextMarker only with a delimiter", async () => {
    const s3 = stratus.s3();
    const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3 }));
    assert.deepEqual(
      first.Contents?.map((o) => o.Key),
      KEYS.slice(0, 3),
    );
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, undefined, "no NextMarker without a delimiter");
    assert.match(first.Contents?.[0]?.Owner?.ID ?? "", /^[0-9a-f]{64}$/);
    const second = await s3.send(
      new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3, Marker: first.Contents?.at(-1)?.Key }),
    );
    assert.deepEqual(
      second.Contents?.map((o) => o.Key),
      KEYS.slice(3, 6),
    );
    assert.equal(second.Marker, "b/1.txt");
    const keys: string[] = [];
    const prefixes: string[] = [];
    let marker: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await s3.send(
        new ListObjectsCommand({ Bucket: bucket, Delimiter: "/", MaxKeys: 2, Marker: marker }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""));
      if (!page.IsTruncated) break;
      assert.ok(page.NextMarker, "NextMarker with a delimiter");
      marker = page.NextMarker;
    }
    assert.deepEqual(keys, ["Zeta.txt", "a.txt", "e.txt", "space key.txt", "é.txt"]);
    assert.deepEqual(prefixes, ["b/", "d/", "f/"]);
  });

  it("lists virtual-hosted style, and an empty bucket as empty", async () => {
    const client = virtualHostedClient(stratus);
    try {
      const list = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "b/c/" }));
      assert.deepEqual(
        list.Contents?.map((o) => o.Key),
        ["b/c/3.txt", "b/c/4.txt"],
      );
      const empty = bucketName("empty");
      await client.send(new CreateBucketCommand({ Bucket: empty }));
      const none = await client.send(new ListObjectsV2Command({ Bucket: empty }));
      assert.equal(none.KeyCount, 0);
      assert.equal(none.Contents, undefined);
    } finally {
      client.destroy();
    }
  });
});

describe("S3 listings: oversized positions", () => {
  const stratus = useStratus({ inMemory: true });

  it("treat prefixes and positions longer than any key sanely, never as a server error", async () => {
    const s3 = stratus.s3();
    const bucket = bucketName("long");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = "k".repeat(1024);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "z", Body: "x" }));
    const long = "k".repeat(3000);
    const byPrefix = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: long }));
    assert.equal(byPrefix.KeyCount, 0);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: long }));
    assert.deepEqual(
      after.Contents?.map((o) => o.Key),
      ["z"],
    );
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: long }));
    assert.deepEqual(
      v1.Contents?.map((o) => o.Key),
      ["z"],
    );
    const token = Buffer.from(`k:${long}`).toString("base64");
    const byToken = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    assert.deepEqual(
      byToken.Contents?.map((o) => o.Key),
      ["z"],
    );
    const upload = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}/z`,
      query: { uploadId: "u".repeat(5000) },
      service: "s3",
    });
    assert.equal(upload.status, 404);
    assert.match(upload.text, /<Code>NoSuchUpload<\/Code>/);
    const uploads = await rawRequest(stratus.url, {
      method: "GET",
      path: `/${bucket}`,
      query: { uploads: "", "key-marker": long, "upload-id-marker": "u".repeat(5000) },
      service: "s3",
    });
    assert.equal(uploads.status, 200, uploads.text);
  });
});
