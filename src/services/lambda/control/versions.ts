/**
 * PublishVersion (POST …/versions, 201) and ListVersionsByFunction (GET …/versions).
 *
 * PublishVersion checks RevisionId, then CodeSha256, against $LATEST; when $LATEST has not been
 * updated since the latest version was published it answers that version instead of making a new one.
 * "Updated" is any UpdateFunctionCode/UpdateFunctionConfiguration, even one that changed nothing: Lambda
 * publishes again after those (moto's tests verified against AWS, getmoto/moto#8379), so Stratus keeps
 * the $LATEST RevisionId each version was cut from under its own key:
 *
 *   ("lambda", account, region, "published-from", name) → that RevisionId (JSON string)
 *
 * Functions published before that key existed fall back to comparing code and configuration.
 * Publishing gives $LATEST a new RevisionId (LocalStack's revision tests, recorded against Lambda);
 * Publish on CreateFunction/UpdateFunctionCode always makes a version, as Lambda does
 * (`publishLatest`). The version's Description is PublishVersion's, or $LATEST's.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { tuple } from "../../../storage/tuple.ts";
import {
  codeSha256Mismatch,
  constraintText,
  functionPending,
  revisionMismatch,
  updateInProgress,
  validationErrors,
} from "../errors.ts";
import {
  type FunctionRecord,
  type FunctionSettings,
  functionArn,
  LATEST,
  type LambdaStore,
  type VersionRecord,
} from "../store.ts";
import { configuration, currentConfiguration, latestView } from "./configuration.ts";
import { decodeMarker, page, pageSize, requireFunction } from "./lookup.ts";
import { DESCRIPTION_LENGTH_MAX, optionalString } from "./validate.ts";

export interface PublishVersionInput {
  FunctionName: string;
  CodeSha256?: unknown;
  Description?: unknown;
  RevisionId?: unknown;
}

export interface ListVersionsInput {
  FunctionName: string;
  Marker?: string;
  MaxItems?: number;
}

/** ListVersionsByFunction answers at most 50 versions a page (Lambda API reference). */
export const VERSIONS_PAGE_MAX = 50;

/** Same code and configuration (a version's own Description does not count). */
function sameSettings(a: FunctionSettings, b: FunctionSettings): boolean {
  return JSON.stringify({ ...a, description: "" }) === JSON.stringify({ ...b, description: "" });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function publishedFromKey(record: FunctionRecord): Uint8Array {
  return tuple("lambda", record.accountId, record.region, "published-from", record.name);
}

/** The $LATEST RevisionId the latest version was cut from (undefined: not recorded). */
async function publishedFrom(reader: KvReader, record: FunctionRecord): Promise<string | undefined> {
  const value = await reader.get(publishedFromKey(record));
  return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as string);
}

function setPublishedFrom(tx: KvTransaction, record: FunctionRecord, revisionId: string): void {
  tx.put(publishedFromKey(record), encoder.encode(JSON.stringify(revisionId)));
}

/** Forgets the marker with the function (DeleteFunction). */
export function deletePublishedFrom(tx: KvTransaction, record: FunctionRecord): void {
  tx.delete(publishedFromKey(record));
}

/**
 * Publishes $LATEST (as `record` holds it, already stored) as the next version and remembers which
 * $LATEST revision it was cut from. CreateFunction and UpdateFunctionCode publish through this.
 */
export function publishLatest(
  store: LambdaStore,
  tx: KvTransaction,
  record: FunctionRecord,
  description?: string,
): VersionRecord {
  const version = store.publishVersion(tx, record, description);
  setPublishedFrom(tx, record, record.revisionId);
  return version;
}

/**
 * Gives $LATEST a new RevisionId for a change that is not an update of its code or configuration
 * (a policy statement added or removed), so that PublishVersion still sees it unchanged. Returns the
 * stored record.
 */
