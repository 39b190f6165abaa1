/**
 * The names a template value refers to, found without evaluating anything: `Ref` targets, `Fn::GetAtt`
 * and `${Res.Attr}` resources, `${Name}` variables of Fn::Sub, and the conditions named by Fn::If and
 * `{ Condition: X }` (only where a condition is expected: an argument of Fn::And, Fn::Or or Fn::Not, or
 * a whole condition when `conditionExpression` says the value is one — elsewhere such an object may be
 * a resource property named Condition). graph.ts builds the dependency graph from them, conditions.ts
 * and validate.ts check that each name exists. With `conditions` given, only the Fn::If branches those
 * conditions select are walked (what will actually be evaluated); without it, both branches are.
 */
import { intrinsicName } from "./resolve.ts";
import { subVariables } from "./sub-string.ts";

export interface References {
  /** Names given to `Ref` or used as `${Name}` in Fn::Sub (parameters, pseudo parameters, resources). */
  readonly refs: Set<string>;
  /** Resources named by Fn::GetAtt or `${Resource.Attribute}`. */
  readonly getAtts: Set<string>;
  /** Conditions named by Fn::If or `{ Condition: Name }`. */
  readonly conditions: Set<string>;
}

export function emptyReferences(): References {
  return { refs: new Set(), getAtts: new Set(), conditions: new Set() };
}

const BOOLEAN_FUNCTIONS: ReadonlySet<string> = new Set(["Fn::And", "Fn::Or", "Fn::Not"]);

export function collectReferences(
  value: unknown,
  conditions?: ReadonlyMap<string, boolean>,
  into: References = emptyReferences(),
  conditionExpression = false,
): References {
  const walk = (node: unknown, conditionExpected = false): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, conditionExpected);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    const name = intrinsicName(node);
    const keys = Object.keys(record);
    if (name === undefined) {
      if (conditionExpected && keys.length === 1 && typeof record.Condition === "string") {
        into.conditions.add(record.Condition);
        return;
      }
      for (const item of Object.values(record)) walk(item);
      return;
    }
    const argument = record[name];
    switch (name) {
      case "Ref":
        if (typeof argument === "string") into.refs.add(argument);
        return;
      case "Fn::GetAtt": {
        if (typeof argument === "string") {
          into.getAtts.add(argument.split(".")[0] as string);
        } else if (Array.isArray(argument)) {
          if (typeof argument[0] === "string") into.getAtts.add(argument[0]);
          walk(argument.slice(1));
        }
        return;
      }
      case "Fn::Sub": {
        const [text, map] = Array.isArray(argument) ? argument : [argument, undefined];
        const local = typeof map === "object" && map !== null ? Object.keys(map) : [];
        if (typeof text === "string") {
          for (const variable of subVariables(text)) {
            if (local.includes(variable)) continue;
            const dot = variable.indexOf(".");
            if (dot > 0 && !variable.startsWith("AWS::")) into.getAtts.add(variable.slice(0, dot));
            else into.refs.add(variable);
          }
        }
        walk(map);
        return;
      }
      case "Fn::If": {
        if (!Array.isArray(argument)) {
          walk(argument);
          return;
        }
        const [condition, whenTrue, whenFalse] = argument;
        if (typeof condition === "string") into.conditions.add(condition);
        const chosen = typeof condition === "string" ? conditions?.get(condition) : undefined;
        if (conditions === undefined || chosen === undefined) walk([whenTrue, whenFalse]);
        else walk(chosen ? whenTrue : whenFalse);
        return;
      }
      default:
        walk(argument, BOOLEAN_FUNCTIONS.has(name));
    }
  };
  walk(value, conditionExpression);
  return into;
}

/** DependsOn as a list (it may be one name or several). */
export function dependsOnList(dependsOn: unknown): string[] {
  if (dependsOn === undefined || dependsOn === null) return [];
  return (Array.isArray(dependsOn) ? dependsOn : [dependsOn]).map(String);
}
