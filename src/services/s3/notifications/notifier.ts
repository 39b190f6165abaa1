/**
 * Delivers S3 event notifications to Lambda. S3 is built before Lambda (Lambda reads code from S3),
 * so the destination is bound late: the registry calls `connect()` once Lambda exists. Until then,
 * and for buckets without a configuration, events go nowhere.
 *
 * Delivery goes through Lambda's durable async-invoke queue, as S3 invokes functions asynchronously
 * on AWS: retries, maximum event age and on-failure destinations apply. An event is handed over after
 * the write it describes committed; a failure to hand it over is logged, never the write's error.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../../aws/clock.ts";
import type { Logger } from "../../../log.ts";
import type { S3Store } from "../store.ts";
import { configMatches, type NotificationConfig } from "./config.ts";
import { type ObjectEvent, s3EventRecord } from "./event-record.ts";

/** Where notifications go: Lambda, bound in registry.ts. */
export interface NotificationTarget {
  /** Whether the function (ARN, possibly qualified) exists. */
  functionExists(functionArn: string): Promise<boolean>;
  /** Queues an asynchronous invocation of the function with this payload. */
  invokeAsync(functionArn: string, payload: Buffer): Promise<void>;
}

export class S3Notifier {
  #target: NotificationTarget | undefined;
  /** Sequencers grow within a process: S3 only promises order per key (user guide, event structure). */
  #counter = 0;

  constructor(
    private readonly store: S3Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  connect(target: NotificationTarget): void {
    this.#target = target;
  }

  /** The ARNs among these that name no function (all of them while nothing is connected). */
  async missingFunctions(arns: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const arn of arns) {
      if (!this.#target || !(await this.#target.functionExists(arn))) missing.push(arn);
    }
    return missing;
  }

  /** Sends the event to every function configured for it; never throws. */
  async emit(
    event: Omit<ObjectEvent, "sequencer" | "timeMs" | "hostId"> & { timeMs?: number },
  ): Promise<void> {
    try {
      const config = await this.store.getConfig<NotificationConfig>(
        this.store.storage,
        "notification",
        event.bucket,
      );
      if (!config || config.functions.length === 0 || !this.#target) return;
      const bucket = await this.store.getBucket(this.store.storage, event.bucket);
      if (!bucket) return;
      const timeMs = event.timeMs ?? this.clock.now().getTime();
      const full: ObjectEvent = {
        ...event,
        timeMs,
        sequencer: (BigInt(timeMs) * 1_000_000n + BigInt(this.#counter++ % 1_000_000))
          .toString(16)
          .toUpperCase()
          .padStart(18, "0"),
        hostId: randomBytes(48).toString("base64"),
      };
      for (const fn of config.functions) {
        if (!configMatches(fn, event.eventName, event.key)) continue;
        const payload = Buffer.from(JSON.stringify(s3EventRecord(full, bucket, fn.id)));
        await this.#target.invokeAsync(fn.functionArn, payload);
      }
    } catch (error) {
      this.logger.warn(
        `S3: notification for ${event.bucket}/${event.key} not delivered: ${(error as Error).message}`,
      );
    }
  }
}
