/**
 * `sam package` for Stratus: every local path a template names as code (CodeUri of
 * AWS::Serverless::Function and of Globals.Function, ContentUri of AWS::Serverless::LayerVersion, Code
 * of AWS::Lambda::Function, Content of AWS::Lambda::LayerVersion, DefinitionUri of
 * AWS::Serverless::Api/HttpApi) is zipped (a folder; a .zip or .jar file is taken as it is), stored
 * through an `ArtifactStore` (S3 in practice, see uploader.ts) and replaced by where it now lives:
 * `s3://bucket/key` for SAM's *Uri properties, `{S3Bucket, S3Key}` for the plain Lambda ones.
 *
 * Paths are relative to the template's folder. Values that are already remote (`s3://`, `https://`)
 * or objects (`{Bucket, Key}`, intrinsic functions) are left alone. A SAM function with no CodeUri,
 * no InlineCode and no image, when Globals gives none either, packages the template's folder, as
 * `sam package` does. The template passed in is not modified.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, extname, isAbsolute, resolve } from "node:path";
import type { Template, TemplateResource } from "../../services/cloudformation/template/types.ts";
import { type FolderZip, sha256Hex, zipFolder, zipSingleFile } from "./zip.ts";

/** Where packaged artifacts go: returns the bucket and key the bytes are stored under. */
export interface ArtifactStore {
  /** `key` is the content's SHA-256 (hex), so that equal contents share one object. */
  put(bytes: Uint8Array, key: string, localPath: string): Promise<{ bucket: string; key: string }>;
}

/** How one property refers to its uploaded artifact. */
type ReferenceForm = "s3-uri" | "s3-object";

/** One property of the template that names a local path. */
export interface LocalArtifact {
  /** Logical id of the resource, or "Globals" for Globals.Function.CodeUri. */
  readonly owner: string;
  readonly resourceType: string;
  readonly property: string;
  /** The absolute path it names. */
  readonly localPath: string;
  /** A folder or a single file is zipped; a .zip/.jar, or an API definition, is stored as it is. */
  readonly zip: boolean;
  readonly form: ReferenceForm;
}

export interface PackagedTemplate {
  readonly template: Template;
  readonly artifacts: readonly LocalArtifact[];
  /**
   * Each Lambda function whose code comes from a local path, by logical id (the id of the
   * AWS::Lambda::Function SAM makes keeps the AWS::Serverless::Function's id): what `--watch` watches.
   */
  readonly functionCode: ReadonlyMap<string, string>;
}

/** The `sam package` error for a path that names nothing. */
export class PackageError extends Error {
  override readonly name = "PackageError";
}

interface PropertyRule {
  readonly property: string;
  readonly form: ReferenceForm;
  /** Zip folders and plain files (code); false: store the file as it is (API definitions). */
  readonly zip: boolean;
}

const RULES: Readonly<Record<string, PropertyRule>> = {
  "AWS::Serverless::Function": { property: "CodeUri", form: "s3-uri", zip: true },
  "AWS::Serverless::LayerVersion": { property: "ContentUri", form: "s3-uri", zip: true },
  "AWS::Lambda::Function": { property: "Code", form: "s3-object", zip: true },
  "AWS::Lambda::LayerVersion": { property: "Content", form: "s3-object", zip: true },
  "AWS::Serverless::Api": { property: "DefinitionUri", form: "s3-uri", zip: false },
  "AWS::Serverless::HttpApi": { property: "DefinitionUri", form: "s3-uri", zip: false },
};

/** A string that names a file or folder on this machine rather than an object already in S3. */
export function isLocalPath(value: unknown): value is string {
  return typeof value === "string" && value !== "" && !/^(s3|https?):\/\//i.test(value);
}

/** Every local path the template names as code or definition, in template order. */
export function findLocalArtifacts(template: Template, templateDir: string): LocalArtifact[] {
  const found: LocalArtifact[] = [];
  const globalFunction = asRecord(template.Globals?.Function);
  const globalCodeUri = globalFunction?.CodeUri;
  if (isLocalPath(globalCodeUri)) {
    found.push({
      owner: "Globals",
      resourceType: "AWS::Serverless::Function",
      property: "CodeUri",
      localPath: absolute(templateDir, globalCodeUri),
      zip: true,
      form: "s3-uri",
    });
  }
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const rule = RULES[resource.Type];
    if (!rule) continue;
    const value = resource.Properties?.[rule.property];
    const path = isLocalPath(value)
      ? value
      : resource.Type === "AWS::Serverless::Function" && needsDefaultCodeUri(resource, globalFunction)
        ? "."
        : undefined;
    if (path === undefined) continue;
    found.push({
      owner: logicalId,
      resourceType: resource.Type,
      property: rule.property,
      localPath: absolute(templateDir, path),
      zip: rule.zip,
      form: rule.form,
    });
  }
  return found;
}

