/**
 * What an operation knows about the request it serves, independent of HTTP: who (account, access
 * key), where (region), which request (id), and when (the injected clock).
 */
import type { Clock } from "./clock.ts";

export interface RequestContext {
  readonly requestId: string;
  readonly accountId: string;
  readonly region: string;
  /** Absent for anonymous requests (public S3 objects, API Gateway invoke URLs). */
  readonly accessKeyId: string | undefined;
  readonly receivedAt: Date;
  readonly clock: Clock;
}
