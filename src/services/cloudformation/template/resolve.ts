/**
 * Evaluates CloudFormation's intrinsic functions inside a template value (a resource's Properties, an
 * Output's Value, ...) against a ResolveScope: parameters, pseudo parameters, conditions, mappings and —
 * through the scope — the resources already created. `Ref: AWS::NoValue` removes the property or list
 * element that holds it. A one-key object whose key is `Ref` or starts with `Fn::` is a function call;
 * every other object and array is walked. Misuse is a TemplateError in AWS's words.
 */
import { conditionValue, evaluateBoolean } from "./boolean-functions.ts";
import {
  base64,
  cidr,
  getAZs,
  join,
  length,
  type Resolver,
  select,
  split,
  toJsonString,
} from "./list-functions.ts";
import { NO_VALUE, PSEUDO_PARAMETER_NAMES, pseudoParameterValue } from "./pseudo.ts";
import { parseSubString } from "./sub-string.ts";
import { asText } from "./template-text.ts";
import { type ResolveScope, TemplateError } from "./types.ts";

/** What a resolved `Ref: AWS::NoValue` is until the object or array holding it drops it. */
const REMOVED: unique symbol = Symbol("AWS::NoValue");
type Resolved = unknown;

/** `value` with every intrinsic function evaluated and AWS::NoValue removed (undefined when it is all). */
export function resolveValue(value: unknown, scope: ResolveScope): unknown {
  const resolved = resolve(value, scope);
  return resolved === REMOVED ? undefined : resolved;
}

/** The error a scope's `ref` should throw for a name that is no parameter, pseudo parameter nor resource. */
export function unresolvedDependencyError(names: readonly string[]): TemplateError {
  return new TemplateError(
    `Template format error: Unresolved resource dependencies [${names.join(", ")}] in the Resources block of the template`,
  );
}

/** The error a scope's `getAtt` should throw for a resource the template does not declare. */
export function undefinedGetAttResourceError(logicalId: string): TemplateError {
  return new TemplateError(
    `Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`,
  );
}

/** The function name when `value` is an intrinsic function call (`Ref` or `Fn::*`), else undefined. */
export function intrinsicName(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === "Ref" || key.startsWith("Fn::") ? key : undefined;
}

function resolve(value: unknown, scope: ResolveScope): Resolved {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, scope)).filter((item) => item !== REMOVED);
  }
  if (typeof value !== "object" || value === null) return value;
  const name = intrinsicName(value);
  if (name !== undefined) return callFunction(name, (value as Record<string, unknown>)[name], scope);
  const object: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolve(item, scope);
    if (resolved !== REMOVED) object[key] = resolved;
  }
  return object;
}

type IntrinsicFunction = (argument: unknown, scope: ResolveScope) => Resolved;

const resolverFor =
  (scope: ResolveScope): Resolver =>
  (value) =>
    resolve(value, scope);

const FUNCTIONS: Readonly<Record<string, IntrinsicFunction>> = {
  Ref: ref,
  "Fn::GetAtt": getAtt,
  "Fn::Sub": sub,
  "Fn::Join": (argument, scope) => join(argument, resolverFor(scope)),
  "Fn::Select": (argument, scope) => select(argument, resolverFor(scope)),
  "Fn::Split": (argument, scope) => split(argument, resolverFor(scope)),
  "Fn::If": fnIf,
  "Fn::FindInMap": findInMap,
  "Fn::ImportValue": importValue,
  "Fn::GetAZs": (argument, scope) => getAZs(argument, resolverFor(scope), scope.pseudo.region),
  "Fn::Base64": (argument, scope) => base64(argument, resolverFor(scope)),
  "Fn::Cidr": (argument, scope) => cidr(argument, resolverFor(scope)),
  "Fn::Length": (argument, scope) => length(argument, resolverFor(scope)),
  "Fn::ToJsonString": (argument, scope) => toJsonString(argument, resolverFor(scope)),
  "Fn::Equals": (argument, scope) => evaluateBoolean({ "Fn::Equals": argument }, scope, resolveValue),
  "Fn::And": (argument, scope) => evaluateBoolean({ "Fn::And": argument }, scope, resolveValue),
  "Fn::Or": (argument, scope) => evaluateBoolean({ "Fn::Or": argument }, scope, resolveValue),
  "Fn::Not": (argument, scope) => evaluateBoolean({ "Fn::Not": argument }, scope, resolveValue),
  "Fn::Transform": () => {
    throw new TemplateError("Template error: Fn::Transform (macros) is not supported by Stratus");
  },
};

const SUPPORTED_FUNCTIONS =
  "[Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, " +
  "Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, " +
  "Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]";

function callFunction(name: string, argument: unknown, scope: ResolveScope): Resolved {
  const implementation = FUNCTIONS[name];
  if (implementation === undefined) {
    throw new TemplateError(
      `Template format error: Encountered unsupported function: ${name} Supported functions are: ${SUPPORTED_FUNCTIONS}`,
    );
  }
  return implementation(argument, scope);
}

function ref(argument: unknown, scope: ResolveScope): Resolved {
  if (typeof argument !== "string")
    throw new TemplateError("Template error: All References must be of type string");
  return refByName(argument, scope);
}

