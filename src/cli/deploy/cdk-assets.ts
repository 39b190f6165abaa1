/**
 * Publishing a CDK cloud assembly's file assets to Stratus's S3, as `cdk deploy` (through cdk-assets)
 * publishes them to the bootstrap bucket before it deploys the stack: a stack synthesized with the
 * DefaultStackSynthesizer names its Lambda code by `cdk-hnb659fds-assets-ACCOUNT-REGION` bucket and
 * content-hash key, so the objects must be there before CloudFormation creates the functions.
 *
 * The stack's asset manifest (`<Stack>.assets.json`, found through the assembly's manifest.json) lists
 * `files`, each with a `source` (`path` relative to the assembly, `packaging` `zip` for a folder to
 * zip or `file` for a file as it is) and `destinations` (`bucketName`/`objectKey`, which may hold
 * `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` placeholders for an
 * environment-agnostic stack). Each destination's bucket is created when missing (Stratus has no
 * bootstrap stack to make it); an object already there is not uploaded again, since its key is the
 * content's hash (cdk-assets skips it too). Folders are zipped deterministically (zip.ts).
 *
 * Not supported, with a clear error before anything is uploaded: Docker image assets (Stratus has no
 * container registry) and assets built by a command (`source.executable`).
 *
 * The SDK is loaded on demand, as the rest of the deploy command loads it (clients.ts).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { zipFolder } from "./zip.ts";

export interface CdkAssetTarget {
  readonly s3: S3Client;
  readonly accountId: string;
  readonly region: string;
  /** Defaults to the region's partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition?: string;
  /** Progress lines, one per asset destination. */
  readonly log?: (line: string) => void;
}

export interface PublishedCdkAsset {
  readonly assetId: string;
  readonly displayName: string | undefined;
  readonly bucketName: string;
  readonly objectKey: string;
  /** False when an object was already at the key (same content hash): nothing was uploaded. */
  readonly uploaded: boolean;
  readonly bytes: number;
}

/** Where a stack's template lies in a cloud assembly: the assembly's folder and the stack artifact. */
export interface CdkStackLocation {
  readonly assemblyDir: string;
  readonly stackArtifactId: string;
  /** The CloudFormation stack name the app gave (`cdk deploy` deploys under it): the artifact id unless set. */
  readonly stackName: string;
}

/** A cloud assembly whose assets Stratus cannot publish, or a malformed asset manifest. */
export class CdkAssetError extends Error {
  override readonly name = "CdkAssetError";
}

const ASSET_MANIFEST_ARTIFACT = "cdk:asset-manifest";
const STACK_ARTIFACT = "aws:cloudformation:stack";

interface FileAssetSource {
  path?: unknown;
  packaging?: unknown;
  executable?: unknown;
}

interface FileAssetDestination {
  bucketName?: unknown;
  objectKey?: unknown;
}

interface FileAsset {
  displayName?: unknown;
  source?: FileAssetSource;
  destinations?: Record<string, FileAssetDestination>;
}

interface AssetManifest {
  files?: Record<string, FileAsset>;
  dockerImages?: Record<string, unknown>;
}

interface AssemblyArtifact {
  type?: unknown;
  dependencies?: unknown;
  properties?: { templateFile?: unknown; stackName?: unknown; file?: unknown };
}

interface AssemblyManifest {
  artifacts?: Record<string, AssemblyArtifact>;
}

/**
 * The cloud assembly a template file belongs to, when it is a CDK-synthesized stack template with an
 * asset manifest beside it: the stack artifact in the folder's manifest.json whose `templateFile` is
 * the template's file name and that depends on an asset manifest (its `stackName` property is the
 * stack's name when the app chose one), or, without manifest.json,
 * `<Stack>.template.json` next to `<Stack>.assets.json`. Undefined for any other template.
 */
