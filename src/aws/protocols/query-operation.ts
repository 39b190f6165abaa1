/**
 * Adapts a typed awsQuery operation — `(input, context) => output` — to the edge's handler shape, so
 * that CloudFormation (and later IAM/STS) operations deal in objects, never in form keys or XML.
 *
 * Input: the form parameters (`Action=CreateStack&StackName=s&Parameters.member.1.ParameterKey=K...`)
 * decoded into the operation's input structure by the AWS model, as botocore's query serializer
 * writes them: structures by member name (`X.Y`), lists as `X.member.N` (1-based, taken in N order;
 * `X=` alone is an empty list), maps as `X.entry.N.key`/`X.entry.N.value`, scalars converted to the
 * member's type (integer/long/float/double, boolean `true`/`false`, timestamp ISO 8601 or epoch
 * seconds → Date, blob base64 → Buffer). Unknown parameters (`Action`, `Version`, anything the model
 * lacks) are ignored. A value that does not convert answers InvalidParameterValue; then the model's
 * constraints are checked as coral does for every AWS service, answered in awsQuery's words:
 * `ValidationError` "1 validation error detected: Value null at 'stackName' failed to satisfy
 * constraint: Member must not be null" (the text CloudFormation gives, recorded in public issues).
 *
 * Output: the returned object written as the inside of `<{Operation}Result>`: fields in object order,
 * arrays as `<member>` elements, Dates as ISO 8601 with milliseconds, booleans as true/false, bytes
 * as base64, undefined/null left out; `undefined` output gives an empty result element.
 *
 * ## Gaps
 * - Flattened lists/maps and `locationName`s are not in the trimmed models (no CloudFormation input
 *   uses them); IAM/STS inputs that do would need them added to the model generator.
 * - The InvalidParameterValue text for a value of the wrong type is ours: AWS's is not recorded.
 * - Blob and timestamp members are not length-checked (the constraint checker measures JSON forms).
 */
import type { OperationHandler, ServiceRequest } from "../../services/service.ts";
import type { RequestContext } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { ServiceModel, Shape } from "../models/index.ts";
import { type ConstraintContext, checkConstraints } from "../validation/constraints.ts";
import { violationsMessage } from "../validation/errors.ts";
import { compileJavaPattern } from "../validation/index.ts";
import { javaPackageOf } from "../validation/render.ts";
import { encodeQueryResult } from "./aws-query.ts";
import { parseForm } from "./query-string.ts";
import { escapeXml } from "./xml.ts";

export type QueryOperation<Input, Output> = (
  input: Input,
  context: RequestContext,
) => Promise<Output> | Output;

export function queryHandler<Input, Output extends object | undefined>(
  model: ServiceModel,
  operation: string,
  xmlNamespace: string | undefined,
  run: QueryOperation<Input, Output>,
): OperationHandler {
  const inputShape = model.operations[operation]?.input;
  return async (request) => {
    const input = inputShape ? decodeQueryInput(model, inputShape, requestParameters(request)) : {};
    if (inputShape) validateQueryInput(model, inputShape, input);
    const output = await run(input as Input, request.context);
    const resultXml = output === undefined ? "" : encodeQueryFields(output as Record<string, unknown>);
    return encodeQueryResult(operation, resultXml, xmlNamespace, request.context.requestId);
  };
}

/** The form body of a POST (what every SDK sends), else the query string (a GET). */
function requestParameters(request: ServiceRequest): ReadonlyMap<string, string[]> {
  const body = request.body;
  if (request.method === "POST" && Buffer.isBuffer(body) && body.length > 0) {
    return parseForm(body.toString("utf8"));
  }
  return request.query;
}

// ---------------------------------------------------------------------------------------------------
// Decoding

/** The parameters as a tree of their dot-separated key parts: `A.member.1.B=v` → A → member → 1 → B. */
interface KeyNode {
  value?: string;
  readonly children: Map<string, KeyNode>;
}

function keyTree(params: ReadonlyMap<string, string[]>): KeyNode {
  const root: KeyNode = { children: new Map() };
  for (const [key, values] of params) {
    let node = root;
    for (const part of key.split(".")) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = values[0] ?? "";
  }
  return root;
}

/** The input structure `shapeName` read from the form parameters (absent members left out). */
export function decodeQueryInput(
  model: ServiceModel,
  shapeName: string,
  params: ReadonlyMap<string, string[]>,
): Record<string, unknown> {
  const shape = model.shapes[shapeName];
  if (shape?.type !== "structure") return {};
  return decodeStructure(model, shape.members, keyTree(params), "");
}

