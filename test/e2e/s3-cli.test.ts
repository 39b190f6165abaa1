/**
 * The AWS CLI v2 (Debian's awscli, /usr/bin/aws; .ci/run installs it) against S3 on Stratus: the
 * high-level `aws s3` commands (mb, cp with a multipart upload of a file larger than the CLI's 8 MB
 * threshold, sync, ls, presign, rm, rb) and `aws s3api` calls, with bytes compared after download.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { useStratus } from "../support/stratus.ts";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("AWS CLI v2: s3 and s3api", {
  skip: existsSync(AWS) ? false : `${AWS} is not installed (.ci/run installs it)`,
}, () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-s3-cli-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function aws(...args: string[]): Promise<string> {
    const { stdout } = await run(AWS, ["--endpoint-url", stratus.url, "--output", "json", ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: scratch,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_PAGER: "",
      },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  it("mb, cp (multipart), ls, sync, presign, s3api, rm and rb", async () => {
    const bucket = "cli-bucket";
    assert.match(await aws("s3", "mb", `s3://${bucket}`), /make_bucket: cli-bucket/);

    // 20 MB: above the CLI's 8 MB multipart threshold, so `cp` uploads it in parts.
    const big = randomBytes(20 * 1024 * 1024);
    const bigPath = join(scratch, "big.bin");
    await writeFile(bigPath, big);
    await aws("s3", "cp", bigPath, `s3://${bucket}/data/big.bin`);
    const head = JSON.parse(await aws("s3api", "head-object", "--bucket", bucket, "--key", "data/big.bin"));
    assert.equal(head.ContentLength, big.length);
    assert.match(head.ETag, /^"[0-9a-f]{32}-\d+"$/, "a multipart upload's ETag");
    const downloaded = join(scratch, "big.out");
    await aws("s3", "cp", `s3://${bucket}/data/big.bin`, downloaded);
    assert.equal(sha256(await readFile(downloaded)), sha256(big));

    const tree = join(scratch, "site");
    await mkdir(join(tree, "nested dir"), { recursive: true });
    await writeFile(join(tree, "index.html"), "<h1>hi</h1>");
    await writeFile(join(tree, "nested dir", "a+b.txt"), "plus and space");
    await aws("s3", "sync", tree, `s3://${bucket}/site`);
    const listing = await aws("s3", "ls", `s3://${bucket}/site/`, "--recursive");
    assert.match(listing, /site\/index\.html/);
    assert.match(listing, /site\/nested dir\/a\+b\.txt/);
    const listed = JSON.parse(await aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "site/"));
    assert.deepEqual(
      listed.Contents.map((o: { Key: string }) => o.Key),
      ["site/index.html", "site/nested dir/a+b.txt"],
    );

    const url = (await aws("s3", "presign", `s3://${bucket}/site/index.html`, "--expires-in", "60")).trim();
    const fetched = await fetch(url);
    assert.equal(fetched.status, 200);
    assert.equal(await fetched.text(), "<h1>hi</h1>");

    await aws("s3", "rm", `s3://${bucket}`, "--recursive");
    // --no-paginate: the CLI's paginator prints nothing at all for an empty listing.
    const empty = JSON.parse(await aws("s3api", "list-objects-v2", "--bucket", bucket, "--no-paginate"));
    assert.equal(empty.KeyCount, 0);
    assert.equal(empty.Contents, undefined);
    assert.match(await aws("s3", "rb", `s3://${bucket}`), /remove_bucket: cli-bucket/);
  });
});
