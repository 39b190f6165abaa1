/**
 * DeleteObject (204 whether or not the key existed) and DeleteObjects (up to 1,000 keys per request,
 * `Quiet` reporting only failures). Each key's metadata goes in one transaction per request; the
 * bodies are removed after it commits, then the ObjectRemoved notifications go out. In a versioned
 * bucket a delete without a version id adds a delete marker; one with a version id removes that
 * version for good (versioning/versions.ts).
 *
 * ## Gaps
 * - A delete that changed nothing (no such key or version) sends no notification.
 * - DeleteObjects does not insist on Content-MD5 or a checksum header (S3 does); one that is sent
 *   is checked.
 */
import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import { etagMatches } from "../conditions.ts";
import type { S3Parts } from "../context.ts";
import { invalidVersionId, KEY_BYTES_MAX, malformedXml, noSuchKey, preconditionFailed } from "../errors.ts";
import { notifyObjectEvent } from "../notifications/emit.ts";
import { removeBlobs } from "../object-writes.ts";
import { header, queryValue, readSmallBody } from "../request.ts";
import { digestMismatch, digestsOf, expectedDigests } from "../upload-digest.ts";
import { type DeleteOutcome, deleteInTransaction } from "../versioning/delete.ts";
import { isWellFormedVersionId } from "../versioning/versions.ts";
import { child, el, parseXml, xmlDocument } from "../xml.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

/** DeleteObjects API reference: "up to 1,000 keys". */
const KEYS_PER_REQUEST_MAX = 1000;

export function deleteObject(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    const versionId = queryValue(request, "versionId");
    if (versionId !== undefined && !isWellFormedVersionId(versionId)) throw invalidVersionId(versionId);
    const ifMatch = header(request, "if-match");
    const outcome = await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      if (ifMatch !== undefined) {
        const existing = await s3.store.getObject(tx, bucket.name, key);
        if (!existing) throw noSuchKey(key);
        if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed("If-Match");
      }
      return deleteInTransaction(s3, tx, bucket.name, key, versionId, request.context);
    });
    await removeBlobs(s3, outcome.orphanedBlobs);
    await notifyDeletion(s3, request, bucket.name, key, outcome);
    const headers: Record<string, string> = {};
    if (outcome.deleteMarker) headers["x-amz-delete-marker"] = "true";
    if (outcome.versionId !== undefined) headers["x-amz-version-id"] = outcome.versionId;
    return { status: 204, headers };
  };
}

function notifyDeletion(
  s3: S3Parts,
  request: ServiceRequest,
  bucket: string,
  key: string,
  outcome: DeleteOutcome,
): Promise<void> {
  if (!outcome.event) return Promise.resolve();
  return notifyObjectEvent(s3, request, bucket, outcome.event, {
    key,
    versioning: outcome.versioning,
    ...(outcome.versionId !== undefined ? { versionId: outcome.versionId } : {}),
  });
}

interface DeleteEntry {
  key: string;
  versionId?: string;
}

export function deleteObjects(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const { entries, quiet } = await readDeleteDocument(request);
    const deleted: { entry: DeleteEntry; outcome: DeleteOutcome }[] = [];
    const failed: { entry: DeleteEntry; error: AwsError }[] = [];
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      for (const entry of entries) {
        const problem = entryProblem(entry);
        if (problem) {
          failed.push({ entry, error: problem });
          continue;
        }
        const outcome = await deleteInTransaction(
          s3,
          tx,
          bucket.name,
          entry.key,
          entry.versionId,
          request.context,
        );
        deleted.push({ entry, outcome });
      }
    });
    await removeBlobs(
      s3,
      deleted.flatMap(({ outcome }) => outcome.orphanedBlobs),
    );
    for (const { entry, outcome } of deleted)
      await notifyDeletion(s3, request, bucket.name, entry.key, outcome);
    const deletedXml = quiet
      ? ""
      : deleted.map(({ entry, outcome }) => deletedXmlOf(entry, outcome)).join("");
    const errorsXml = failed
      .map(
        ({ entry, error }) =>
          `<Error>${el("Key", entry.key)}${el("VersionId", entry.versionId)}${el("Code", error.code)}${el("Message", error.message)}</Error>`,
      )
      .join("");
    return xmlResponse(xmlDocument("DeleteResult", deletedXml + errorsXml));
  };
}

/** `<Deleted>`: the version named, or for a new marker DeleteMarker and DeleteMarkerVersionId. */
function deletedXmlOf(entry: DeleteEntry, outcome: DeleteOutcome): string {
  const marker =
    entry.versionId === undefined && outcome.deleteMarker
      ? el("DeleteMarker", true) + el("DeleteMarkerVersionId", outcome.versionId)
      : outcome.deleteMarker
        ? el("DeleteMarker", true) + el("DeleteMarkerVersionId", entry.versionId)
        : "";
  return `<Deleted>${el("Key", entry.key)}${el("VersionId", entry.versionId)}${marker}</Deleted>`;
}

function entryProblem(entry: DeleteEntry): AwsError | undefined {
  if (Buffer.byteLength(entry.key) > KEY_BYTES_MAX)
    return new AwsError("KeyTooLongError", "Your key is too long", 400);
  if (entry.versionId !== undefined && !isWellFormedVersionId(entry.versionId))
    return invalidVersionId(entry.versionId);
  return undefined;
}

/** The `<Delete>` document: 1 to 1,000 `<Object><Key>` entries, optional `<Quiet>`. */
async function readDeleteDocument(
  request: Parameters<OperationHandler>[0],
): Promise<{ entries: DeleteEntry[]; quiet: boolean }> {
  const expected = expectedDigests(request);
  if (expected instanceof AwsError) {
    await readSmallBody(request).catch(() => undefined);
    throw expected;
  }
  const body = await readSmallBody(request);
  const mismatch = digestMismatch(expected, await digestsOf(body, expected.algorithm));
  if (mismatch) throw mismatch;
  const root = parseXml(body.toString("utf8"));
  if (root.name !== "Delete") throw malformedXml();
  const objects = root.children.filter((c) => c.name === "Object");
  if (objects.length === 0 || objects.length > KEYS_PER_REQUEST_MAX) throw malformedXml();
  const entries = objects.map((object): DeleteEntry => {
    const key = child(object, "Key");
    if (!key || key.text === "") throw malformedXml();
    const versionId = child(object, "VersionId")?.text;
    return versionId === undefined ? { key: key.text } : { key: key.text, versionId };
  });
  const quiet = child(root, "Quiet")?.text.trim().toLowerCase() === "true";
  return { entries, quiet };
}
