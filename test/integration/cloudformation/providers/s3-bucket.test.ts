/**
 * AWS::S3::Bucket and AWS::S3::BucketPolicy providers against a running Stratus: a bucket with
 * versioning, CORS, a website, a Lambda notification, lifecycle rules and tags, updated and deleted
 * (also when not empty), names generated as CloudFormation makes them, and the errors AWS gives —
 * checked through the S3 SDK client.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { createProviderContext } from "../../../../src/services/cloudformation/engine/provider-context.ts";
import { providerFor } from "../../../../src/services/cloudformation/providers/index.ts";
import type {
  CurrentResource,
  ProvisionedResource,
  ResourceProvider,
} from "../../../../src/services/cloudformation/providers/types.ts";
import { providerContextFor, TEST_ACCOUNT } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction } from "../../lambda/helpers.ts";

const BUCKET = "AWS::S3::Bucket";
const POLICY = "AWS::S3::BucketPolicy";

function provider(type: string): ResourceProvider {
  const found = providerFor(type);
  assert.ok(found, `${type} is registered`);
  return found;
}

function current(resource: ProvisionedResource, properties: Record<string, unknown>): CurrentResource {
  return { ...resource, properties };
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  assert.fail("expected a failure");
}

describe("AWS::S3::Bucket provider", () => {
  const stratus = useStratus();

  it("creates a configured bucket, updates only what changed, deletes it (refused while not empty)", async () => {
    const functionName = await createTestFunction(stratus.lambda(), { prefix: "cfn-s3" });
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
    const context = providerContextFor(stratus, BUCKET, "Site");
    const properties = {
      BucketName: "cfn-site-bucket",
      VersioningConfiguration: { Status: "Enabled" },
      CorsConfiguration: {
        CorsRules: [
          {
            Id: "web",
            AllowedHeaders: ["*"],
            AllowedMethods: ["GET", "PUT"],
            AllowedOrigins: ["https://example.com"],
            ExposedHeaders: ["ETag"],
            MaxAge: "3000",
          },
        ],
      },
      WebsiteConfiguration: {
        IndexDocument: "index.html",
        ErrorDocument: "error.html",
        RoutingRules: [
          {
            RoutingRuleCondition: { KeyPrefixEquals: "docs/" },
            RedirectRule: { ReplaceKeyPrefixWith: "documents/" },
          },
        ],
      },
      NotificationConfiguration: {
        LambdaConfigurations: [
          {
            Event: "s3:ObjectCreated:*",
            Function: functionArn,
            Filter: { S3Key: { Rules: [{ Name: "suffix", Value: ".jpg" }] } },
          },
        ],
      },
      LifecycleConfiguration: {
        Rules: [
          { Id: "expire-logs", Status: "Enabled", Prefix: "logs/", ExpirationInDays: 30 },
          {
            Id: "old-versions",
            Status: "Enabled",
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
          },
        ],
      },
      Tags: [{ Key: "env", Value: "dev" }],
    };
    const created = await provider(BUCKET).create(context, properties);
    assert.equal(created.physicalId, "cfn-site-bucket");
    assert.deepEqual(created.attributes, {
      Arn: "arn:aws:s3:::cfn-site-bucket",
      DomainName: "cfn-site-bucket.s3.amazonaws.com",
      RegionalDomainName: "cfn-site-bucket.s3.us-east-1.amazonaws.com",
      DualStackDomainName: "cfn-site-bucket.s3.dualstack.us-east-1.amazonaws.com",
      WebsiteURL: "http://cfn-site-bucket.s3-website-us-east-1.amazonaws.com",
    });

    const s3 = stratus.s3();
    const Bucket = "cfn-site-bucket";
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Enabled");
    const cors = await s3.send(new GetBucketCorsCommand({ Bucket }));
    assert.deepEqual(cors.CORSRules, [
      {
        ID: "web",
        AllowedHeaders: ["*"],
        AllowedMethods: ["GET", "PUT"],
        AllowedOrigins: ["https://example.com"],
        ExposeHeaders: ["ETag"],
        MaxAgeSeconds: 3000,
      },
    ]);
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket }));
    assert.equal(website.IndexDocument?.Suffix, "index.html");
    assert.equal(website.ErrorDocument?.Key, "error.html");
    assert.equal(website.RoutingRules?.[0]?.Condition?.KeyPrefixEquals, "docs/");
    assert.equal(website.RoutingRules?.[0]?.Redirect?.ReplaceKeyPrefixWith, "documents/");
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    const lambda = notification.LambdaFunctionConfigurations?.[0];
    assert.equal(notification.LambdaFunctionConfigurations?.length, 1);
    assert.equal(lambda?.LambdaFunctionArn, functionArn);
    assert.deepEqual(lambda?.Events, ["s3:ObjectCreated:*"]);
    assert.deepEqual(lambda?.Filter?.Key?.FilterRules, [{ Name: "Suffix", Value: ".jpg" }]);
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    assert.deepEqual(
      lifecycle.Rules?.map((rule) => [rule.ID, rule.Filter?.Prefix, rule.Expiration?.Days]),
      [
        ["expire-logs", "logs/", 30],
        ["old-versions", "", undefined],
      ],
    );
    assert.equal(lifecycle.Rules?.[1]?.NoncurrentVersionExpiration?.NoncurrentDays, 7);
    assert.equal(lifecycle.Rules?.[1]?.AbortIncompleteMultipartUpload?.DaysAfterInitiation, 2);
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [
      { Key: "env", Value: "dev" },
    ]);

    // Update: CORS changed, website and notifications and lifecycle removed, versioning suspended.
    const changed = {
      BucketName: "cfn-site-bucket",
      VersioningConfiguration: { Status: "Suspended" },
      CorsConfiguration: { CorsRules: [{ AllowedMethods: ["HEAD"], AllowedOrigins: ["*"] }] },
      Tags: [{ Key: "env", Value: "prod" }],
    };
    const updated = await provider(BUCKET).update!(context, current(created, properties), changed);
    assert.deepEqual(updated, created);
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Suspended");
    assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules, [
      { AllowedMethods: ["HEAD"], AllowedOrigins: ["*"] },
    ]);
    assert.equal(
      (await errorOf(s3.send(new GetBucketWebsiteCommand({ Bucket })))).name,
      "NoSuchWebsiteConfiguration",
    );
    assert.equal(
      (await errorOf(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).name,
      "NoSuchLifecycleConfiguration",
    );
    const none = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(none.LambdaFunctionConfigurations, undefined);
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [
      { Key: "env", Value: "prod" },
    ]);

    // A bucket holding an object is not deleted: S3's BucketNotEmpty, as CloudFormation reports it.
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "a.txt", Body: "x" }));
    await assert.rejects(provider(BUCKET).delete(context, current(updated, changed)), {
      code: "BucketNotEmpty",
      message: "The bucket you tried to delete is not empty",
    });
    // Versioning was on: the object version and the null version must both go.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "a.txt", VersionId: put.VersionId ?? "null" }));
    await provider(BUCKET).delete(context, current(updated, changed));
    assert.equal((await errorOf(s3.send(new HeadBucketCommand({ Bucket })))).name, "NotFound");
    // Deleting again succeeds (a retried delete, a rollback).
    await provider(BUCKET).delete(context, current(updated, changed));
  });

  it("generates a lowercase name of at most 63 characters from the stack and logical id", async () => {
    const stackName = "A-Very-Long-Stack-Name-That-Goes-On-And-On-And-On-Forever";
    const context = providerContextFor(stratus, BUCKET, "UploadsBucketForImages", stackName);
    const created = await provider(BUCKET).create(context, {});
    assert.ok(created.physicalId.length <= 63, created.physicalId);
    assert.match(created.physicalId, /^a-very-long-stack[a-z0-9-]*-uploads[a-z0-9-]*-[a-z0-9]{13}$/);
    await stratus.s3().send(new HeadBucketCommand({ Bucket: created.physicalId }));
    await provider(BUCKET).delete(context, current(created, {}));
  });

  it("refuses a bucket name that already exists instead of adopting the bucket", async () => {
    const context = providerContextFor(stratus, BUCKET, "Twice");
    const first = await provider(BUCKET).create(context, { BucketName: "cfn-twice" });
    await assert.rejects(provider(BUCKET).create(context, { BucketName: "cfn-twice" }), {
      message: "cfn-twice already exists",
    });
    await provider(BUCKET).delete(context, current(first, {}));
  });

  it("applies AccessControl with OwnershipControls and PublicAccessBlockConfiguration", async () => {
    const context = providerContextFor(stratus, BUCKET, "Public");
    const properties = {
      BucketName: "cfn-public",
      AccessControl: "PublicRead",
      OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: "false",
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    };
    const created = await provider(BUCKET).create(context, properties);
    const s3 = stratus.s3();
    const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: "cfn-public" }));
    assert.equal(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership, "ObjectWriter");
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: "cfn-public" }));
    assert.ok(
      acl.Grants?.some(
        (grant) =>
          grant.Grantee?.URI === "http://acs.amazonaws.com/groups/global/AllUsers" &&
          grant.Permission === "READ",
      ),
      JSON.stringify(acl.Grants),
    );
    // Removing AccessControl makes the bucket private again.
    const { AccessControl: _removed, ...privateProperties } = properties;
    await provider(BUCKET).update!(context, current(created, properties), privateProperties);
    const after = await s3.send(new GetBucketAclCommand({ Bucket: "cfn-public" }));
    assert.ok(!after.Grants?.some((grant) => grant.Grantee?.URI?.endsWith("AllUsers")));
    await provider(BUCKET).delete(context, current(created, privateProperties));
  });

  it("passes S3's errors through and leaves no bucket behind when a setting fails", async () => {
    const context = providerContextFor(stratus, BUCKET, "Broken");
    await assert.rejects(
      provider(BUCKET).create(context, { BucketName: "cfn-acl-refused", AccessControl: "PublicRead" }),
      { code: "InvalidBucketAclWithObjectOwnership" },
    );
    await assert.rejects(
      provider(BUCKET).create(context, {
        BucketName: "cfn-bad-cors",
        CorsConfiguration: { CorsRules: [{ AllowedMethods: ["PATCH"], AllowedOrigins: ["*"] }] },
      }),
      { code: "InvalidRequest" },
    );
    assert.equal(
      (await errorOf(stratus.s3().send(new HeadBucketCommand({ Bucket: "cfn-bad-cors" })))).name,
      "NotFound",
    );
    await assert.rejects(
      provider(BUCKET).create(context, {
        BucketName: "cfn-queue",
        NotificationConfiguration: {
          QueueConfigurations: [
            { Event: "s3:ObjectCreated:*", Queue: "arn:aws:sqs:us-east-1:000000000000:q" },
          ],
        },
      }),
      /NotificationConfiguration.QueueConfigurations of AWS::S3::Bucket is not supported by Stratus/,
    );
    await assert.rejects(
      provider(BUCKET).create(context, { LoggingConfiguration: { DestinationBucketName: "logs" } }),
      /Property LoggingConfiguration of AWS::S3::Bucket is not supported by Stratus/,
    );
  });

  it("creates the bucket in the stack's Region, with that Region's attribute formats", async () => {
    const region = "eu-west-2";
    const context = createProviderContext({
      call: stratus.server.services.callerFor({ accountId: TEST_ACCOUNT, region, accessKeyId: "test" }),
      storage: stratus.server.storage,
      clock: { now: () => new Date() },
      accountId: TEST_ACCOUNT,
      region,
      stackName: "london",
      stackId: `arn:aws:cloudformation:${region}:${TEST_ACCOUNT}:stack/london/1`,
      logicalId: "Assets",
      type: BUCKET,
    });
    const properties = {
      BucketName: "cfn-london-assets",
      LifecycleConfiguration: {
        Rules: [
          {
            Id: "tagged",
            Status: "Disabled",
            Prefix: "tmp/",
            TagFilters: [{ Key: "kind", Value: "scratch" }],
            ExpirationDate: "2030-01-01T00:00:00.000Z",
          },
        ],
      },
    };
    const created = await provider(BUCKET).create(context, properties);
    assert.equal(created.attributes.RegionalDomainName, "cfn-london-assets.s3.eu-west-2.amazonaws.com");
    assert.equal(
      created.attributes.WebsiteURL,
      "http://cfn-london-assets.s3-website.eu-west-2.amazonaws.com",
    );
    const s3 = stratus.s3();
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: "cfn-london-assets" }));
    assert.equal(location.LocationConstraint, region);
    const london = new S3Client({ ...stratus.clientConfig(), region, forcePathStyle: true });
    try {
      const lifecycle = await london.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: "cfn-london-assets" }),
      );
      const rule = lifecycle.Rules?.[0];
      assert.equal(rule?.Status, "Disabled");
      assert.deepEqual(rule?.Filter?.And, { Prefix: "tmp/", Tags: [{ Key: "kind", Value: "scratch" }] });
      assert.equal(rule?.Expiration?.Date?.toISOString(), "2030-01-01T00:00:00.000Z");
    } finally {
      london.destroy();
    }
    await provider(BUCKET).delete(context, current(created, properties));
  });

  it("replaces on the bucket name only", () => {
    assert.ok(provider(BUCKET).replaceOn?.includes("BucketName"));
    assert.ok(!provider(BUCKET).replaceOn?.includes("VersioningConfiguration"));
    assert.deepEqual(provider(POLICY).replaceOn, ["Bucket"]);
  });
});

describe("AWS::S3::BucketPolicy provider", () => {
  const stratus = useStratus();

  it("puts the policy document as JSON, replaces it on update, removes it on delete", async () => {
    const bucketContext = providerContextFor(stratus, BUCKET, "Data");
    const bucket = await provider(BUCKET).create(bucketContext, { BucketName: "cfn-policy-bucket" });
    const context = providerContextFor(stratus, POLICY, "DataPolicy");
    const statement = (action: string) => ({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::000000000000:root" },
      Action: action,
      Resource: "arn:aws:s3:::cfn-policy-bucket/*",
    });
    const properties = {
      Bucket: "cfn-policy-bucket",
      PolicyDocument: { Version: "2012-10-17", Statement: [statement("s3:GetObject")] },
    };
    const created = await provider(POLICY).create(context, properties);
    assert.equal(created.physicalId, "cfn-policy-bucket");
    const s3 = stratus.s3();
    const read = async () =>
      JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: "cfn-policy-bucket" }))).Policy ?? "{}");
    assert.deepEqual(await read(), properties.PolicyDocument);

    const changed = {
      ...properties,
      PolicyDocument: { Version: "2012-10-17", Statement: [statement("s3:PutObject")] },
    };
    await provider(POLICY).update!(context, current(created, properties), changed);
    assert.deepEqual(await read(), changed.PolicyDocument);

    await provider(POLICY).delete(context, current(created, changed));
    assert.equal(
      (await errorOf(s3.send(new GetBucketPolicyCommand({ Bucket: "cfn-policy-bucket" })))).name,
      "NoSuchBucketPolicy",
    );
    await provider(BUCKET).delete(bucketContext, current(bucket, {}));
    // The bucket is gone with its policy: deleting the policy again still succeeds.
    await provider(POLICY).delete(context, current(created, changed));
  });
});