function decodeStructure(
  model: ServiceModel,
  members: Readonly<Record<string, { shape: string }>>,
  node: KeyNode,
  prefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const child = node.children.get(name);
    if (!child) continue;
    const value = decodeValue(model, member.shape, child, prefix ? `${prefix}.${name}` : name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function decodeValue(model: ServiceModel, shapeName: string, node: KeyNode, key: string): unknown {
  const shape: Shape | undefined = model.shapes[shapeName];
  if (!shape) return node.value;
  switch (shape.type) {
    case "structure":
      return node.children.size > 0 ? decodeStructure(model, shape.members, node, key) : undefined;
    case "list": {
      const items = numbered(node.children.get("member"));
      if (items.length === 0) return node.value === "" ? [] : undefined;
      return items.map(([n, item]) => decodeValue(model, shape.member, item, `${key}.member.${n}`));
    }
    case "map": {
      const entries = numbered(node.children.get("entry"));
      if (entries.length === 0) return node.value === "" ? {} : undefined;
      const map: Record<string, unknown> = {};
      for (const [n, entry] of entries) {
        const mapKey = entry.children.get("key")?.value;
        const valueNode = entry.children.get("value");
        if (mapKey === undefined || valueNode === undefined) continue;
        map[mapKey] = decodeValue(model, shape.value, valueNode, `${key}.entry.${n}.value`);
      }
      return map;
    }
    default:
      return node.value === undefined ? undefined : convertScalar(shape.type, node.value, key);
  }
}

/** The `N` children of a `member`/`entry` node, in N order (1-based; other keys ignored). */
function numbered(node: KeyNode | undefined): [number, KeyNode][] {
  if (!node) return [];
  const items: [number, KeyNode][] = [];
  for (const [part, child] of node.children) {
    if (/^[1-9][0-9]*$/.test(part)) items.push([Number(part), child]);
  }
  return items.sort((a, b) => a[0] - b[0]);
}

function badValue(value: string, key: string): AwsError {
  return new AwsError("InvalidParameterValue", `Value (${value}) for parameter ${key} is invalid.`, 400);
}

function convertScalar(
  type: Exclude<Shape["type"], "structure" | "list" | "map">,
  value: string,
  key: string,
) {
  switch (type) {
    case "integer":
    case "long": {
      if (!/^[-+]?[0-9]+$/.test(value)) throw badValue(value, key);
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw badValue(value, key);
      return n;
    }
    case "float":
    case "double": {
      const n = Number(value);
      if (value.trim() === "" || Number.isNaN(n)) throw badValue(value, key);
      return n;
    }
    case "boolean": {
      const lower = value.toLowerCase();
      if (lower !== "true" && lower !== "false") throw badValue(value, key);
      return lower === "true";
    }
    case "timestamp":
      return parseTimestamp(value, key);
    case "blob": {
      if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw badValue(value, key);
      return Buffer.from(value, "base64");
    }
    default:
      return value;
  }
}

/** awsQuery timestamps are ISO 8601 (botocore's default); epoch seconds are accepted too. */
function parseTimestamp(value: string, key: string): Date {
  if (/^[0-9]+(\.[0-9]+)?$/.test(value)) return new Date(Number(value) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    throw badValue(value, key);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badValue(value, key);
  return date;
}

// ---------------------------------------------------------------------------------------------------
// Validation

const constraintContexts = new WeakMap<ServiceModel, ConstraintContext>();

/** The constraint checker's view of a model: coral's checks, no service quirks (none recorded yet). */
function constraintContextOf(model: ServiceModel): ConstraintContext {
  let ctx = constraintContexts.get(model);
  if (!ctx) {
    const regexes = new Map<string, RegExp | undefined>();
    ctx = {
      shapes: model.shapes,
      javaPackage: javaPackageOf(model.metadata.endpointPrefix, model.metadata.apiVersion),
      opaqueShapes: new Set(),
      hiddenMembers: {},
      constraintShape: (name) => name,
      enumOrder: (_name, values) => values,
      suppressed: () => false,
      regex: (pattern) => {
        if (!regexes.has(pattern)) regexes.set(pattern, compileJavaPattern(pattern));
        return regexes.get(pattern);
      },
    };
    constraintContexts.set(model, ctx);
  }
  return ctx;
}

/** Throws awsQuery's ValidationError listing the input's constraint violations (at most ten). */
export function validateQueryInput(
  model: ServiceModel,
  shapeName: string,
  input: Record<string, unknown>,
): void {
  const violations = checkConstraints(constraintContextOf(model), shapeName, input);
  if (violations.length > 0) throw new AwsError("ValidationError", violationsMessage(violations), 400);
}

// ---------------------------------------------------------------------------------------------------
// Encoding

/** `<Name>value</Name>` for each field of an output object, in order, as awsQuery results write them. */
export function encodeQueryFields(fields: Readonly<Record<string, unknown>>): string {
  let out = "";
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    out += `<${name}>${encodeQueryValue(value)}</${name}>`;
  }
  return out;
}

function encodeQueryValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) {
    let out = "";
    for (const item of value) {
      if (item === undefined || item === null) continue;
      out += `<member>${encodeQueryValue(item)}</member>`;
    }
    return out;
  }
  if (typeof value === "object" && value !== null) return encodeQueryFields(value as Record<string, unknown>);
  return escapeXml(String(value));
}
