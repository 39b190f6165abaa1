/**
 * PublishLayerVersion (POST /2018-10-31/layers/{LayerName}/versions, 201), GetLayerVersion,
 * GetLayerVersionByArn (GET /2018-10-31/layers?find=LayerVersion&Arn=…), ListLayers, ListLayerVersions
 * and DeleteLayerVersion (204).
 *
 * Answers follow the shapes LocalStack recorded from Lambda: Description is always present (""),
 * LicenseInfo / CompatibleRuntimes / CompatibleArchitectures only when given, CreatedDate as
 * `2024-01-01T00:00:00.000+0000`, Content {Location, CodeSha256, CodeSize}. ListLayerVersions lists the
 * newest version first; ListLayers answers each layer with its newest version matching the filters.
 *
 * ## Gaps
 * - Content from S3 is read through Stratus's S3 (code/s3-code.ts); Content.Location is a Stratus
 *   URL naming the stored zip, which Stratus does not serve yet.
 * - Another account's layer version is readable (GetLayerVersion, GetLayerVersionByArn) when its
 *   policy grants the caller's account; ListLayerVersions lists the caller's own layers only.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { S3Api } from "../../s3/api.ts";
import type { ServiceRequest } from "../../service.ts";
import { codeFromS3 } from "../code/s3-code.ts";
import { lastModified } from "../control/configuration.ts";
import {
  DESCRIPTION_LENGTH_MAX,
  optionalString,
  optionalStringList,
  throwIfAny,
} from "../control/validate.ts";
import {
  constraintText,
  layerContentMissing,
  layerResourceNotFound,
  layerVersionBelowOne,
  serializationError,
  validationException,
} from "../errors.ts";
import type { LambdaStore } from "../store.ts";
import {
  compatibleArchitecturesConstraints,
  compatibleRuntimesConstraints,
  LICENSE_INFO_LENGTH_MAX,
  layerNameConstraints,
  listFilterConstraints,
  locateLayer,
  parseLayerVersionArn,
  versionNumberOf,
} from "./layer-names.ts";
import {
  deleteLayerVersionRecord,
  getLayer,
  getLayerVersion,
  LAYER_FORMAT_VERSION,
  type LayerVersionRecord,
  layerArn,
  layerVersionArn,
  listLayerVersions,
  putLayer,
  putLayerVersion,
} from "./layer-store.ts";
import { policyGrants } from "./policy-grants.ts";

export interface PublishLayerVersionInput {
  LayerName: string;
  Description?: unknown;
  Content?: unknown;
  CompatibleRuntimes?: unknown;
  LicenseInfo?: unknown;
  CompatibleArchitectures?: unknown;
}

export interface LayerVersionInput {
  LayerName: string;
  VersionNumber: unknown;
}

export interface ListLayersInput {
  CompatibleRuntime?: unknown;
  CompatibleArchitecture?: unknown;
  Marker?: unknown;
  MaxItems?: unknown;
}

export interface ListLayerVersionsInput extends ListLayersInput {
  LayerName: string;
}

/** The list operations answer at most 50 items a page (the model's MaxLayerListItems). */
export const LAYERS_PAGE_MAX = 50;

/** GetLayerVersionByArn's pattern as Lambda quotes it (LocalStack's provider). */
const BY_ARN_PATTERN =
  "arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";

function baseUrl(request: ServiceRequest): string {
  return `http://${request.headers.host ?? "localhost"}`;
}

/** The fields a layer version shows in ListLayerVersions (and ListLayers' LatestMatchingVersion). */
function listItem(record: LayerVersionRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LayerVersionArn: layerVersionArn(record),
    Version: record.version,
    Description: record.description,
    CreatedDate: lastModified(record.createdMs),
  };
  if (record.compatibleRuntimes?.length) out.CompatibleRuntimes = [...record.compatibleRuntimes];
  if (record.licenseInfo !== undefined) out.LicenseInfo = record.licenseInfo;
  if (record.compatibleArchitectures?.length)
    out.CompatibleArchitectures = [...record.compatibleArchitectures];
  return out;
}

/** PublishLayerVersion's and GetLayerVersion's answer. */
export function layerVersionOutput(
  record: LayerVersionRecord,
  request: ServiceRequest,
): Record<string, unknown> {
  const { LayerVersionArn, Version, Description, CreatedDate, ...rest } = listItem(record);
  return {
    Content: {
      Location: `${baseUrl(request)}/_stratus/lambda/code/${record.code.sha256Hex}.zip`,
      CodeSha256: record.code.codeSha256,
      CodeSize: record.code.codeSize,
    },
    LayerArn: layerArn(record.region, record.accountId, record.name),
    LayerVersionArn,
    Description,
    CreatedDate,
    Version,
    ...rest,
  };
}

function structure(value: unknown, member: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError(member);
  return value as Record<string, unknown>;
}

function matches(record: LayerVersionRecord, runtime?: string, architecture?: string): boolean {
  if (runtime !== undefined && !(record.compatibleRuntimes ?? []).includes(runtime)) return false;
  if (architecture !== undefined && !(record.compatibleArchitectures ?? []).includes(architecture))
    return false;
  return true;
}

