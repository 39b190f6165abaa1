/**
 * `stratus deploy`'s packaging: deterministic zips (same folder → same bytes and hash, whatever the
 * files' timestamps or listing order), which template properties are local paths and how each is
 * rewritten (s3:// URIs for SAM, {S3Bucket, S3Key} for plain Lambda), Globals.Function.CodeUri, and
 * what is left alone.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { unzipSync } from "fflate";
import yauzl from "yauzl";
import {
  type ArtifactStore,
  findLocalArtifacts,
  isLocalPath,
  PackageError,
  packageTemplate,
} from "../../../src/cli/deploy/package.ts";
import { listFiles, sha256Hex, zipFolder } from "../../../src/cli/deploy/zip.ts";
import type { Template } from "../../../src/services/cloudformation/template/types.ts";

/** An ArtifactStore that keeps what it is given, keyed by hash as the S3 one is. */
function memoryStore(): ArtifactStore & { puts: { sha256: string; bytes: Uint8Array; localPath: string }[] } {
  const puts: { sha256: string; bytes: Uint8Array; localPath: string }[] = [];
  return {
    puts,
    async put(bytes, sha256, localPath) {
      puts.push({ bytes, sha256, localPath });
      return { bucket: "stratus-deploy-000000000000-us-east-1", key: sha256 };
    },
  };
}

function fn(properties: Record<string, unknown>) {
  return {
    Type: "AWS::Serverless::Function",
    Properties: { Handler: "a.handler", Runtime: "nodejs22.x", ...properties },
  };
}

