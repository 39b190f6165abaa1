/** What the edge's steps share for the lifetime of the server. */

import type { Clock } from "../aws/clock.ts";
import type { CredentialStore } from "../aws/credentials.ts";
import type { Logger } from "../log.ts";
import type { ServiceDefinition } from "../services/service.ts";
import type { ServiceIndex } from "./service-index.ts";

export interface EdgeEnv {
  readonly services: ServiceIndex;
  readonly registry: readonly ServiceDefinition[];
  readonly credentials: CredentialStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultRegion: string;
  readonly version: string;
  readonly startedAt: Date;
}
