/**
 * Applies lifecycle rules in the background, as S3's asynchronous lifecycle process does, every
 * `intervalMs` by the injected clock's time (tests advance a ManualClock):
 *
 * - Expiration (Days / Date) of a current object: deleted in a never-versioned bucket
 *   (s3:LifecycleExpiration:Delete); a delete marker added in a versioned one
 *   (s3:LifecycleExpiration:DeleteMarkerCreated).
 * - ExpiredObjectDeleteMarker: a current delete marker with no other versions is removed; so is one
 *   old enough for an Expiration Days rule ("S3 automatically performs ExpiredObjectDeleteMarker
 *   cleanup when the delete markers are old enough", user guide).
 * - NoncurrentVersionExpiration: a version noncurrent for NoncurrentDays (rounded up to midnight UTC)
 *   is removed for good.
 * - AbortIncompleteMultipartUpload: uploads older than DaysAfterInitiation are aborted.
 *
 * S3 sends no ObjectRemoved events for lifecycle actions, only the LifecycleExpiration ones (user
 * guide, "Event notification types"). Each change is its own transaction that re-reads the key, so a
 * write racing the sweep wins. A pass reads every key of every bucket with rules: fine for
 * development-sized buckets.
 */
import type { Clock } from "../../../aws/clock.ts";
import { tupleRange } from "../../../storage/tuple.ts";
import type { S3Parts } from "../context.ts";
import { removeBlobs } from "../object-writes.ts";
import { type DeleteMarkerRecord, isDeleteMarker, type VersionRecord } from "../store.ts";
import { deleteVersion, writeVersion } from "../versioning/versions.ts";
import { dueAfterDays, expiryOf, type LifecycleConfig, type LifecycleRule, ruleApplies } from "./config.ts";

/** Lifecycle actions are performed by S3 itself: events name it as the principal. */
const LIFECYCLE_PRINCIPAL = "s3.amazonaws.com";