function pageSize(value: unknown): number {
  if (value === undefined || value === null) return LAYERS_PAGE_MAX;
  if (typeof value !== "number" || !Number.isInteger(value)) throw serializationError("MaxItems");
  if (value < 1 || value > LAYERS_PAGE_MAX) {
    const bound = value < 1 ? "greater than or equal to 1" : `less than or equal to ${LAYERS_PAGE_MAX}`;
    throwIfAny([constraintText("maxItems", String(value), `Member must have value ${bound}`)]);
  }
  return value;
}

/** Markers are opaque to clients: the last key of the previous page, base64url-encoded. */
function encodeMarker(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

function decodeMarker(value: unknown): string | undefined {
  const marker = optionalString(value, "Marker");
  return marker === undefined || marker === ""
    ? undefined
    : Buffer.from(marker, "base64url").toString("utf8");
}

function onePage<T>(items: readonly T[], keyOf: (item: T) => string, marker: unknown, limit: number) {
  const after = decodeMarker(marker);
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) === after) + 1;
  const slice = items.slice(start, start + limit);
  const last = slice.at(-1);
  const nextMarker =
    start + limit < items.length && last !== undefined ? encodeMarker(keyOf(last)) : undefined;
  return { slice, nextMarker };
}

/** `s3`: where Content.S3Bucket/S3Key are read from (absent when Lambda is built without S3). */
export function publishLayerVersion(store: LambdaStore, s3?: S3Api) {
  return async (
    input: PublishLayerVersionInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    const description = optionalString(input.Description, "Description");
    const licenseInfo = optionalString(input.LicenseInfo, "LicenseInfo");
    const runtimes = optionalStringList(input.CompatibleRuntimes, "CompatibleRuntimes");
    const architectures = optionalStringList(input.CompatibleArchitectures, "CompatibleArchitectures");
    const content = structure(input.Content, "Content");
    const messages = layerNameConstraints(input.LayerName);
    if (description !== undefined && description.length > DESCRIPTION_LENGTH_MAX) {
      messages.push(
        constraintText(
          "description",
          description,
          `Member must have length less than or equal to ${DESCRIPTION_LENGTH_MAX}`,
        ),
      );
    }
    if (content === undefined) {
      messages.push(constraintText("content", undefined, "Member must not be null"));
    }
    messages.push(...compatibleRuntimesConstraints(runtimes ?? []));
    if (licenseInfo !== undefined && licenseInfo.length > LICENSE_INFO_LENGTH_MAX) {
      messages.push(
        constraintText(
          "licenseInfo",
          licenseInfo,
          `Member must have length less than or equal to ${LICENSE_INFO_LENGTH_MAX}`,
        ),
      );
    }
    messages.push(...compatibleArchitecturesConstraints(architectures ?? []));
    throwIfAny(messages);

    const zipText = optionalString(content?.ZipFile, "Content.ZipFile");
    const fromS3 = content?.S3Bucket !== undefined || content?.S3Key !== undefined;
    if (zipText === undefined && !fromS3) throw layerContentMissing();
    const location = locateLayer(context, input.LayerName);
    // A layer ARN of another account or region names no layer this caller may publish to.
    if (location.accountId !== context.accountId || location.region !== context.region) {
      throw layerResourceNotFound();
    }
    const code =
      zipText !== undefined
        ? await store.code.put(Buffer.from(zipText, "base64"))
        : await codeFromS3(
            store.code,
            s3,
            { bucket: content?.S3Bucket, key: content?.S3Key, version: content?.S3ObjectVersion },
            { hotReload: false },
          );
    const record = await store.storage.transaction(async (tx) => {
      const layer = (await getLayer(tx, context.accountId, context.region, location.name)) ?? {
        v: LAYER_FORMAT_VERSION,
        name: location.name,
        lastVersion: 0,
      };
      layer.lastVersion += 1;
      const version: LayerVersionRecord = {
        v: LAYER_FORMAT_VERSION,
        accountId: context.accountId,
        region: context.region,
        name: location.name,
        version: layer.lastVersion,
        description: description ?? "",
        ...(licenseInfo !== undefined ? { licenseInfo } : {}),
        ...(runtimes !== undefined ? { compatibleRuntimes: runtimes } : {}),
        ...(architectures !== undefined ? { compatibleArchitectures: architectures } : {}),
        createdMs: store.nowMs(),
        code,
      };
      putLayer(tx, context.accountId, context.region, layer);
      putLayerVersion(tx, version);
      return version;
    });
    return { status: 201, body: layerVersionOutput(record, request) };
  };
}

