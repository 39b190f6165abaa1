/**
 * Lookups from what a request carries to the service it is for: the X-Amz-Target prefix (awsJson),
 * the SigV4 signing name (everything signed), the API version of an awsQuery call.
 */
import type { ModelName } from "../aws/models/index.ts";
import type { ServiceDefinition } from "../services/service.ts";

export class ServiceIndex {
  readonly #byTargetPrefix = new Map<string, ServiceDefinition>();
  readonly #bySigningName = new Map<string, ServiceDefinition[]>();
  readonly #byId = new Map<ModelName, ServiceDefinition>();

  constructor(services: readonly ServiceDefinition[]) {
    for (const service of services) {
      const { targetPrefix, signingName } = service.model.metadata;
      if (targetPrefix) this.#byTargetPrefix.set(targetPrefix, service);
      const sharing = this.#bySigningName.get(signingName) ?? [];
      sharing.push(service);
      this.#bySigningName.set(signingName, sharing);
      this.#byId.set(service.id, service);
    }
  }

  byId(id: ModelName): ServiceDefinition | undefined {
    return this.#byId.get(id);
  }

  byTargetPrefix(prefix: string): ServiceDefinition | undefined {
    return this.#byTargetPrefix.get(prefix);
  }

  /**
   * Services signing as `name`. Several share one name: `dynamodb` (DynamoDB and its Streams, told
   * apart by target) and `apigateway` (v1 and v2, told apart by the `/v2/` path prefix).
   */
  bySigningName(name: string): readonly ServiceDefinition[] {
    return this.#bySigningName.get(name) ?? [];
  }
}