export function cdkStackOfTemplate(templatePath: string): CdkStackLocation | undefined {
  const assemblyDir = dirname(templatePath);
  const templateFile = basename(templatePath);
  const manifest = readAssemblyManifest(assemblyDir);
  if (manifest) {
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type !== STACK_ARTIFACT || artifact.properties?.templateFile !== templateFile) continue;
      if (!assetManifestFile(assemblyDir, id, manifest)) return undefined;
      const stackName = artifact.properties?.stackName;
      return { assemblyDir, stackArtifactId: id, stackName: typeof stackName === "string" ? stackName : id };
    }
    return undefined;
  }
  const stackArtifactId = /^(.+)\.template\.json$/.exec(templateFile)?.[1];
  if (stackArtifactId === undefined) return undefined;
  return existsSync(join(assemblyDir, `${stackArtifactId}.assets.json`))
    ? { assemblyDir, stackArtifactId, stackName: stackArtifactId }
    : undefined;
}

/**
 * Uploads every file asset of the stack `stackArtifactId` of the cloud assembly in `assemblyDir` to
 * its destination bucket and key, creating buckets as needed. A stack without an asset manifest has
 * nothing to publish. Throws CdkAssetError for what Stratus cannot publish, before any upload.
 */
export async function publishCdkAssets(
  assemblyDir: string,
  stackArtifactId: string,
  target: CdkAssetTarget,
): Promise<PublishedCdkAsset[]> {
  const manifestFile = assetManifestFile(assemblyDir, stackArtifactId, readAssemblyManifest(assemblyDir));
  if (!manifestFile) return [];
  const manifest = readJson<AssetManifest>(manifestFile, "asset manifest");
  const uploads = plannedUploads(assemblyDir, manifest, target);
  if (uploads.length === 0) return [];

  const sdk = await import("@aws-sdk/client-s3");
  const readyBuckets = new Map<string, Promise<void>>();
  const published: PublishedCdkAsset[] = [];
  for (const upload of uploads) {
    let ready = readyBuckets.get(upload.bucketName);
    if (!ready) {
      ready = ensureBucket(sdk, target, upload.bucketName);
      readyBuckets.set(upload.bucketName, ready);
    }
    await ready;
    published.push(await publishOne(sdk, target, upload));
  }
  return published;
}

type S3Sdk = typeof import("@aws-sdk/client-s3");

interface PlannedUpload {
  readonly assetId: string;
  readonly displayName: string | undefined;
  readonly sourcePath: string;
  readonly packaging: "zip" | "file";
  readonly bucketName: string;
  readonly objectKey: string;
}

/** Every (asset, destination) pair, placeholders replaced; the whole manifest checked first. */
function plannedUploads(
  assemblyDir: string,
  manifest: AssetManifest,
  target: CdkAssetTarget,
): PlannedUpload[] {
  const images = Object.keys(manifest.dockerImages ?? {});
  if (images.length > 0) {
    throw new CdkAssetError(
      `Stratus has no container registry: cannot publish the Docker image asset${images.length > 1 ? "s" : ""} ` +
        `${images.join(", ")} (a container image Lambda function or ECS task). Use file assets such as ` +
        "lambda.Code.fromAsset(folder) instead.",
    );
  }
  const placeholders = {
    "AWS::AccountId": target.accountId,
    "AWS::Region": target.region,
    "AWS::Partition": target.partition ?? partitionOf(target.region),
  };
  const uploads: PlannedUpload[] = [];
  for (const [assetId, asset] of Object.entries(manifest.files ?? {})) {
    const source = asset.source ?? {};
    if (source.executable !== undefined) {
      throw new CdkAssetError(
        `File asset ${assetId} is built by a command (source.executable): Stratus does not run asset build commands`,
      );
    }
    if (typeof source.path !== "string") {
      throw new CdkAssetError(`File asset ${assetId} has no source.path in the asset manifest`);
    }
    const packaging = source.packaging ?? "file";
    if (packaging !== "zip" && packaging !== "file") {
      throw new CdkAssetError(`File asset ${assetId} has unknown packaging ${JSON.stringify(packaging)}`);
    }
    const sourcePath = join(assemblyDir, source.path);
    if (!existsSync(sourcePath)) {
      throw new CdkAssetError(
        `File asset ${assetId}: ${sourcePath} does not exist (synthesize the app again)`,
      );
    }
    if (packaging === "zip" && !statSync(sourcePath).isDirectory()) {
      throw new CdkAssetError(`File asset ${assetId}: zip packaging needs a folder, ${sourcePath} is a file`);
    }
    for (const [destinationId, destination] of Object.entries(asset.destinations ?? {})) {
      if (typeof destination.bucketName !== "string" || typeof destination.objectKey !== "string") {
        throw new CdkAssetError(
          `File asset ${assetId}: destination ${destinationId} lacks bucketName or objectKey`,
        );
      }
      uploads.push({
        assetId,
        displayName: typeof asset.displayName === "string" ? asset.displayName : undefined,
        sourcePath,
        packaging,
        bucketName: replacePlaceholders(destination.bucketName, placeholders),
        objectKey: replacePlaceholders(destination.objectKey, placeholders),
      });
    }
  }
  return uploads;
}