export class LifecycleSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly s3: S3Parts,
    private readonly clock: Clock,
  ) {}

  /** Sweeps every `intervalMs` until `stop()`. */
  start(intervalMs: number): void {
    if (this.#timer !== undefined || intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.sweep().catch((error: Error) =>
        this.s3.logger.warn(`S3 lifecycle sweep failed: ${error.message}`),
      );
    }, intervalMs);
    this.#timer.unref(); // never keeps the process alive on its own
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One pass over every bucket with lifecycle rules; resolves to the number of changes made. */
  sweep(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const { store } = this.s3;
    let changes = 0;
    const buckets: string[] = [];
    for await (const bucket of store.bucketsWithConfig(store.storage, "lifecycle")) buckets.push(bucket);
    for (const bucket of buckets) {
      const config = await store.getConfig<LifecycleConfig>(store.storage, "lifecycle", bucket);
      const rules = config?.rules.filter((rule) => rule.status === "Enabled") ?? [];
      if (rules.length === 0) continue;
      const keys: string[] = [];
      const all = tupleRange("s3", "object", bucket);
      for await (const latest of store.latestBetween(store.storage, all.start, all.end))
        keys.push(latest.key);
      for (const key of keys) changes += await this.#sweepKey(bucket, key, rules);
      changes += await this.#abortUploads(bucket, rules);
    }
    return changes;
  }

  async #sweepKey(bucket: string, key: string, rules: LifecycleRule[]): Promise<number> {
    const { store } = this.s3;
    const now = this.clock.now().getTime();
    let changes = 0;
    // Noncurrent versions first: expiring them can leave a lone delete marker to clean up below.
    const noncurrent: VersionRecord[] = [];
    for await (const version of store.noncurrent(store.storage, bucket, key)) noncurrent.push(version);
    for (const version of noncurrent) {
      const due = rules.some(
        (rule) =>
          rule.noncurrentDays !== undefined &&
          ruleApplies(rule, {
            key,
            ...(isDeleteMarker(version) ? {} : { tags: version.tags, size: version.size }),
          }) &&
          dueAfterDays(version.noncurrentSince ?? version.lastModified, rule.noncurrentDays) <= now,
      );
      if (due && (await this.#removeVersion(bucket, version, now))) changes++;
    }
    const latest = await store.getLatest(store.storage, bucket, key);
    if (!latest) return changes;
    if (isDeleteMarker(latest)) {
      // A marker with no versions left behind it: removed by ExpiredObjectDeleteMarker, or by an
      // Expiration Days rule once the marker is that old (user guide, "Managing delete markers").
      const expire = rules.some(
        (rule) =>
          ruleApplies(rule, { key }) &&
          (rule.expiredObjectDeleteMarker === true ||
            (rule.expirationDays !== undefined &&
              dueAfterDays(latest.lastModified, rule.expirationDays) <= now)),
      );
      if (expire && (await this.#isLone(bucket, key)) && (await this.#removeVersion(bucket, latest, now)))
        changes++;
      return changes;
    }
    const due = rules.some((rule) => {
      const at = ruleApplies(rule, latest) ? expiryOf(rule, latest.lastModified) : undefined;
      return at !== undefined && at <= now;
    });
    if (due && (await this.#expireCurrent(bucket, latest.key, latest.seq ?? 0, now))) changes++;
    return changes;
  }

  async #isLone(bucket: string, key: string): Promise<boolean> {
    for await (const _ of this.s3.store.noncurrent(this.s3.store.storage, bucket, key)) return false;
    return true;
  }

  /** Removes one version for good, unless it changed meanwhile; reports LifecycleExpiration:Delete. */
  async #removeVersion(bucket: string, version: VersionRecord, now: number): Promise<boolean> {
    const { store } = this.s3;
    const versionId = version.versionId ?? "null";
    const result = await store.storage.transaction(async (tx) => {
      if (!(await store.getBucket(tx, bucket))) return undefined;
      const versioning = await store.getVersioning(tx, bucket);
      const change = await deleteVersion(store, tx, bucket, version.key, versionId);
      return change.removed ? { change, versioning } : undefined;
    });
    if (!result) return false;
    await removeBlobs(this.s3, result.change.orphanedBlobs);
    await this.#notify(bucket, "LifecycleExpiration:Delete", version.key, now, result.versioning, versionId);
    return true;
  }

  /** Expires the current object: deleted, or hidden behind a new delete marker in versioned buckets. */
  async #expireCurrent(bucket: string, key: string, seq: number, now: number): Promise<boolean> {
    const { store } = this.s3;
    const result = await store.storage.transaction(async (tx) => {
      if (!(await store.getBucket(tx, bucket))) return undefined;
      const latest = await store.getLatest(tx, bucket, key);
      // Rewritten or deleted since it was read: the new version is judged on the next pass.
      if (!latest || isDeleteMarker(latest) || (latest.seq ?? 0) !== seq) return undefined;
      const versioning = await store.getVersioning(tx, bucket);
      if (versioning === undefined) {
        await store.deleteObject(tx, bucket, key);
        return { orphaned: [latest.blob], versioning, marker: undefined };
      }
      const marker: DeleteMarkerRecord = {
        v: 1,
        key,
        deleteMarker: true,
        lastModified: Math.floor(now / 1000) * 1000,
        owner: latest.owner,
      };
      const { orphanedBlobs } = await writeVersion(store, tx, bucket, versioning, marker);
      return { orphaned: orphanedBlobs, versioning, marker };
    });
    if (!result) return false;
    await removeBlobs(this.s3, result.orphaned);
    if (result.marker) {
      await this.#notify(
        bucket,
        "LifecycleExpiration:DeleteMarkerCreated",
        key,
        now,
        result.versioning,
        result.marker.versionId ?? "null",
      );
    } else {
      await this.#notify(bucket, "LifecycleExpiration:Delete", key, now, result.versioning, undefined);
    }
    return true;
  }

  async #abortUploads(bucket: string, rules: LifecycleRule[]): Promise<number> {
    const { store, multipart } = this.s3;
    const now = this.clock.now().getTime();
    const candidates = [];
    for await (const upload of multipart.uploads(store.storage, bucket)) {
      const due = rules.some(
        (rule) =>
          rule.abortDays !== undefined &&
          ruleApplies(rule, { key: upload.key }) &&
          dueAfterDays(upload.initiated, rule.abortDays) <= now,
      );
      if (due) candidates.push(upload);
    }
    let aborted = 0;
    for (const upload of candidates) {
      const parts = await store.storage.transaction(async (tx) => {
        const current = await multipart.getUpload(tx, bucket, upload.key, upload.uploadId);
        return current ? multipart.deleteUpload(tx, bucket, current) : undefined;
      });
      if (!parts) continue;
      await removeBlobs(
        this.s3,
        parts.map((part) => part.blob),
      );
      aborted++;
    }
    return aborted;
  }

  #notify(
    bucket: string,
    eventName: string,
    key: string,
    now: number,
    versioning: string | undefined,
    versionId: string | undefined,
  ): Promise<void> {
    return this.s3.notifier.emit({
      bucket,
      eventName,
      key,
      ...(versioning !== undefined ? { versionId: versionId ?? "null" } : {}),
      principalId: LIFECYCLE_PRINCIPAL,
      sourceIp: LIFECYCLE_PRINCIPAL,
      requestId: randomRequestId(),
      timeMs: now,
    });
  }
}

function randomRequestId(): string {
  return Array.from({ length: 16 }, () => "0123456789ABCDEF"[Math.floor(Math.random() * 16)]).join("");
}
