/** What the edge's steps share for the lifetime of the server. */

import type { Clock } from "../aws/clock.ts";
import type { CredentialStore } from "../aws/credentials.ts";
import type { Logger } from "../log.ts";
import type { ServiceDefinition } from "../services/service.ts";
import type { DataPlane } from "./data-plane.ts";
import type { ServiceIndex } from "./service-index.ts";

export interface EdgeEnv {
  readonly services: ServiceIndex;
  readonly registry: readonly ServiceDefinition[];
  /** The unsigned front doors services registered (data-plane.ts); matched before any service. */
  readonly dataPlanes: readonly DataPlane[];
  readonly credentials: CredentialStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultRegion: string;
  readonly version: string;
  readonly startedAt: Date;
}
