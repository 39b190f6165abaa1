/**
 * The pure rules behind S3 sharing: CORS origin/header patterns (one `*`, anchored, matching the
 * empty string, as ceph s3-tests expect of S3) and anonymous bucket-policy evaluation (explicit Deny
 * wins; conditions never apply).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateAnonymous, isPublicPolicy } from "../../../src/services/s3/access/policy.ts";
import { type CorsRule, matchRule } from "../../../src/services/s3/cors/rules.ts";

const rule = (origins: string[], headers: string[] = []): CorsRule => ({
  allowedOrigins: origins,
  allowedMethods: ["GET"],
  allowedHeaders: headers,
  exposeHeaders: [],
});

describe("CORS rule matching", () => {
  it("anchors patterns at both ends and lets * match the empty string", () => {
    const rules = [rule(["*suffix", "start*end", "prefix*"])];
    for (const origin of ["foo.suffix", "startend", "start12end", "prefix", "prefix.suffix"]) {
      assert.ok(matchRule(rules, origin, "GET"), origin);
    }
    for (const origin of ["foo.bar", "foo.suffix.get", "0start12end", "bla.prefix"]) {
      assert.equal(matchRule(rules, origin, "GET"), undefined, origin);
    }
    assert.equal(matchRule(rules, "prefix", "PUT"), undefined);
  });

  it("needs every requested header allowed, without regard to case", () => {
    const rules = [rule(["*"], ["x-amz-*", "Content-Type"])];
    assert.ok(matchRule(rules, "o", "GET", ["content-type", "x-amz-meta-a"]));
    assert.equal(matchRule(rules, "o", "GET", ["authorization"]), undefined);
    assert.equal(matchRule([rule(["*"])], "o", "GET", ["x-a"]), undefined);
  });
});

describe("bucket policy evaluation for anonymous callers", () => {
  const policy = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
  const read = {
    Effect: "Allow",
    Principal: "*",
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::b/public/*",
  };

  it("allows what an everyone statement matches, denies explicitly, ignores conditions", () => {
    assert.equal(evaluateAnonymous(policy(read), "s3:GetObject", "arn:aws:s3:::b/public/a.html"), "allow");
    assert.equal(evaluateAnonymous(policy(read), "s3:GetObject", "arn:aws:s3:::b/private/a"), undefined);
    assert.equal(evaluateAnonymous(policy(read), "s3:PutObject", "arn:aws:s3:::b/public/a"), undefined);
    const deny = { ...read, Effect: "Deny", Action: "s3:*", Principal: { AWS: "*" } };
    assert.equal(evaluateAnonymous(policy(read, deny), "s3:GetObject", "arn:aws:s3:::b/public/a"), "deny");
    const conditional = { ...read, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } };
    assert.equal(
      evaluateAnonymous(policy(conditional), "s3:GetObject", "arn:aws:s3:::b/public/a"),
      undefined,
    );
    assert.equal(isPublicPolicy(policy(conditional)), false);
    assert.equal(isPublicPolicy(policy(read)), true);
    const account = { ...read, Principal: { AWS: "arn:aws:iam::111122223333:root" } };
    assert.equal(isPublicPolicy(policy(account)), false);
    assert.equal(evaluateAnonymous(policy(account), "s3:GetObject", "arn:aws:s3:::b/public/a"), undefined);
  });
});
