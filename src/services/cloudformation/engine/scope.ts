/**
 * The ResolveScope a stack operation resolves its template with: parameters, pseudo parameters and
 * conditions of the prepared template; Ref and Fn::GetAtt read the stack's resources as they are at
 * that moment; Fn::ImportValue reads the exports of the account and region.
 */

import { undefinedGetAttResourceError, unresolvedDependencyError } from "../template/resolve.ts";
import type { ResolveScope } from "../template/types.ts";
import { TemplateError } from "../template/types.ts";
import type { PreparedTemplate } from "./prepare.ts";
import type { ResourceRecord } from "./records.ts";

export interface ScopeSources {
  readonly resource: (logicalId: string) => ResourceRecord | undefined;
  readonly exports: ReadonlyMap<string, string>;
  /**
   * For change set previews: what Ref/GetAtt of a resource that does not exist yet gives instead of
   * failing (a marker that never equals a real value, so the property counts as changed).
   */
  readonly unknown?: (logicalId: string, attribute?: string) => unknown;
}

export function resolveScope(prepared: PreparedTemplate, sources: ScopeSources): ResolveScope {
  const existing = (logicalId: string): ResourceRecord | undefined => {
    const record = sources.resource(logicalId);
    return record?.physicalId === undefined ? undefined : record;
  };
  return {
    parameters: prepared.parameters,
    pseudo: prepared.pseudo,
    conditions: prepared.conditions,
    mappings: prepared.template.Mappings ?? {},
    ref(logicalId) {
      const record = existing(logicalId);
      if (record) return record.physicalId;
      if (sources.unknown) return sources.unknown(logicalId);
      throw unresolvedDependencyError([logicalId]);
    },
    getAtt(logicalId, attribute) {
      const record = existing(logicalId);
      if (!record) {
        if (sources.unknown) return sources.unknown(logicalId, attribute);
        throw undefinedGetAttResourceError(logicalId);
      }
      if (Object.hasOwn(record.attributes, attribute)) return record.attributes[attribute];
      throw new TemplateError(
        `Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`,
      );
    },
    importValue(exportName) {
      const value = sources.exports.get(exportName);
      if (value === undefined) throw new TemplateError(`No export named ${exportName} found.`);
      return value;
    },
  };
}
