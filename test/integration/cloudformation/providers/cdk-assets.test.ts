/**
 * publishCdkAssets and cdkStackOfTemplate (src/cli/deploy/cdk-assets.ts) against a started Stratus:
 * the fixture CDK app (test/fixtures/cdk-app) synthesized offline, its folder asset zipped and its
 * template published to the bootstrap bucket named with the account and region filled in, a second
 * publish that uploads nothing, finding the stack of a template file, and the clear errors for what
 * Stratus cannot publish (Docker images, build commands, a bad manifest) before anything is uploaded.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { unzipSync } from "fflate";
import {
  CdkAssetError,
  cdkStackOfTemplate,
  publishCdkAssets,
} from "../../../../src/cli/deploy/cdk-assets.ts";
import { STACK_NAME, synthesizeApp } from "../../../fixtures/cdk-app/stack.ts";
import { TEST_ACCOUNT } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: an asset manifest's placeholders, not a JS template
const AGNOSTIC_BUCKET = "pl-${AWS::AccountId}-${AWS::Region}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: an asset manifest's placeholder, not a JS template
const PARTITION_PLACEHOLDER = "${AWS::Partition}";

interface AssetManifestFile {
  files: Record<string, { source: { path: string; packaging: string } }>;
}

describe("publishing a CDK cloud assembly's assets", () => {
  const stratus = useStratus();
  let workDir = "";
  let assemblyDir = "";

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), "stratus-cdk-assets-"));
    assemblyDir = synthesizeApp(join(workDir, "cdk.out"));
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  const bootstrapBucket = () => `cdk-hnb659fds-assets-${TEST_ACCOUNT}-${stratus.region}`;
  const target = (lines: string[] = []) => ({
    s3: stratus.s3(),
    accountId: TEST_ACCOUNT,
    region: stratus.region,
    log: (line: string) => lines.push(line),
  });

  async function objectBytes(bucket: string, key: string): Promise<Uint8Array> {
    const answer = await stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return answer.Body!.transformToByteArray();
  }

  it("finds the stack of a synthesized template, and none for other templates", async () => {
    assert.deepEqual(cdkStackOfTemplate(join(assemblyDir, `${STACK_NAME}.template.json`)), {
      assemblyDir,
      stackArtifactId: STACK_NAME,
      stackName: STACK_NAME,
    });
    assert.equal(cdkStackOfTemplate(join(assemblyDir, "tree.json")), undefined);
    const plain = join(workDir, "plain");
    await mkdir(plain);
    await writeFile(join(plain, "template.json"), "{}");
    assert.equal(cdkStackOfTemplate(join(plain, "template.json")), undefined);
    // An assembly without manifest.json (copied by hand): `<Stack>.template.json` + `<Stack>.assets.json`.
    const copied = join(workDir, "copied");
    await mkdir(copied);
    await writeFile(join(copied, "Api.template.json"), "{}");
    await writeFile(join(copied, "Api.assets.json"), '{"version":"55.0.0","files":{}}');
    assert.deepEqual(cdkStackOfTemplate(join(copied, "Api.template.json")), {
      assemblyDir: copied,
      stackArtifactId: "Api",
      stackName: "Api",
    });
  });

  it("names the stack as the app did when its stack name is not its construct id", () => {
    const named = synthesizeApp(join(workDir, "named.out"), { stackName: "notes-prod" });
    assert.deepEqual(cdkStackOfTemplate(join(named, `${STACK_NAME}.template.json`)), {
      assemblyDir: named,
      stackArtifactId: STACK_NAME,
      stackName: "notes-prod",
    });
  });

  it("creates the bootstrap bucket, zips the folder asset and uploads the template", async () => {
    const manifest = JSON.parse(
      await readFile(join(assemblyDir, `${STACK_NAME}.assets.json`), "utf8"),
    ) as AssetManifestFile;
    const lines: string[] = [];
    const published = await publishCdkAssets(assemblyDir, STACK_NAME, target(lines));

    assert.equal(published.length, 2);
    assert.equal(lines.length, 2);
    for (const asset of published) {
      assert.equal(asset.bucketName, bootstrapBucket());
      assert.equal(asset.uploaded, true);
      const head = await stratus
        .s3()
        .send(new HeadObjectCommand({ Bucket: asset.bucketName, Key: asset.objectKey }));
      assert.equal(head.ContentLength, asset.bytes);
    }

    const code = published.find((asset) => manifest.files[asset.assetId]?.source.packaging === "zip");
    assert.ok(code, "the Lambda code folder is a zip asset");
    assert.equal(code.objectKey, `${code.assetId}.zip`);
    assert.equal(code.displayName, "NotesHandler/Code");
    const entries = unzipSync(await objectBytes(code.bucketName, code.objectKey));
    assert.deepEqual(Object.keys(entries), ["index.mjs"]);
    const handlerSource = await readFile(
      new URL("../../../fixtures/cdk-app/lambda/index.mjs", import.meta.url),
    );
    assert.deepEqual(Buffer.from(entries["index.mjs"]!), handlerSource);

    const template = published.find((asset) => manifest.files[asset.assetId]?.source.packaging === "file");
    assert.ok(template);
    assert.equal(template.objectKey, `${template.assetId}.json`);
    const head = await stratus
      .s3()
      .send(new HeadObjectCommand({ Bucket: template.bucketName, Key: template.objectKey }));
    assert.equal(head.ContentType, "application/json");
    assert.deepEqual(
      Buffer.from(await objectBytes(template.bucketName, template.objectKey)),
      await readFile(join(assemblyDir, `${STACK_NAME}.template.json`)),
    );
  });

  it("uploads nothing again when the objects are already there", async () => {
    const again = await publishCdkAssets(assemblyDir, STACK_NAME, target());
    assert.equal(again.length, 2);
    assert.deepEqual(
      again.map((asset) => asset.uploaded),
      [false, false],
    );
  });

  it("publishes nothing for a stack without an asset manifest", async () => {
    assert.deepEqual(await publishCdkAssets(assemblyDir, "NoSuchStack", target()), []);
  });

  /** A hand-written assembly: an asset manifest beside an (empty) template, a folder to zip. */
  async function handWrittenAssembly(name: string, manifest: unknown): Promise<string> {
    const dir = join(workDir, name);
    await mkdir(join(dir, "asset.code"), { recursive: true });
    await writeFile(join(dir, "asset.code", "index.js"), "exports.handler = async () => 1;");
    await writeFile(join(dir, "Stack.template.json"), "{}");
    await writeFile(join(dir, "Stack.assets.json"), JSON.stringify(manifest));
    return dir;
  }

  function fileAsset(bucketName: string, source: Record<string, unknown>) {
    return { source, destinations: { "current_account-current_region": { bucketName, objectKey: "k.zip" } } };
  }

  it("refuses Docker image assets (no container registry) before uploading anything", async () => {
    const bucket = "cdk-docker-assets-bucket";
    const dir = await handWrittenAssembly("docker", {
      version: "55.0.0",
      files: { code: fileAsset(bucket, { path: "asset.code", packaging: "zip" }) },
      dockerImages: {
        image1: {
          source: { directory: "asset.image" },
          destinations: { d: { repositoryName: "cdk-hnb659fds-container-assets", imageTag: "image1" } },
        },
      },
    });
    await assert.rejects(
      publishCdkAssets(dir, "Stack", target()),
      (error: Error) =>
        error instanceof CdkAssetError &&
        error.message.startsWith(
          "Stratus has no container registry: cannot publish the Docker image asset image1",
        ),
    );
    await assert.rejects(stratus.s3().send(new HeadBucketCommand({ Bucket: bucket })), { name: "NotFound" });
  });

  it("refuses assets built by a command, missing sources and a file given zip packaging", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["executable", { executable: ["node", "build.js"], packaging: "file" }, /built by a command/],
      ["missing", { path: "asset.gone", packaging: "zip" }, /asset\.gone does not exist/],
      ["zipfile", { path: "asset.code/index.js", packaging: "zip" }, /zip packaging needs a folder/],
      ["packaging", { path: "asset.code", packaging: "tarball" }, /unknown packaging "tarball"/],
    ];
    for (const [name, source, message] of cases) {
      const dir = await handWrittenAssembly(name, {
        version: "55.0.0",
        files: { code: fileAsset(`cdk-${name}-bucket`, source) },
      });
      await assert.rejects(publishCdkAssets(dir, "Stack", target()), (error: Error) => {
        assert.ok(error instanceof CdkAssetError, name);
        assert.match(error.message, message);
        return true;
      });
    }
    const { Buckets = [] } = await stratus.s3().send(new ListBucketsCommand({}));
    assert.deepEqual(
      Buckets.map((bucket) => bucket.Name).filter(
        (name) => name?.startsWith("cdk-") && name.endsWith("-bucket"),
      ),
      [],
    );
  });

  it("fills in every placeholder, including the partition, and zips deterministically", async () => {
    const dir = await handWrittenAssembly("placeholders", {
      version: "55.0.0",
      files: {
        code: {
          source: { path: "asset.code", packaging: "zip" },
          destinations: {
            one: { bucketName: AGNOSTIC_BUCKET, objectKey: `${PARTITION_PLACEHOLDER}/a.zip` },
            two: { bucketName: AGNOSTIC_BUCKET, objectKey: `${PARTITION_PLACEHOLDER}/b.zip` },
          },
        },
      },
    });
    const published = await publishCdkAssets(dir, "Stack", target());
    const bucket = `pl-${TEST_ACCOUNT}-${stratus.region}`;
    assert.deepEqual(
      published.map((asset) => [asset.bucketName, asset.objectKey, asset.uploaded]),
      [
        [bucket, "aws/a.zip", true],
        [bucket, "aws/b.zip", true],
      ],
    );
    assert.deepEqual(await objectBytes(bucket, "aws/a.zip"), await objectBytes(bucket, "aws/b.zip"));
  });
});