export async function reviseLatest(
  store: LambdaStore,
  tx: KvTransaction,
  record: FunctionRecord,
): Promise<FunctionRecord> {
  const next: FunctionRecord = { ...record, revisionId: store.newRevisionId() };
  store.put(tx, next);
  if ((await publishedFrom(tx, record)) === record.revisionId) setPublishedFrom(tx, next, next.revisionId);
  return next;
}

/** Whether $LATEST is still what `previous` (the latest published version) was cut from. */
async function unchangedSince(
  tx: KvReader,
  record: FunctionRecord,
  previous: VersionRecord,
): Promise<boolean> {
  const from = await publishedFrom(tx, record);
  return from === undefined ? sameSettings(previous.settings, record.settings) : from === record.revisionId;
}

export function publishVersion(store: LambdaStore) {
  return async (input: PublishVersionInput, context: RequestContext): Promise<RestJsonResult> => {
    const codeSha256 = optionalString(input.CodeSha256, "CodeSha256");
    const description = optionalString(input.Description, "Description");
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    if (description !== undefined && description.length > DESCRIPTION_LENGTH_MAX) {
      throw validationErrors([
        constraintText(
          "description",
          description,
          `Member must have length less than or equal to ${DESCRIPTION_LENGTH_MAX}`,
        ),
      ]);
    }
    const { record, version, created } = await store.storage.transaction(async (tx) => {
      const record = await requireFunction(store, context, input.FunctionName, tx);
      const now = store.nowMs();
      if (now < record.activeAtMs) throw functionPending();
      if (now < record.updatedAtMs)
        throw updateInProgress(functionArn(record.region, record.accountId, record.name));
      if (revisionId !== undefined && revisionId !== record.revisionId) throw revisionMismatch();
      if (codeSha256 !== undefined && codeSha256 !== record.settings.code.codeSha256) {
        throw codeSha256Mismatch(codeSha256, record.settings.code.codeSha256);
      }
      const previous: VersionRecord | undefined =
        record.lastVersion > 0 ? await store.getVersion(tx, record, record.lastVersion) : undefined;
      if (previous && (await unchangedSince(tx, record, previous))) {
        return { record, version: previous, created: false };
      }
      const version = store.publishVersion(tx, record, description);
      // $LATEST's RevisionId moves on with each version published from it.
      const latest: FunctionRecord = { ...record, revisionId: store.newRevisionId() };
      store.put(tx, latest);
      setPublishedFrom(tx, latest, latest.revisionId);
      return { record: latest, version, created: true };
    });
    const body = configuration({
      record,
      settings: version.settings,
      version: String(version.version),
      revisionId: version.revisionId,
      lastModifiedMs: version.lastModifiedMs,
      state: created ? "Pending" : "Active",
      lastUpdateStatus: "Successful",
    });
    return { status: 201, body };
  };
}

export function listVersionsByFunction(store: LambdaStore) {
  return async (input: ListVersionsInput, context: RequestContext): Promise<RestJsonResult> => {
    const limit = pageSize(input.MaxItems, VERSIONS_PAGE_MAX);
    const after = decodeMarker(optionalString(input.Marker, "Marker"));
    const record = await requireFunction(store, context, input.FunctionName, store.storage, false);
    const versions = await store.listVersions(store.storage, record);
    const keys = [LATEST, ...versions.map((v) => String(v.version))];
    const result = page(keys, (key) => key, after, limit);
    const now = store.nowMs();
    const byNumber = new Map(versions.map((v) => [String(v.version), v]));
    const items = result.items.map((key) => {
      const version = byNumber.get(key);
      if (!version) return currentConfiguration({ ...latestView(record), alias: LATEST }, now, true);
      return currentConfiguration(
        {
          record,
          settings: version.settings,
          version: key,
          revisionId: version.revisionId,
          lastModifiedMs: version.lastModifiedMs,
        },
        now,
        true,
      );
    });
    const body: Record<string, unknown> = { Versions: items };
    if (result.nextMarker !== undefined) body.NextMarker = result.nextMarker;
    return { body };
  };
}