/** Zips and stores every local artifact, and returns the template that names them in S3. */
export async function packageTemplate(
  template: Template,
  templateDir: string,
  store: ArtifactStore,
): Promise<PackagedTemplate> {
  const packaged = structuredClone(template);
  const artifacts = findLocalArtifacts(template, templateDir);
  // Several properties may name one folder (functions sharing code): zip and store it once.
  const stored = new Map<string, Promise<{ bucket: string; key: string }>>();
  for (const artifact of artifacts) {
    const cacheKey = `${artifact.zip}:${artifact.localPath}`;
    let location = stored.get(cacheKey);
    if (!location) {
      const { bytes, sha256 } = readArtifact(artifact);
      location = store.put(bytes, sha256, artifact.localPath);
      stored.set(cacheKey, location);
    }
    const { bucket, key } = await location;
    const reference = artifact.form === "s3-uri" ? `s3://${bucket}/${key}` : { S3Bucket: bucket, S3Key: key };
    const properties =
      artifact.owner === "Globals"
        ? (asRecord(packaged.Globals?.Function) ?? {})
        : ensureProperties(packaged.Resources[artifact.owner] as TemplateResource);
    properties[artifact.property] = reference;
  }
  return { template: packaged, artifacts, functionCode: functionCodeFolders(template, artifacts) };
}

/** The bytes to store for one artifact: a deterministic zip, or the file as it is. */
export function readArtifact(artifact: LocalArtifact): FolderZip {
  const { localPath } = artifact;
  if (!existsSync(localPath)) {
    throw new PackageError(
      `Unable to upload artifact ${localPath} referenced by ${artifact.property} parameter of ${artifact.owner} resource. ` +
        `Parameter ${artifact.property} of resource ${artifact.owner} refers to a file or folder that does not exist ${localPath}`,
    );
  }
  if (statSync(localPath).isDirectory()) {
    if (!artifact.zip) {
      throw new PackageError(
        `Unable to upload artifact ${localPath} referenced by ${artifact.property} parameter of ${artifact.owner} resource. ` +
          `Parameter ${artifact.property} of resource ${artifact.owner} refers to a folder: name a file`,
      );
    }
    return zipFolder(localPath);
  }
  const isArchive = [".zip", ".jar"].includes(extname(localPath).toLowerCase());
  if (!artifact.zip || isArchive) {
    const bytes = readFileSync(localPath);
    return { bytes, sha256: sha256Hex(bytes), fileCount: 1 };
  }
  return zipSingleFile(localPath, basename(localPath));
}

/** Which local path each function's code comes from, Globals' CodeUri included. */
function functionCodeFolders(template: Template, artifacts: readonly LocalArtifact[]): Map<string, string> {
  const folders = new Map<string, string>();
  const globalPath = artifacts.find((a) => a.owner === "Globals")?.localPath;
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== "AWS::Serverless::Function" && resource.Type !== "AWS::Lambda::Function") continue;
    const own = artifacts.find((a) => a.owner === logicalId)?.localPath;
    const inherits =
      resource.Type === "AWS::Serverless::Function" &&
      resource.Properties?.CodeUri === undefined &&
      resource.Properties?.InlineCode === undefined;
    const path = own ?? (inherits ? globalPath : undefined);
    if (path !== undefined) folders.set(logicalId, path);
  }
  return folders;
}

/** A SAM function that names no code at all, and inherits none: `sam package` zips the template's folder. */
function needsDefaultCodeUri(
  resource: TemplateResource,
  globals: Record<string, unknown> | undefined,
): boolean {
  const properties = resource.Properties ?? {};
  if (properties.CodeUri !== undefined || properties.InlineCode !== undefined) return false;
  if (properties.ImageUri !== undefined || properties.PackageType === "Image") return false;
  if (globals?.CodeUri !== undefined || globals?.InlineCode !== undefined) return false;
  return globals?.PackageType !== "Image" && globals?.ImageUri === undefined;
}

function ensureProperties(resource: TemplateResource): Record<string, unknown> {
  resource.Properties ??= {};
  return resource.Properties;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
