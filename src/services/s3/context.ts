/** What every S3 operation is built with (metadata, body files, the log), and canonical owner ids. */
import { createHash } from "node:crypto";
import type { Logger } from "../../log.ts";
import type { BlobFiles } from "./blobs.ts";
import type { MultipartStore } from "./multipart-store.ts";
import type { S3Notifier } from "./notifications/notifier.ts";
import type { S3Store } from "./store.ts";

export interface S3Parts {
  readonly store: S3Store;
  readonly blobs: BlobFiles;
  readonly multipart: MultipartStore;
  readonly logger: Logger;
  /** Event notifications (notifications/notifier.ts): writes and deletes report here after committing. */
  readonly notifier: S3Notifier;
}

/**
 * An account's canonical user id: S3 shows owners as 64 hex characters, not account numbers. Derived
 * from the account so it is stable across restarts and the same wherever it appears.
 */
export function canonicalUserId(account: string): string {
  return createHash("sha256").update(`stratus-s3-owner:${account}`).digest("hex");
}

export function ownerXml(account: string): string {
  return `<Owner><ID>${canonicalUserId(account)}</ID></Owner>`;
}
