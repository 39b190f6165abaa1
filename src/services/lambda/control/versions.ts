/**
 * PublishVersion (POST …/versions, 201) and ListVersionsByFunction (GET …/versions).
 *
 * PublishVersion checks RevisionId, then CodeSha256, against $LATEST; when $LATEST's code and
 * configuration are those of the latest published version it answers that version instead of making a
 * new one (as Lambda does). The version's Description is PublishVersion's, or $LATEST's.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import {
  codeSha256Mismatch,
  constraintText,
  functionPending,
  revisionMismatch,
  updateInProgress,
  validationErrors,
} from "../errors.ts";
import {
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
      if (previous && sameSettings(previous.settings, record.settings)) {
        return { record, version: previous, created: false };
      }
      return { record, version: store.publishVersion(tx, record, description), created: true };
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
