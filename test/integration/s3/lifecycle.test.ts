/** Lifecycle configuration and expiration, on a manual clock the background sweep reads. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ManualClock } from "../../../src/aws/clock.ts";
import { useStratus } from "../../support/stratus.ts";
import { makeZip, ROLE, uniqueName } from "../lambda/helpers.ts";
import { bucketName, sdkError } from "./helpers.ts";

const DAY = 24 * 3600 * 1000;

describe("S3 lifecycle", () => {
  const clock = new ManualClock(Date.UTC(2025, 0, 10, 12, 0, 0));
  const stratus = useStratus({ inMemory: true, clock });

  /**
   * A client whose signatures carry Stratus's (manual) time, so they are not refused as skewed. A new
   * client per request: the SDK resets its clock offset from each answer's (wall-clock) Date header.
   */
  function s3(): { send: S3Client["send"] } {
    return {
      send: ((command: Parameters<S3Client["send"]>[0]) => {
        const client = new S3Client({
          ...stratus.clientConfig(),
          forcePathStyle: true,
          systemClockOffset: clock.now().getTime() - Date.now(),
        });
        return client.send(command).finally(() => client.destroy());
      }) as S3Client["send"],
    };
  }

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  it("stores, answers and deletes a configuration, and validates it as S3 does", async () => {
    const client = s3();
    const Bucket = bucketName("lcfg");
    await client.send(new CreateBucketCommand({ Bucket }));
    const none = await sdkError(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })));
    assert.equal(none.name, "NoSuchLifecycleConfiguration");
    assert.equal(none.$metadata.httpStatusCode, 404);
    const zero = await sdkError(
      client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: {
            Rules: [{ ID: "r", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 0 } }],
          },
        }),
      ),
    );
    assert.equal(zero.name, "InvalidArgument");
    assert.equal(zero.message, "'Days' for Expiration action must be a positive integer");
    const duplicate = await sdkError(
      client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: {
            Rules: [
              { ID: "same", Status: "Enabled", Filter: { Prefix: "a" }, Expiration: { Days: 1 } },
              { ID: "same", Status: "Enabled", Filter: { Prefix: "b" }, Expiration: { Days: 1 } },
            ],
          },
        }),
      ),
    );
    assert.equal(duplicate.name, "InvalidArgument");
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: "tmp",
              Status: "Enabled",
              Filter: { And: { Prefix: "tmp/", Tags: [{ Key: "t", Value: "1" }] } },
              Expiration: { Days: 7 },
              NoncurrentVersionExpiration: { NoncurrentDays: 3 },
            },
            {
              ID: "uploads",
              Status: "Disabled",
              Filter: { Prefix: "" },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
            },
          ],
        },
      }),
    );
    const got = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    assert.equal(got.Rules?.length, 2);
    assert.equal(got.Rules?.[0]?.ID, "tmp");
    assert.equal(got.Rules?.[0]?.Expiration?.Days, 7);
    assert.equal(got.Rules?.[0]?.Filter?.And?.Prefix, "tmp/");
    assert.deepEqual(got.Rules?.[0]?.Filter?.And?.Tags, [{ Key: "t", Value: "1" }]);
    assert.equal(got.Rules?.[0]?.NoncurrentVersionExpiration?.NoncurrentDays, 3);
    assert.equal(got.Rules?.[1]?.Status, "Disabled");
    assert.equal(got.Rules?.[1]?.AbortIncompleteMultipartUpload?.DaysAfterInitiation, 2);
    await client.send(new DeleteBucketLifecycleCommand({ Bucket }));
    const deleted = await sdkError(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })));
    assert.equal(deleted.name, "NoSuchLifecycleConfiguration");
  });

  it("expires matching objects once their day comes, and says when on HEAD", async () => {
    const client = s3();
    const Bucket = bucketName("lexp");
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: "tmp-rule", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 1 } }],
        },
      }),
    );
    await client.send(new PutObjectCommand({ Bucket, Key: "tmp/a", Body: "a" }));
    await client.send(new PutObjectCommand({ Bucket, Key: "keep/b", Body: "b" }));
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: "tmp/a" }));
    // Created 2025-01-10 12:00 + 1 day, rounded up to midnight UTC.
    assert.equal(head.Expiration, 'expiry-date="Sun, 12 Jan 2025 00:00:00 GMT", rule-id="tmp-rule"');
    assert.equal((await client.send(new HeadObjectCommand({ Bucket, Key: "keep/b" }))).Expiration, undefined);

    clock.advance(2 * DAY);
    const later = s3();
    await waitFor(async () => {
      const listed = await later.send(new ListObjectsV2Command({ Bucket }));
      return listed.Contents?.map((c) => c.Key).join(",") === "keep/b";
    }, "tmp/a to expire");
  });

  it("adds a delete marker in versioned buckets and removes old noncurrent versions", async () => {
    const client = s3();
    const Bucket = bucketName("lver");
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "1" }));
    const second = await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "2" }));
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: "all",
              Status: "Enabled",
              Filter: {},
              Expiration: { Days: 1 },
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            },
          ],
        },
      }),
    );
    clock.advance(2 * DAY);
    const later = s3();
    await waitFor(async () => {
      const versions = await later.send(new ListObjectVersionsCommand({ Bucket }));
      return versions.DeleteMarkers?.length === 1 && versions.Versions?.length === 1;
    }, "the marker and the first version's removal");
    const versions = await later.send(new ListObjectVersionsCommand({ Bucket }));
    // The older version went; the expired current one is kept behind the new marker.
    assert.equal(versions.Versions?.[0]?.VersionId, second.VersionId);
    assert.equal(versions.Versions?.[0]?.IsLatest, false);
    assert.equal(versions.DeleteMarkers?.[0]?.IsLatest, true);
  });
});