async function publishOne(
  sdk: S3Sdk,
  target: CdkAssetTarget,
  upload: PlannedUpload,
): Promise<PublishedCdkAsset> {
  const name = upload.displayName ?? upload.assetId;
  const where = `s3://${upload.bucketName}/${upload.objectKey}`;
  const result = (uploaded: boolean, bytes: number): PublishedCdkAsset => ({
    assetId: upload.assetId,
    displayName: upload.displayName,
    bucketName: upload.bucketName,
    objectKey: upload.objectKey,
    uploaded,
    bytes,
  });
  const existing = await objectSize(sdk, target.s3, upload.bucketName, upload.objectKey);
  if (existing !== undefined) {
    target.log?.(`${name}: already published at ${where}`);
    return result(false, existing);
  }
  const body =
    upload.packaging === "zip" ? zipFolder(upload.sourcePath).bytes : readFileSync(upload.sourcePath);
  const contentType = contentTypeOf(upload.objectKey);
  await target.s3.send(
    new sdk.PutObjectCommand({
      Bucket: upload.bucketName,
      Key: upload.objectKey,
      Body: body,
      ...(contentType ? { ContentType: contentType } : {}),
    }),
  );
  target.log?.(`${name}: published ${body.byteLength} bytes to ${where}`);
  return result(true, body.byteLength);
}

/** Creates the bucket unless it exists (or another publish creates it at the same moment). */
async function ensureBucket(sdk: S3Sdk, target: CdkAssetTarget, bucket: string): Promise<void> {
  try {
    await target.s3.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await target.s3.send(
      new sdk.CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 takes no location constraint; every other region must name itself.
        ...(target.region === "us-east-1"
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: target.region as never } }),
      }),
    );
  } catch (error) {
    if (errorName(error) !== "BucketAlreadyOwnedByYou") throw error;
  }
}

async function objectSize(
  sdk: S3Sdk,
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<number | undefined> {
  try {
    const head = await s3.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength ?? 0;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The asset manifest file of a stack: its `cdk:asset-manifest` dependency, else `<Stack>.assets.json`. */
function assetManifestFile(
  assemblyDir: string,
  stackArtifactId: string,
  manifest: AssemblyManifest | undefined,
): string | undefined {
  const artifacts = manifest?.artifacts ?? {};
  const dependencies = artifacts[stackArtifactId]?.dependencies;
  for (const dependency of Array.isArray(dependencies) ? dependencies : []) {
    const artifact = typeof dependency === "string" ? artifacts[dependency] : undefined;
    const file = artifact?.properties?.file;
    if (artifact?.type === ASSET_MANIFEST_ARTIFACT && typeof file === "string") {
      const path = join(assemblyDir, file);
      if (existsSync(path)) return path;
    }
  }
  const conventional = join(assemblyDir, `${stackArtifactId}.assets.json`);
  return existsSync(conventional) ? conventional : undefined;
}

function readAssemblyManifest(assemblyDir: string): AssemblyManifest | undefined {
  const path = join(assemblyDir, "manifest.json");
  return existsSync(path) ? readJson<AssemblyManifest>(path, "cloud assembly manifest") : undefined;
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new CdkAssetError(`Cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

/** `${AWS::AccountId}`-style placeholders, as cdk-assets replaces them; others are left as they are. */
function replacePlaceholders(value: string, placeholders: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{(AWS::[A-Za-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(placeholders, name) ? (placeholders[name] as string) : whole,
  );
}

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function contentTypeOf(key: string): string | undefined {
  if (key.endsWith(".zip")) return "application/zip";
  if (key.endsWith(".json")) return "application/json";
  return undefined;
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return name === "NotFound" || name === "NoSuchBucket" || name === "NoSuchKey" || status === 404;
}
