/**
 * What an update does to each resource, decided the same way for UpdateStack (while it runs) and for
 * a change set (ahead of time): a resource whose resolved properties are unchanged is left alone; a
 * changed one is updated in place, or replaced when a property its provider lists in `replaceOn`
 * changed (or the provider cannot update at all, or the type changed); new ones are added, missing
 * ones removed.
 */
import { isDeepStrictEqual } from "node:util";
import type { ResourceProvider } from "../providers/types.ts";
import { resolveValue } from "../template/resolve.ts";
import { type PreparedTemplate, parameterValues } from "./prepare.ts";
import type { ParameterValue, PlannedChange, ResourceChangeDetail, ResourceRecord } from "./records.ts";
import { resolveScope } from "./scope.ts";

export interface UpdateDecision {
  /** Top-level properties whose value changed (added, removed or different). */
  readonly changed: string[];
  readonly replace: boolean;
}

export function decideUpdate(
  provider: ResourceProvider | undefined,
  oldType: string,
  newType: string,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): UpdateDecision {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter((key) => !isDeepStrictEqual(before[key], after[key]));
  const replace =
    oldType !== newType ||
    (changed.length > 0 &&
      (provider?.update === undefined || changed.some((key) => provider.replaceOn?.includes(key) === true)));
  return { changed, replace };
}

/** A resource that exists and so can be updated or removed (not one whose creation failed or that is gone). */
export function isLive(record: ResourceRecord | undefined): record is ResourceRecord {
  return (
    record !== undefined &&
    record.physicalId !== undefined &&
    record.status !== "DELETE_COMPLETE" &&
    record.status !== "CREATE_FAILED"
  );
}

/** A change set's Changes: what updating `current` to `prepared` would do. */
export function planChanges(
  current: Readonly<Record<string, ResourceRecord>>,
  prepared: PreparedTemplate,
  exports: ReadonlyMap<string, string>,
  providerFor: (type: string) => ResourceProvider | undefined,
  previousParameters: readonly ParameterValue[] = [],
): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const before = new Map(previousParameters.map((p) => [p.ParameterKey, p.ParameterValue]));
  const changedParameters = new Set(
    parameterValues(prepared)
      .filter((p) => before.has(p.ParameterKey) && before.get(p.ParameterKey) !== p.ParameterValue)
      .map((p) => p.ParameterKey),
  );
  // Resources that get a new physical id: what refers to them changes too.
  const renewed = new Set<string>();
  const scope = resolveScope(prepared, {
    resource: (logicalId) => (renewed.has(logicalId) ? undefined : current[logicalId]),
    exports,
    unknown: (logicalId, attribute) =>
      unknownValue(attribute === undefined ? logicalId : `${logicalId}.${attribute}`),
  });
  for (const logicalId of prepared.order) {
    const definition = prepared.template.Resources[logicalId];
    if (!definition) continue;
    const old = current[logicalId];
    if (!isLive(old)) {
      renewed.add(logicalId);
      const added = resourceChange("Add", logicalId, definition.Type);
      try {
        added.ResourceChange.AfterContext = JSON.stringify({
          Properties: resolveValue(definition.Properties ?? {}, scope),
        });
      } catch {
        // Values that cannot be worked out ahead are left out, as AWS leaves unknowable values.
      }
      changes.push(added);
      continue;
    }
    let after: Record<string, unknown>;
    try {
      after = resolveValue(definition.Properties ?? {}, scope) as Record<string, unknown>;
    } catch {
      after = { "Stratus::Unresolvable": true };
    }
    const decision = decideUpdate(
      providerFor(definition.Type),
      old.type,
      definition.Type,
      old.properties,
      after,
    );
    if (decision.changed.length === 0 && old.type === definition.Type) continue;
    if (decision.replace) renewed.add(logicalId);
    const provider = providerFor(definition.Type);
    const requiresRecreation = (name: string) =>
      provider?.update === undefined || provider.replaceOn?.includes(name) === true;
    const details: ResourceChangeDetail[] = decision.changed.map((name) => {
      const recreation = requiresRecreation(name) ? ("Always" as const) : ("Never" as const);
      // A change of the Tags property is reported as a change of the resource's tags.
      const values = {
        Path: `/Properties/${name}`,
        ...(old.properties[name] === undefined ? {} : { BeforeValue: jsonText(old.properties[name]) }),
        ...(after[name] === undefined ? {} : { AfterValue: jsonText(after[name]) }),
        AttributeChangeType:
          old.properties[name] === undefined
            ? ("Add" as const)
            : after[name] === undefined
              ? ("Remove" as const)
              : ("Modify" as const),
      };
      const target: ResourceChangeDetail["Target"] =
        name === "Tags"
          ? { Attribute: "Tags", RequiresRecreation: recreation, ...values }
          : { Attribute: "Properties", Name: name, RequiresRecreation: recreation, ...values };
      const cause = causingEntity(after[name]);
      if (cause === undefined) {
        const parameter = referencedParameters(definition.Properties?.[name]).find((p) =>
          changedParameters.has(p),
        );
        return parameter === undefined
          ? { Target: target, Evaluation: "Static", ChangeSource: "DirectModification" }
          : {
              Target: target,
              Evaluation: "Static",
              ChangeSource: "ParameterReference",
              CausingEntity: parameter,
            };
      }
      return {
        Target: target,
        Evaluation: "Dynamic",
        ChangeSource: cause.includes(".") ? "ResourceAttribute" : "ResourceReference",
        CausingEntity: cause,
      };
    });
    // Replaced only if a value not known before the update runs turns out different: "Conditional".
    const conditional =
      old.type === definition.Type &&
      details.every(
        (detail) => detail.Target.RequiresRecreation === "Never" || detail.Evaluation === "Dynamic",
      );
    changes.push({
      Type: "Resource",
      ResourceChange: {
        Action: "Modify",
        LogicalResourceId: logicalId,
        PhysicalResourceId: old.physicalId,
        ResourceType: definition.Type,
        Replacement: decision.replace ? (conditional ? "Conditional" : "True") : "False",
        Scope: [...new Set(details.map((detail) => detail.Target.Attribute))].sort(),
        Details: details,
        BeforeContext: JSON.stringify({ Properties: old.properties }),
        AfterContext: JSON.stringify({ Properties: after }),
      },
    });
  }
  for (const [logicalId, old] of Object.entries(current)) {
    if (!isLive(old) || prepared.dependencies.has(logicalId)) continue;
    const removed = resourceChange("Remove", logicalId, old.type, old.physicalId);
    removed.ResourceChange.BeforeContext = JSON.stringify({ Properties: old.properties });
    changes.push(removed);
  }
  return changes;
}