describe("stratus deploy: packaging", () => {
  let root = "";
  before(() => {
    root = mkdtempSync(join(tmpdir(), "stratus-deploy-package-"));
    mkdirSync(join(root, "src", "node", "lib"), { recursive: true });
    writeFileSync(join(root, "src", "node", "index.mjs"), "export const handler = async () => 1;\n");
    writeFileSync(join(root, "src", "node", "lib", "util.mjs"), "export const two = 2;\n");
    writeFileSync(join(root, "src", "node", "bootstrap"), "#!/bin/sh\n");
    chmodSync(join(root, "src", "node", "bootstrap"), 0o755);
    mkdirSync(join(root, "layer"));
    writeFileSync(join(root, "layer", "shared.py"), "X = 1\n");
    writeFileSync(join(root, "prebuilt.zip"), "PK-not-really-a-zip");
    writeFileSync(join(root, "api.yaml"), "openapi: 3.0.1\n");
    writeFileSync(join(root, "template.yaml"), "Resources: {}\n");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe("zipFolder", () => {
    it("lists files sorted, with / separators, folders recursed", () => {
      assert.deepEqual(listFiles(join(root, "src", "node")), ["bootstrap", "index.mjs", "lib/util.mjs"]);
    });

    it("gives the same bytes and hash for an unchanged folder, whatever the files' mtimes", () => {
      const first = zipFolder(join(root, "src", "node"));
      utimesSync(join(root, "src", "node", "index.mjs"), new Date(2001, 1, 1), new Date(2001, 1, 1));
      const second = zipFolder(join(root, "src", "node"));
      assert.equal(second.sha256, first.sha256);
      assert.deepEqual(Buffer.from(second.bytes), Buffer.from(first.bytes));
      assert.equal(first.sha256, sha256Hex(first.bytes));
      assert.equal(first.fileCount, 3);
    });

    it("changes when a file's content changes", () => {
      const dir = join(root, "changing");
      mkdirSync(dir);
      writeFileSync(join(dir, "a.txt"), "one");
      const before = zipFolder(dir).sha256;
      writeFileSync(join(dir, "a.txt"), "two");
      assert.notEqual(zipFolder(dir).sha256, before);
    });

    it("holds the files' contents under their relative paths", () => {
      const entries = unzipSync(zipFolder(join(root, "src", "node")).bytes);
      assert.deepEqual(Object.keys(entries), ["bootstrap", "index.mjs", "lib/util.mjs"]);
      assert.equal(Buffer.from(entries["lib/util.mjs"] as Uint8Array).toString(), "export const two = 2;\n");
    });

    it("keeps Unix permissions and a fixed 1980-01-01 timestamp", async () => {
      const bytes = Buffer.from(zipFolder(join(root, "src", "node")).bytes);
      const entries = await new Promise<{ name: string; mode: number; date: Date }[]>((resolve, reject) => {
        yauzl.fromBuffer(bytes, { lazyEntries: false }, (error, zip) => {
          if (error || !zip) return reject(error);
          const seen: { name: string; mode: number; date: Date }[] = [];
          zip.on("entry", (entry: yauzl.Entry) => {
            seen.push({
              name: entry.fileName,
              mode: (entry.externalFileAttributes >>> 16) & 0o777,
              date: entry.getLastModDate(),
            });
          });
          zip.on("end", () => resolve(seen));
          zip.on("error", reject);
        });
      });
      const bootstrap = entries.find((e) => e.name === "bootstrap");
      assert.equal(bootstrap?.mode, 0o755);
      assert.equal(entries.find((e) => e.name === "index.mjs")?.mode, 0o644);
      for (const entry of entries) {
        assert.equal(entry.date.getFullYear(), 1980);
        assert.equal(entry.date.getMonth(), 0);
        assert.equal(entry.date.getDate(), 1);
      }
    });
  });

  describe("findLocalArtifacts and packageTemplate", () => {
    it("tells local paths from remote locations", () => {
      assert.equal(isLocalPath("src/"), true);
      assert.equal(isLocalPath("./code.zip"), true);
      assert.equal(isLocalPath("s3://bucket/key"), false);
      assert.equal(isLocalPath("https://bucket.s3.amazonaws.com/key"), false);
      assert.equal(isLocalPath({ Bucket: "b", Key: "k" }), false);
      assert.equal(isLocalPath(""), false);
    });

    it("rewrites each kind of local code path, relative to the template's folder", async () => {
      const template: Template = {
        Transform: "AWS::Serverless-2016-10-31",
        Resources: {
          SamFunction: fn({ CodeUri: "src/node/" }),
          Layer: { Type: "AWS::Serverless::LayerVersion", Properties: { ContentUri: "layer" } },
          PlainFunction: {
            Type: "AWS::Lambda::Function",
            Properties: { Code: "src/node", Handler: "index.handler" },
          },
          PlainLayer: { Type: "AWS::Lambda::LayerVersion", Properties: { Content: "layer/" } },
          Prebuilt: fn({ CodeUri: "prebuilt.zip" }),
          Api: { Type: "AWS::Serverless::HttpApi", Properties: { DefinitionUri: "api.yaml" } },
        },
      };
      const store = memoryStore();
      const packaged = await packageTemplate(template, root, store);
      const resources = packaged.template.Resources;
      const folderHash = zipFolder(join(root, "src", "node")).sha256;
      const layerHash = zipFolder(join(root, "layer")).sha256;
      const bucket = "stratus-deploy-000000000000-us-east-1";
      assert.equal(resources.SamFunction?.Properties?.CodeUri, `s3://${bucket}/${folderHash}`);
      assert.equal(resources.Layer?.Properties?.ContentUri, `s3://${bucket}/${layerHash}`);
      assert.deepEqual(resources.PlainFunction?.Properties?.Code, { S3Bucket: bucket, S3Key: folderHash });
      assert.deepEqual(resources.PlainLayer?.Properties?.Content, { S3Bucket: bucket, S3Key: layerHash });
      // A .zip is stored as it is, an API definition too: their own bytes' hash.
      assert.equal(
        resources.Prebuilt?.Properties?.CodeUri,
        `s3://${bucket}/${sha256Hex(Buffer.from("PK-not-really-a-zip"))}`,
      );
      assert.equal(
        resources.Api?.Properties?.DefinitionUri,
        `s3://${bucket}/${sha256Hex(Buffer.from("openapi: 3.0.1\n"))}`,
      );
      // One folder named twice (SamFunction and PlainFunction) is stored once.
      assert.equal(store.puts.filter((p) => p.sha256 === folderHash).length, 1);
      assert.equal(store.puts.length, 4);
      // The template given is left as it was.
      assert.equal(template.Resources.SamFunction?.Properties?.CodeUri, "src/node/");
      assert.deepEqual([...packaged.functionCode.entries()].sort(), [
        ["PlainFunction", join(root, "src", "node")],
        ["Prebuilt", join(root, "prebuilt.zip")],
        ["SamFunction", join(root, "src", "node")],
      ]);
    });

    it("rewrites Globals.Function.CodeUri, and functions without their own CodeUri inherit it", async () => {
      const template: Template = {
        Globals: { Function: { CodeUri: "src/node", Runtime: "nodejs22.x" } },
        Resources: { Inheriting: fn({}), Own: fn({ CodeUri: "layer" }) },
      };
      const packaged = await packageTemplate(template, root, memoryStore());
      const globals = packaged.template.Globals?.Function as Record<string, unknown>;
      assert.match(String(globals.CodeUri), /^s3:\/\/stratus-deploy-000000000000-us-east-1\/[0-9a-f]{64}$/);
      assert.equal(packaged.template.Resources.Inheriting?.Properties?.CodeUri, undefined);
      assert.equal(packaged.functionCode.get("Inheriting"), join(root, "src", "node"));
      assert.equal(packaged.functionCode.get("Own"), join(root, "layer"));
    });

    it("leaves s3:// URIs, S3 objects, intrinsic functions, inline code and images alone", async () => {
      const template: Template = {
        Resources: {
          Remote: fn({ CodeUri: "s3://bucket/code.zip" }),
          Object: fn({ CodeUri: { Bucket: "b", Key: "k" } }),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own syntax.
          Intrinsic: fn({ CodeUri: { "Fn::Sub": "s3://${Bucket}/k" } }),
          Inline: fn({ InlineCode: "exports.handler = async () => 1;" }),
          Image: fn({ PackageType: "Image", ImageUri: "repo:tag" }),
          PlainRemote: { Type: "AWS::Lambda::Function", Properties: { Code: { S3Bucket: "b", S3Key: "k" } } },
          PlainZipFile: { Type: "AWS::Lambda::Function", Properties: { Code: { ZipFile: "code" } } },
          Table: { Type: "AWS::DynamoDB::Table", Properties: { TableName: "src" } },
        },
      };
      const store = memoryStore();
      const packaged = await packageTemplate(template, root, store);
      assert.deepEqual(packaged.template, template);
      assert.equal(store.puts.length, 0);
      assert.equal(packaged.functionCode.size, 0);
    });

    it("packages the template's folder for a SAM function that names no code at all", () => {
      const artifacts = findLocalArtifacts({ Resources: { Bare: fn({}) } }, root);
      assert.deepEqual(
        artifacts.map((a) => [a.owner, a.property, a.localPath]),
        [["Bare", "CodeUri", root]],
      );
    });

    it("fails with sam package's words for a path that does not exist", async () => {
      const template: Template = { Resources: { Missing: fn({ CodeUri: "nowhere/" }) } };
      await assert.rejects(packageTemplate(template, root, memoryStore()), (error: unknown) => {
        assert.ok(error instanceof PackageError);
        assert.equal(
          error.message,
          `Unable to upload artifact ${join(root, "nowhere")} referenced by CodeUri parameter of Missing resource. ` +
            `Parameter CodeUri of resource Missing refers to a file or folder that does not exist ${join(root, "nowhere")}`,
        );
        return true;
      });
    });
  });
});
