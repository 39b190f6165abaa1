/**
 * boto3 (the machine's python3 has it) against S3 on Stratus: upload, list, download, delete — the
 * Python SDK's own signing, checksums and XML parsing.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { useStratus } from "../support/stratus.ts";

const run = promisify(execFile);

const SCRIPT = `
import hashlib, json, os, sys
import boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
s3.create_bucket(Bucket="boto-bucket")
body = os.urandom(3 * 1024 * 1024)
s3.put_object(Bucket="boto-bucket", Key="a/b.bin", Body=body, Metadata={"who": "boto3"})
s3.upload_fileobj(__import__("io").BytesIO(body * 4), "boto-bucket", "a/big.bin")
listed = s3.list_objects_v2(Bucket="boto-bucket", Prefix="a/")
got = s3.get_object(Bucket="boto-bucket", Key="a/b.bin")
data = got["Body"].read()
s3.delete_object(Bucket="boto-bucket", Key="a/b.bin")
after = s3.list_objects_v2(Bucket="boto-bucket", Prefix="a/")
print(json.dumps({
  "keys": [o["Key"] for o in listed["Contents"]],
  "same": hashlib.sha256(data).hexdigest() == hashlib.sha256(body).hexdigest(),
  "metadata": got["Metadata"],
  "after": [o["Key"] for o in after.get("Contents", [])],
}))
`;

describe("boto3: s3", () => {
  const stratus = useStratus({ inMemory: true });

  it("uploads (single and multipart), lists, downloads and deletes", async () => {
    const { stdout } = await run("python3", ["-c", SCRIPT, stratus.url], {
      timeout: 120_000,
      env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
    });
    assert.deepEqual(JSON.parse(stdout), {
      keys: ["a/b.bin", "a/big.bin"],
      same: true,
      metadata: { who: "boto3" },
      after: ["a/big.bin"],
    });
  });
});