describe("S3 lifecycle events and delete-marker cleanup", () => {
  const clock = new ManualClock(Date.UTC(2025, 2, 1, 8, 0, 0));
  const stratus = useStratus({ inMemory: true, clock });
  const offset = () => clock.now().getTime() - Date.now();

  function send<T>(make: () => { send(command: never): Promise<T>; destroy(): void }, command: unknown) {
    const client = make();
    return client.send(command as never).finally(() => client.destroy());
  }
  const s3 = <T>(command: unknown) =>
    send<T>(
      () =>
        new S3Client({
          ...stratus.clientConfig(),
          forcePathStyle: true,
          systemClockOffset: offset(),
        }) as never,
      command,
    );
  const lambda = <T>(command: unknown) =>
    send<T>(
      () => new LambdaClient({ ...stratus.clientConfig(), systemClockOffset: offset() }) as never,
      command,
    );

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  it("sends LifecycleExpiration events, and removes a lone delete marker", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stratus-s3-lifecycle-events-"));
    const out = join(dir, "events.jsonl");
    try {
      const created = await lambda<{ FunctionArn?: string }>(
        new CreateFunctionCommand({
          FunctionName: uniqueName("s3-lifecycle-recorder"),
          Runtime: "nodejs20.x",
          Role: ROLE,
          Handler: "index.handler",
          Code: {
            ZipFile: makeZip({
              "index.js":
                'const fs = require("node:fs");\nexports.handler = async (e) => { fs.appendFileSync(process.env.OUT, JSON.stringify(e) + "\\n"); };\n',
            }),
          },
          Environment: { Variables: { OUT: out } },
        }),
      );
      const Bucket = bucketName("levents");
      await s3(new CreateBucketCommand({ Bucket }));
      await s3(
        new PutBucketNotificationConfigurationCommand({
          Bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              { Id: "expiry", LambdaFunctionArn: created.FunctionArn, Events: ["s3:LifecycleExpiration:*"] },
            ],
          },
        }),
      );
      await s3(new PutObjectCommand({ Bucket, Key: "old", Body: "x" }));
      await s3(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: {
            Rules: [
              { ID: "expire", Status: "Enabled", Filter: { Prefix: "old" }, Expiration: { Days: 1 } },
              {
                ID: "markers",
                Status: "Enabled",
                Filter: { Prefix: "gone" },
                Expiration: { ExpiredObjectDeleteMarker: true },
              },
            ],
          },
        }),
      );
      clock.advance(3 * DAY);
      let event:
        | {
            Records: {
              eventName: string;
              userIdentity: { principalId: string };
              s3: { object: { key: string } };
            }[];
          }
        | undefined;
      await waitFor(async () => {
        const text = await readFile(out, "utf8").catch(() => "");
        const line = text.split("\n").find(Boolean);
        if (line) event = JSON.parse(line);
        return event !== undefined;
      }, "the LifecycleExpiration event");
      assert.equal(event?.Records[0]?.eventName, "LifecycleExpiration:Delete");
      assert.equal(event?.Records[0]?.userIdentity.principalId, "s3.amazonaws.com");
      assert.equal(event?.Records[0]?.s3.object.key, "old");

      // A delete marker with nothing behind it goes under ExpiredObjectDeleteMarker.
      await s3(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
      await s3(new DeleteObjectCommand({ Bucket, Key: "gone" }));
      await waitFor(async () => {
        const versions = await s3<{ DeleteMarkers?: unknown[] }>(new ListObjectVersionsCommand({ Bucket }));
        return versions.DeleteMarkers === undefined;
      }, "the lone delete marker to go");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
