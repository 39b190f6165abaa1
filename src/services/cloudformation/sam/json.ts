/**
 * Small JSON helpers shared by the SAM expansion: value predicates and the intrinsic-function
 * constructors SAM writes into its output (Ref, Fn::GetAtt, Fn::Sub), in their long JSON form.
 */

import { TemplateError } from "../template/types.ts";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A one-key object whose key is an intrinsic function (Ref or Fn::*), as SAM's is_intrinsic. */
export function isIntrinsic(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || (keys[0]?.startsWith("Fn::") ?? false));
}

export function ref(logicalId: string): JsonObject {
  return { Ref: logicalId };
}

export function getAtt(logicalId: string, attribute: string): JsonObject {
  return { "Fn::GetAtt": [logicalId, attribute] };
}

export function fnSub(text: string, variables?: JsonObject): JsonObject {
  return variables === undefined ? { "Fn::Sub": text } : { "Fn::Sub": [text, variables] };
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/** SAM's tag list: `{k: v}` → `[{Key, Value}]`, in the map's order. */
export function tagList(tags: unknown): { Key: string; Value: unknown }[] {
  if (!isObject(tags)) return [];
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** `${Name}` placeholders SAM resolves in Fn::Sub strings (its IntrinsicsResolver's pattern). */
const SUB_REFERENCE = /\$\{([A-Za-z0-9.]+|AWS::[A-Z][A-Za-z]*)\}/g;

/**
 * SAM's resolve_parameter_refs: `{Ref: <parameter>}` becomes the parameter's value and `${parameter}` in an
 * Fn::Sub string its text, wherever they appear; anything else is left for CloudFormation.
 */
export function resolveParameterRefs(value: unknown, parameters: ReadonlyMap<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveParameterRefs(item, parameters));
  if (!isObject(value)) return value;
  if (isIntrinsic(value) && typeof value.Ref === "string" && parameters.has(value.Ref)) {
    return parameters.get(value.Ref);
  }
  if (isIntrinsic(value) && "Fn::Sub" in value)
    return { "Fn::Sub": resolveSubParameters(value["Fn::Sub"], parameters) };
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = resolveParameterRefs(item, parameters);
  return out;
}

function resolveSubParameters(argument: unknown, parameters: ReadonlyMap<string, unknown>): unknown {
  const substitute = (text: string) =>
    text.replace(SUB_REFERENCE, (placeholder, name: string) => {
      if (!parameters.has(name)) return placeholder;
      const resolved = parameters.get(name);
      if (typeof resolved !== "string") {
        throw new TemplateError(
          `Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Structure of the SAM template is invalid. Invalid Fn::Sub variable value ${String(resolved)}. Fn::Sub expects all variables to be strings.`,
        );
      }
      return resolved;
    });
  if (typeof argument === "string") return substitute(argument);
  if (Array.isArray(argument) && typeof argument[0] === "string")
    return [substitute(argument[0]), ...argument.slice(1)];
  return argument;
}

const NO_VALUE = { Ref: "AWS::NoValue" };

/** SAM's make_conditional: the value only when the condition holds. */
export function makeConditional(condition: string, value: unknown): JsonObject {
  return { "Fn::If": [condition, value, NO_VALUE] };
}

/**
 * SAM's get_conditional_contents: the objects an OpenAPI path item or method may be wrapped in Fn::If
 * around (both branches, minus AWS::NoValue), or the value itself.
 */
export function conditionalContents(value: unknown): JsonObject[] {
  if (isObject(value) && Array.isArray(value["Fn::If"]) && Object.keys(value).length === 1) {
    const [, whenTrue, whenFalse] = value["Fn::If"] as unknown[];
    return [whenTrue, whenFalse].filter(
      (branch): branch is JsonObject =>
        isObject(branch) && !("Ref" in branch && branch.Ref === "AWS::NoValue"),
    );
  }
  return isObject(value) ? [value] : [];
}
