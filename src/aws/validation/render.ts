/**
 * How coral (the Java framework behind awsJson services) writes Java types and values into its error
 * texts: the `java.util.Map<java.lang.String, ...>` of a SerializationException, and the `Value '...'`
 * of a ValidationException, which is the Java `toString()` of the deserialized value.
 *
 * Recorded renderings (DynamoDB): strings bare (`'abc;'`), numbers (`'-1'`), lists `'[]'`, maps
 * `'{a=[]}'` (java.util.Map), structures Lombok-style
 * `'[KeySchemaElement(attributeName=pk, keyType=HASH), ...]'` (nubo-db/dynamodb-conformance,
 * tests/tier3/error-messages/createTable.test.ts, captured 2026), AttributeValue as
 * `com.amazonaws.dynamodb.v20120810.AttributeValue@79175931` (risingwavelabs/risingwave#17572, 2024).
 *
 * ## Gaps
 * - The `@hash` of opaquely rendered structures is a deterministic stand-in, not Java's hashCode.
 * - Members AWS renders that the public model lacks are known only where recorded (DynamoDB's
 *   `PutRequest(item={...}, workloadProfileName=null)`); they render as `null`.
 * - Blobs render as Java's `HeapByteBuffer[pos=0 lim=N cap=N]` and timestamps as their epoch seconds;
 *   neither is recorded.
 */
import type { Shape } from "../models/index.ts";

export interface RenderContext {
  readonly shapes: Readonly<Record<string, Shape>>;
  /** The service's Java package, e.g. `com.amazonaws.dynamodb.v20120810`. */
  readonly javaPackage: string;
  /** Structures AWS renders as Java's default `Object.toString()` (`class@hash`). */
  readonly opaqueShapes: ReadonlySet<string>;
  /** Members AWS renders after a structure's model members (always null to us), by shape. */
  readonly hiddenMembers: Readonly<Record<string, readonly string[]>>;
}

/** The Java package coral generates a service's classes into (verified for DynamoDB only). */
export function javaPackageOf(endpointPrefix: string, apiVersion: string): string {
  return `com.amazonaws.${endpointPrefix}.v${apiVersion.replaceAll("-", "")}`;
}

const JAVA_SCALARS: Record<string, string> = {
  string: "java.lang.String",
  boolean: "java.lang.Boolean",
  integer: "java.lang.Integer",
  long: "java.lang.Long",
  float: "java.lang.Float",
  double: "java.lang.Double",
  blob: "java.nio.ByteBuffer",
  timestamp: "java.util.Date",
};

/** The Java type a shape deserializes to, with generic parameters: `java.util.List<...WriteRequest>`. */
export function javaTypeOf(ctx: RenderContext, shapeName: string): string {
  const shape = ctx.shapes[shapeName];
  if (!shape) return "java.lang.Object";
  switch (shape.type) {
    case "structure":
      return `${ctx.javaPackage}.${shapeName}`;
    case "list":
      return `java.util.List<${javaTypeOf(ctx, shape.member)}>`;
    case "map":
      return `java.util.Map<java.lang.String, ${javaTypeOf(ctx, shape.value)}>`;
    default:
      return JAVA_SCALARS[shape.type] ?? "java.lang.Object";
  }
}

/** The `Value ...` part of a constraint violation: `null`, or the Java rendering in single quotes. */
export function quotedValue(ctx: RenderContext, shapeName: string, value: unknown): string {
  return value === undefined || value === null ? "null" : `'${renderValue(ctx, shapeName, value)}'`;
}

/** A value as Java's `toString()` of its deserialized form writes it. */
export function renderValue(ctx: RenderContext, shapeName: string, value: unknown): string {
  if (value === undefined || value === null) return "null";
  const shape = ctx.shapes[shapeName];
  switch (shape?.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) return String(value);
      if (ctx.opaqueShapes.has(shapeName)) {
        return `${ctx.javaPackage}.${shapeName}@${javaHash(JSON.stringify(value)).toString(16)}`;
      }
      const record = value as Record<string, unknown>;
      const fields = Object.entries(shape.members).map(
        ([name, member]) => `${lowerFirst(name)}=${renderValue(ctx, member.shape, record[name])}`,
      );
      for (const hidden of ctx.hiddenMembers[shapeName] ?? []) fields.push(`${hidden}=null`);
      return `${shapeName}(${fields.join(", ")})`;
    }
    case "list":
      if (!Array.isArray(value)) return String(value);
      return `[${value.map((item) => renderValue(ctx, shape.member, item)).join(", ")}]`;
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) return String(value);
      const entries = Object.entries(value as Record<string, unknown>);
      return `{${entries.map(([key, item]) => `${key}=${renderValue(ctx, shape.value, item)}`).join(", ")}}`;
    }
    case "blob": {
      const bytes = typeof value === "string" ? Buffer.byteLength(value, "base64") : 0;
      return `java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]`;
    }
    case "double":
    case "float":
      return typeof value === "number" ? javaDouble(value) : String(value);
    default:
      return String(value);
  }
}

/** Java's `Double.toString`: `1.0`, `0.5`, `1.0E21`, `1.0E-5`. */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(value);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa = "0", exponent = "0"] = value.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** Member names in paths and Lombok renderings: `KeySchema` → `keySchema`. */
export function lowerFirst(name: string): string {
  return name.slice(0, 1).toLowerCase() + name.slice(1);
}

/** Java's `String.hashCode()` as an unsigned 32-bit number. */
function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash >>> 0;
}
