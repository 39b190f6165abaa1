/**
 * A ResolveScope for the template-engine tests: fixed parameters, conditions and mappings, and
 * resources whose Ref is `<id>-physical` and whose attributes come from a table (an unknown resource
 * throws what the engine's scope throws on AWS's behalf).
 */
import { pseudoParameters } from "../../../../src/services/cloudformation/template/pseudo.ts";
import {
  undefinedGetAttResourceError,
  unresolvedDependencyError,
} from "../../../../src/services/cloudformation/template/resolve.ts";
import type { ResolveScope, Template } from "../../../../src/services/cloudformation/template/types.ts";

export interface FakeScopeInput {
  parameters?: Record<string, unknown>;
  conditions?: Record<string, boolean>;
  mappings?: NonNullable<Template["Mappings"]>;
  /** logical id → attribute name → value */
  resources?: Record<string, Record<string, unknown>>;
  exports?: Record<string, string>;
  region?: string;
}

export function fakeScope(input: FakeScopeInput = {}): ResolveScope {
  const resources = input.resources ?? {};
  return {
    parameters: new Map(Object.entries(input.parameters ?? {})),
    conditions: new Map(Object.entries(input.conditions ?? {})),
    mappings: input.mappings ?? {},
    pseudo: pseudoParameters({
      region: input.region ?? "us-east-1",
      accountId: "000000000000",
      stackName: "demo",
      stackId: "arn:aws:cloudformation:us-east-1:000000000000:stack/demo/1234",
    }),
    ref(logicalId) {
      if (!Object.hasOwn(resources, logicalId)) throw unresolvedDependencyError([logicalId]);
      return `${logicalId}-physical`;
    },
    getAtt(logicalId, attribute) {
      const attributes = resources[logicalId];
      if (attributes === undefined) throw undefinedGetAttResourceError(logicalId);
      if (!Object.hasOwn(attributes, attribute)) throw new Error(`no attribute ${attribute}`);
      return attributes[attribute];
    },
    importValue(name) {
      const value = input.exports?.[name];
      if (value === undefined) throw new Error(`No export named ${name} found.`);
      return value;
    },
  };
}