function refByName(name: string, scope: ResolveScope): Resolved {
  if (name === NO_VALUE) return REMOVED;
  if (PSEUDO_PARAMETER_NAMES.has(name)) return pseudoParameterValue(name, scope.pseudo);
  if (scope.parameters.has(name)) return scope.parameters.get(name);
  return scope.ref(name);
}

const GET_ATT_USAGE =
  "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute";

function getAtt(argument: unknown, scope: ResolveScope): Resolved {
  let parts: unknown[];
  if (typeof argument === "string") {
    const dot = argument.indexOf(".");
    parts = dot < 0 ? [argument] : [argument.slice(0, dot), argument.slice(dot + 1)];
  } else if (Array.isArray(argument)) {
    parts = argument.map((part) => resolve(part, scope));
  } else throw new TemplateError(GET_ATT_USAGE);
  const [logicalId, attribute] = parts;
  if (parts.length !== 2 || typeof logicalId !== "string" || logicalId === "") {
    throw new TemplateError(GET_ATT_USAGE);
  }
  const attributeName = asText(attribute);
  if (attributeName === undefined || attributeName === "") throw new TemplateError(GET_ATT_USAGE);
  return scope.getAtt(logicalId, attributeName);
}

const SUB_USAGE =
  "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string";

function sub(argument: unknown, scope: ResolveScope): Resolved {
  let text: unknown = argument;
  const variables = new Map<string, string>();
  if (Array.isArray(argument)) {
    const [template, map] = argument;
    if (
      argument.length !== 2 ||
      typeof template !== "string" ||
      typeof map !== "object" ||
      map === null ||
      Array.isArray(map)
    ) {
      throw new TemplateError(SUB_USAGE);
    }
    text = template;
    for (const [key, raw] of Object.entries(map)) {
      const value = asText(resolve(raw, scope));
      if (value === undefined) {
        throw new TemplateError(
          "Template error: every value of the context object of every Fn::Sub object must be a string or a function that returns a string",
        );
      }
      variables.set(key, value);
    }
  }
  if (typeof text !== "string") throw new TemplateError(SUB_USAGE);
  return parseSubString(text)
    .map((piece) => ("literal" in piece ? piece.literal : subVariable(piece.variable, variables, scope)))
    .join("");
}

function subVariable(name: string, variables: ReadonlyMap<string, string>, scope: ResolveScope): string {
  const given = variables.get(name);
  if (given !== undefined) return given;
  let value: unknown;
  if (PSEUDO_PARAMETER_NAMES.has(name) || scope.parameters.has(name) || !name.includes(".")) {
    value = refByName(name, scope);
  } else {
    const dot = name.indexOf(".");
    value = scope.getAtt(name.slice(0, dot), name.slice(dot + 1));
  }
  const text = asText(value);
  if (text === undefined) {
    throw new TemplateError("Template error: every variable in an Fn::Sub object must reference a string");
  }
  return text;
}

function fnIf(argument: unknown, scope: ResolveScope): Resolved {
  if (!Array.isArray(argument) || typeof argument[0] !== "string") {
    throw new TemplateError(
      "Template error: Fn::If requires a list argument with the first element being a condition",
    );
  }
  if (argument.length !== 3) {
    throw new TemplateError("Template error: Fn::If requires a list argument with three elements");
  }
  return resolve(conditionValue(argument[0], "Fn::If", scope) ? argument[1] : argument[2], scope);
}

const FIND_IN_MAP_USAGE =
  "Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value";

function findInMap(argument: unknown, scope: ResolveScope): Resolved {
  if (!Array.isArray(argument) || argument.length < 3 || argument.length > 4) {
    throw new TemplateError(FIND_IN_MAP_USAGE);
  }
  const [mapName, topKey, secondKey] = argument.slice(0, 3).map((part) => asText(resolve(part, scope)));
  if (mapName === undefined || topKey === undefined || secondKey === undefined) {
    throw new TemplateError(FIND_IN_MAP_USAGE);
  }
  // The fourth element is AWS::LanguageExtensions' { DefaultValue: ... }, used when a key is missing.
  const fallback = argument[3] as { DefaultValue?: unknown } | undefined;
  const mapping = Object.hasOwn(scope.mappings, mapName) ? scope.mappings[mapName] : undefined;
  if (mapping === undefined) {
    if (fallback?.DefaultValue !== undefined) return resolve(fallback.DefaultValue, scope);
    throw new TemplateError(
      `Template error: Mapping named '${mapName}' is not present in the 'Mappings' section of template`,
    );
  }
  const entry: unknown = Object.hasOwn(mapping, topKey) ? mapping[topKey] : undefined;
  if (typeof entry !== "object" || entry === null || !Object.hasOwn(entry, secondKey)) {
    if (fallback?.DefaultValue !== undefined) return resolve(fallback.DefaultValue, scope);
    throw new TemplateError(`Template error: Unable to get mapping for ${mapName}::${topKey}::${secondKey}`);
  }
  return resolve((entry as Record<string, unknown>)[secondKey], scope);
}

function importValue(argument: unknown, scope: ResolveScope): Resolved {
  const name = asText(resolve(argument, scope));
  if (name === undefined || name === "") {
    throw new TemplateError("Template error: every Fn::ImportValue object must have a String-typed value.");
  }
  return scope.importValue(name);
}
