/**
 * The ProviderContext a resource provider works with: in-process calls as the stack's account and
 * region, CloudFormation's generated physical names, and a small durable record space for resource
 * types no service stores yet (IAM).
 */
import { randomInt } from "node:crypto";
import type { Clock } from "../../../aws/clock.ts";
import type { KvStore } from "../../../storage/kv.ts";
import { tuple } from "../../../storage/tuple.ts";
import type { ServiceCaller } from "../../in-process-caller.ts";
import type { ProviderContext, ProviderRecords } from "../providers/types.ts";

const SERVICE = "cloudformation";
const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SUFFIX_LENGTH = 13;

export interface ProviderContextInput {
  readonly call: ServiceCaller;
  readonly storage: KvStore;
  readonly clock: Clock;
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly logicalId: string;
  /** The resource type, whose records the context reads and writes. */
  readonly type: string;
  /** Stratus's own URL once it listens (absent: undefined). */
  readonly endpointUrl?: () => string | undefined;
}

export function createProviderContext(input: ProviderContextInput): ProviderContext {
  return {
    call: input.call,
    accountId: input.accountId,
    region: input.region,
    partition: "aws",
    stackName: input.stackName,
    stackId: input.stackId,
    logicalId: input.logicalId,
    resourceType: input.type,
    endpointUrl: input.endpointUrl ?? (() => undefined),
    clock: input.clock,
    physicalName: (options) => generatedName(input.stackName, input.logicalId, options),
    records: providerRecords(input.storage, input.accountId, input.region, input.type),
  };
}

/**
 * `{stack}-{logicalId}-{SUFFIX}` as CloudFormation names resources: when the whole is too long, the
 * stack name and the logical id are both cut, keeping the random suffix whole.
 */
export function generatedName(
  stackName: string,
  logicalId: string,
  options: { maxLength?: number; lowercase?: boolean; separator?: string } = {},
): string {
  const separator = options.separator ?? "-";
  let suffix = "";
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  const maxLength = options.maxLength ?? 255;
  let stack = stackName;
  let logical = logicalId;
  const room = maxLength - suffix.length - 2 * separator.length;
  if (stack.length + logical.length > room) {
    const half = Math.max(1, Math.floor(room / 2));
    stack = stack.slice(0, Math.max(1, Math.min(stack.length, room - Math.min(logical.length, half))));
    logical = logical.slice(0, Math.max(1, room - stack.length));
  }
  const name = `${stack}${separator}${logical}${separator}${suffix}`;
  return options.lowercase ? name.toLowerCase() : name;
}

function providerRecords(storage: KvStore, accountId: string, region: string, type: string): ProviderRecords {
  const keyOf = (key: string) => tuple(SERVICE, accountId, region, "records", type, key);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return {
    async get<T>(key: string) {
      const bytes = await storage.get(keyOf(key));
      return bytes === undefined ? undefined : (JSON.parse(decoder.decode(bytes)) as T);
    },
    async put(key, value) {
      await storage.transaction((tx) => tx.put(keyOf(key), encoder.encode(JSON.stringify(value))));
    },
    async delete(key) {
      await storage.transaction((tx) => tx.delete(keyOf(key)));
    },
  };
}