/**
 * What Ref/Fn::GetAtt of a resource gives in a plan when its value is known only once the update
 * runs: a string (so Fn::Sub and Fn::Join carry it along) that never equals a real value.
 */
const UNKNOWN = /\{\{Stratus::Unknown:([^}]+)\}\}/;

function unknownValue(entity: string): string {
  return `{{Stratus::Unknown:${entity}}}`;
}

/** A property value as change sets show it: strings as they are, anything else as JSON. */
function jsonText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The changes as DescribeChangeSet shows them: property values (contexts, before and after values)
 * only when the caller asked for them with IncludePropertyValues.
 */
export function visibleChanges(
  changes: readonly PlannedChange[],
  includePropertyValues: boolean,
): PlannedChange[] {
  if (includePropertyValues) return [...changes];
  return changes.map((change) => {
    const { BeforeContext: _before, AfterContext: _after, ...resourceChange } = change.ResourceChange;
    return {
      ...change,
      ResourceChange: {
        ...resourceChange,
        Details: resourceChange.Details.map((detail) => {
          const {
            Path: _path,
            BeforeValue: _b,
            AfterValue: _a,
            AttributeChangeType: _t,
            ...target
          } = detail.Target;
          return { ...detail, Target: target };
        }),
      },
    };
  });
}

/** Names `expression` refers to with Ref or in a Fn::Sub string (parameters among them). */
function referencedParameters(expression: unknown): string[] {
  const names: string[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (typeof record.Ref === "string") names.push(record.Ref);
    const sub = record["Fn::Sub"];
    const text =
      typeof sub === "string" ? sub : Array.isArray(sub) && typeof sub[0] === "string" ? sub[0] : undefined;
    if (text !== undefined) for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) names.push(match[1]!);
    for (const child of Object.values(record)) walk(child);
  };
  walk(expression);
  return names;
}

/** The resource (`Id`) or attribute (`Id.Attr`) whose new value `value` depends on, if any. */
function causingEntity(value: unknown): string | undefined {
  if (typeof value === "string") return UNKNOWN.exec(value)?.[1];
  if (value === null || typeof value !== "object") return undefined;
  for (const item of Object.values(value)) {
    const found = causingEntity(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

function resourceChange(
  action: "Add" | "Remove",
  logicalId: string,
  type: string,
  physicalId?: string,
): PlannedChange {
  return {
    Type: "Resource",
    ResourceChange: {
      Action: action,
      LogicalResourceId: logicalId,
      ...(physicalId === undefined ? {} : { PhysicalResourceId: physicalId }),
      ResourceType: type,
      Scope: [],
      Details: [],
    },
  };
}
