/**
 * S3 access control: Block Public Access on by default, bucket policies (stored verbatim, checked,
 * refused while public policies are blocked), canned ACLs (refused while ACLs are disabled or public
 * ACLs blocked), and anonymous GET/HEAD of public objects over raw HTTP.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";
import { errorOf, rawRequest } from "./raw-http.ts";

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

function publicReadPolicy(bucket: string, resource = `arn:aws:s3:::${bucket}/*`): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: resource },
    ],
  });
}

describe("S3 access control", () => {
  const stratus = useStratus({ inMemory: true });

  async function newBucket(s3: S3Client, label: string, ownership?: "ObjectWriter" | "BucketOwnerPreferred") {
    const bucket = bucketName(label);
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, ...(ownership ? { ObjectOwnership: ownership } : {}) }),
    );
    return bucket;
  }

  test("a new bucket blocks public access and has only its owner's grant", async () => {
    const s3 = stratus.s3();
    const bucket = await newBucket(s3, "acl-defaults");
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    assert.deepEqual(block.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.match(acl.Owner?.ID ?? "", /^[0-9a-f]{64}$/);
    assert.deepEqual(acl.Grants, [
      { Grantee: { ID: acl.Owner?.ID, Type: "CanonicalUser" }, Permission: "FULL_CONTROL" },
    ]);
    const policy = await sdkError(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    assert.equal(policy.name, "NoSuchBucketPolicy");
    assert.equal(policy.message, "The bucket policy does not exist");

    // ACLs are disabled (BucketOwnerEnforced): only the owner's canned ACLs are taken.
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "private" }));
    const refused = await sdkError(s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "public-read" })));
    assert.equal(refused.name, "AccessControlListNotSupported");
    assert.equal(refused.message, "The bucket does not allow ACLs");
    const put = await sdkError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x", ACL: "public-read" })),
    );
    assert.equal(put.name, "AccessControlListNotSupported");
    const created = await sdkError(
      s3.send(new CreateBucketCommand({ Bucket: bucketName("acl-create"), ACL: "public-read" })),
    );
    assert.equal(created.name, "InvalidBucketAclWithObjectOwnership");
  });

  test("bucket policies: checked, blocked while public policies are, stored verbatim, enforced for anonymous reads", async () => {
    const s3 = stratus.s3();
    const bucket = await newBucket(s3, "policy");
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "public/page.html",
        Body: "<p>hi</p>",
        ContentType: "text/html",
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "secret.txt", Body: "no" }));

    const notJson = await sdkError(
      s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: "not json" })),
    );
    assert.equal(notJson.name, "MalformedPolicy");
    assert.equal(notJson.message, "Policies must be valid JSON and the first byte must be '{'");
    const version = await sdkError(
      s3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: JSON.stringify({ Version: "2020-01-01", Statement: [] }),
        }),
      ),
    );
    assert.equal(version.name, "MalformedPolicy");
    assert.equal(version.message, "The policy must contain a valid version string");
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` };
    const malformed = async (document: unknown) =>
      (
        await sdkError(
          s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(document) })),
        )
      ).message;
    assert.equal(
      await malformed({ Version: "2012-10-17", Statement: [statement] }),
      "Missing required field Principal",
    );
    assert.equal(
      await malformed({
        Version: "2012-10-17",
        Statement: [{ ...statement, Principal: "*", Action: "sqs:SendMessage" }],
      }),
      "Policy has invalid action",
    );
    assert.equal(
      await malformed({
        Version: "2012-10-17",
        Statement: [{ ...statement, Principal: "*", Resource: "arn:aws:s3:::other-bucket/*" }],
      }),
      "Policy has invalid resource",
    );

    const policy = publicReadPolicy(bucket, `arn:aws:s3:::${bucket}/public/*`);
    const blocked = await sdkError(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })));
    assert.equal(blocked.name, "AccessDenied");
    assert.equal(blocked.$metadata.httpStatusCode, 403);
    assert.match(
      blocked.message,
      new RegExp(
        `^User: arn:aws:iam::\\d{12}:root is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" because public policies are blocked by the BlockPublicPolicy block public access setting\\.$`,
      ),
    );

    const anonymous = (path: string, method = "GET") => rawRequest(stratus.url, path, { method });
    const before = await anonymous(`/${bucket}/public/page.html`);
    assert.equal(before.status, 403);
    assert.deepEqual(errorOf(before.body), { code: "AccessDenied", message: "Access Denied" });

    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const none = await sdkError(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })));
    assert.equal(none.name, "NoSuchPublicAccessBlockConfiguration");
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy, policy);
    const status = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
    assert.equal(status.PolicyStatus?.IsPublic, true);

    const page = await anonymous(`/${bucket}/public/page.html`);
    assert.equal(page.status, 200);
    assert.equal(page.body, "<p>hi</p>");
    assert.equal(page.headers["content-type"], "text/html");
    assert.equal((await anonymous(`/${bucket}/public/page.html`, "HEAD")).status, 200);
    assert.equal((await anonymous(`/${bucket}/secret.txt`)).status, 403);
    // Without s3:ListBucket a missing key is hidden behind 403, as S3 does.
    assert.equal((await anonymous(`/${bucket}/public/missing`)).status, 403);
    assert.equal((await anonymous(`/${bucket}`)).status, 403);
    const write = await rawRequest(stratus.url, `/${bucket}/public/new`, { method: "PUT", body: "x" });
    assert.equal(write.status, 403);
    assert.deepEqual(errorOf(write.body), { code: "AccessDenied", message: "Access Denied" });
    const noBucket = await anonymous("/no-such-bucket-anon/key");
    assert.equal(noBucket.status, 404);
    assert.equal(errorOf(noBucket.body).code, "NoSuchBucket");

    // An explicit Deny wins over the Allow.
    const withDeny = JSON.parse(policy) as { Statement: unknown[] };
    withDeny.Statement.push({
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "s3:*",
      Resource: `arn:aws:s3:::${bucket}/public/page.*`,
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(withDeny) }));
    assert.equal((await anonymous(`/${bucket}/public/page.html`)).status, 403);

    // RestrictPublicBuckets makes the public policy ineffective.
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { RestrictPublicBuckets: true },
      }),
    );
    assert.equal((await anonymous(`/${bucket}/public/page.html`)).status, 403);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    assert.equal(
      (await sdkError(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })))).name,
      "NoSuchBucketPolicy",
    );
  });

  test("canned ACLs on objects make them public when ACLs are enabled and not blocked", async () => {
    const s3 = stratus.s3();
    const bucket = await newBucket(s3, "acl-objects", "ObjectWriter");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "open.txt", Body: "open" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "closed.txt", Body: "closed" }));
    const blocked = await sdkError(
      s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: "open.txt", ACL: "public-read" })),
    );
    assert.equal(blocked.name, "AccessDenied");
    assert.equal(blocked.message, "Access Denied");

    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: "open.txt", ACL: "public-read" }));
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: "open.txt" }));
    assert.deepEqual(acl.Grants, [
      { Grantee: { ID: acl.Owner?.ID, Type: "CanonicalUser" }, Permission: "FULL_CONTROL" },
      { Grantee: { Type: "Group", URI: ALL_USERS }, Permission: "READ" },
    ]);
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "put-public.txt", Body: "p", ACL: "public-read" }),
    );

    const open = await rawRequest(stratus.url, `/${bucket}/open.txt`);
    assert.equal(open.status, 200);
    assert.equal(open.body, "open");
    assert.equal((await rawRequest(stratus.url, `/${bucket}/put-public.txt`)).body, "p");
    assert.equal((await rawRequest(stratus.url, `/${bucket}/closed.txt`)).status, 403);

    // Overwriting an object without x-amz-acl makes it private again.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "open.txt", Body: "again" }));
    assert.equal((await rawRequest(stratus.url, `/${bucket}/open.txt`)).status, 403);

    // authenticated-read is not public to anonymous callers.
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: "closed.txt", ACL: "authenticated-read" }));
    assert.equal((await rawRequest(stratus.url, `/${bucket}/closed.txt`)).status, 403);

    // A public-read bucket ACL lets everyone list it.
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "public-read" }));
    const listing = await rawRequest(stratus.url, `/${bucket}?list-type=2`);
    assert.equal(listing.status, 200);
    assert.match(listing.body, /<Key>put-public.txt<\/Key>/);
    assert.equal((await rawRequest(stratus.url, `/${bucket}/missing`)).status, 404);
    assert.equal((await rawRequest(stratus.url, `/${bucket}`, { method: "HEAD" })).status, 200);
  });

  test("ownership controls: BucketOwnerEnforced by default, changed to let ACLs apply, deleted", async () => {
    const s3 = stratus.s3();
    const bucket = await newBucket(s3, "ownership");
    const got = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    assert.deepEqual(got.OwnershipControls, { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] });

    // The order Terraform's static-site modules use: ownership, public access block, ACLs.
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] },
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "index.html", Body: "hello", ACL: "public-read" }),
    );
    assert.equal((await rawRequest(stratus.url, `/${bucket}/index.html`)).body, "hello");

    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    const missing = await sdkError(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })));
    assert.equal(missing.name, "OwnershipControlsNotFoundError");
    assert.equal(missing.message, "The bucket ownership controls were not found");
    // Without ownership controls ACLs still apply.
    assert.equal((await rawRequest(stratus.url, `/${bucket}/index.html`)).status, 200);
  });
});