/** The layer version a (LayerName, VersionNumber) pair names, or undefined. */
export async function findLayerVersion(
  store: LambdaStore,
  context: RequestContext,
  input: LayerVersionInput,
  shared = false,
): Promise<{ record: LayerVersionRecord | undefined; version: number; arn: string }> {
  throwIfAny(layerNameConstraints(input.LayerName));
  const version = versionNumberOf(input.VersionNumber);
  const location = locateLayer(context, input.LayerName);
  const arn = `${layerArn(location.region, location.accountId, location.name)}:${version}`;
  if (location.region !== context.region || version < 1) return { record: undefined, version, arn };
  // Another account's layer version is readable when its policy grants it (`shared` reads only).
  if (location.accountId !== context.accountId && !shared) return { record: undefined, version, arn };
  const record = await getLayerVersion(
    store.storage,
    location.accountId,
    location.region,
    location.name,
    version,
  );
  if (record && location.accountId !== context.accountId && !policyGrants(record, context.accountId)) {
    return { record: undefined, version, arn };
  }
  return { record, version, arn };
}

export function getLayerVersionOperation(store: LambdaStore) {
  return async (
    input: LayerVersionInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    const { record, version } = await findLayerVersion(store, context, input, true);
    if (version < 1) throw layerVersionBelowOne();
    if (!record) throw layerResourceNotFound();
    return { body: layerVersionOutput(record, request) };
  };
}

export function getLayerVersionByArn(store: LambdaStore) {
  return async (
    input: { Arn?: unknown },
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    const arn = optionalString(input.Arn, "Arn") ?? "";
    const parsed = parseLayerVersionArn(arn);
    if (!parsed || arn.length > 140) {
      throw validationException(
        `1 validation error detected: ${constraintText("arn", arn, `Member must satisfy regular expression pattern: ${BY_ARN_PATTERN}`)}`,
      );
    }
    if (parsed.region !== context.region) throw layerResourceNotFound();
    const record = await getLayerVersion(
      store.storage,
      parsed.accountId,
      parsed.region,
      parsed.name,
      parsed.version,
    );
    if (!record) throw layerResourceNotFound();
    if (parsed.accountId !== context.accountId && !policyGrants(record, context.accountId)) {
      throw layerResourceNotFound();
    }
    return { body: layerVersionOutput(record, request) };
  };
}

function filters(input: ListLayersInput): { runtime?: string; architecture?: string } {
  const runtime = optionalString(input.CompatibleRuntime, "CompatibleRuntime");
  const architecture = optionalString(input.CompatibleArchitecture, "CompatibleArchitecture");
  throwIfAny(listFilterConstraints(runtime, architecture));
  return {
    ...(runtime !== undefined ? { runtime } : {}),
    ...(architecture !== undefined ? { architecture } : {}),
  };
}

export function listLayers(store: LambdaStore) {
  return async (input: ListLayersInput, context: RequestContext): Promise<RestJsonResult> => {
    const { runtime, architecture } = filters(input);
    const limit = pageSize(input.MaxItems);
    const all = await listLayerVersions(store.storage, context.accountId, context.region);
    // Versions come in name, then version order: the last match of each name is its newest.
    const newest = new Map<string, LayerVersionRecord>();
    for (const record of all) {
      if (matches(record, runtime, architecture)) newest.set(record.name, record);
    }
    const layers = [...newest.values()];
    const { slice, nextMarker } = onePage(layers, (r) => r.name, input.Marker, limit);
    const body: Record<string, unknown> = {
      Layers: slice.map((record) => ({
        LayerName: record.name,
        LayerArn: layerArn(record.region, record.accountId, record.name),
        LatestMatchingVersion: listItem(record),
      })),
    };
    if (nextMarker !== undefined) body.NextMarker = nextMarker;
    return { body };
  };
}

export function listLayerVersionsOperation(store: LambdaStore) {
  return async (input: ListLayerVersionsInput, context: RequestContext): Promise<RestJsonResult> => {
    const { runtime, architecture } = filters(input);
    throwIfAny(layerNameConstraints(input.LayerName));
    const limit = pageSize(input.MaxItems);
    const location = locateLayer(context, input.LayerName);
    const readable = location.accountId === context.accountId && location.region === context.region;
    const versions = readable
      ? await listLayerVersions(store.storage, location.accountId, location.region, location.name)
      : [];
    const newestFirst = versions.filter((r) => matches(r, runtime, architecture)).reverse();
    const { slice, nextMarker } = onePage(newestFirst, (r) => String(r.version), input.Marker, limit);
    const body: Record<string, unknown> = { LayerVersions: slice.map(listItem) };
    if (nextMarker !== undefined) body.NextMarker = nextMarker;
    return { body };
  };
}

export function deleteLayerVersion(store: LambdaStore) {
  return async (input: LayerVersionInput, context: RequestContext): Promise<RestJsonResult> => {
    throwIfAny(layerNameConstraints(input.LayerName));
    const version = versionNumberOf(input.VersionNumber);
    if (version < 1) throw layerVersionBelowOne();
    const location = locateLayer(context, input.LayerName);
    // Deleting what does not exist (or is not the caller's) succeeds, as on Lambda.
    if (location.accountId === context.accountId && location.region === context.region) {
      await store.storage.transaction((tx) => {
        deleteLayerVersionRecord(tx, location.accountId, location.region, location.name, version);
      });
    }
    return { status: 204 };
  };
}
