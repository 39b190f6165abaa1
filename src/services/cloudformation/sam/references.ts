/**
 * After the expansion, references that name what SAM renamed or generated are rewritten the way SAM's
 * translator does it: a LayerVersion's old logical id becomes its hashed id (in Ref, Fn::GetAtt, Fn::Sub
 * and DependsOn), and SAM's own references — `!Ref MyFunction.Alias`, `MyFunction.Version`,
 * `MyApi.Stage`, `MyApi.Deployment` — become the generated resources' ids.
 */
import { isObject, type JsonObject } from "./json.ts";

export interface ReferenceRewrites {
  readonly renamed: ReadonlyMap<string, string>;
  readonly samReferences: ReadonlyMap<string, string>;
}

export function rewriteReferences(value: unknown, rewrites: ReferenceRewrites): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, rewrites));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const argument = value[key];
    if (key === "Ref" && typeof argument === "string") return { Ref: rewriteName(argument, rewrites) };
    if (key === "Fn::GetAtt") return { "Fn::GetAtt": rewriteGetAtt(argument, rewrites) };
    if (key === "Fn::Sub") return { "Fn::Sub": rewriteSub(argument, rewrites) };
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === "DependsOn" ? rewriteDependsOn(item, rewrites) : rewriteReferences(item, rewrites);
  }
  return out;
}

function rewriteName(name: string, rewrites: ReferenceRewrites): string {
  return rewrites.samReferences.get(name) ?? rewrites.renamed.get(name) ?? name;
}

function rewriteGetAtt(argument: unknown, rewrites: ReferenceRewrites): unknown {
  if (Array.isArray(argument) && typeof argument[0] === "string") {
    return [
      rewrites.renamed.get(argument[0]) ?? argument[0],
      ...argument.slice(1).map((item) => rewriteReferences(item, rewrites)),
    ];
  }
  if (typeof argument === "string") {
    const dot = argument.indexOf(".");
    if (dot > 0) {
      const logicalId = argument.slice(0, dot);
      const renamed = rewrites.renamed.get(logicalId);
      if (renamed !== undefined) return `${renamed}${argument.slice(dot)}`;
    }
  }
  return rewriteReferences(argument, rewrites);
}

function rewriteSub(argument: unknown, rewrites: ReferenceRewrites): unknown {
  if (typeof argument === "string") return rewriteSubString(argument, rewrites);
  if (Array.isArray(argument) && typeof argument[0] === "string") {
    return [
      rewriteSubString(argument[0], rewrites),
      ...argument.slice(1).map((item) => rewriteReferences(item, rewrites)),
    ];
  }
  return rewriteReferences(argument, rewrites);
}

/** `${Name}` / `${Name.Attr}` placeholders; `${!Literal}` is left alone. */
function rewriteSubString(text: string, rewrites: ReferenceRewrites): string {
  return text.replace(/\$\{([^!}][^}]*)\}/g, (placeholder, inner: string) => {
    const sam = rewrites.samReferences.get(inner);
    if (sam !== undefined) return `\${${sam}}`;
    const dot = inner.indexOf(".");
    const head = dot === -1 ? inner : inner.slice(0, dot);
    const renamed = rewrites.renamed.get(head);
    if (renamed === undefined) return placeholder;
    return `\${${renamed}${dot === -1 ? "" : inner.slice(dot)}}`;
  });
}

function rewriteDependsOn(value: unknown, rewrites: ReferenceRewrites): unknown {
  if (typeof value === "string") return rewrites.renamed.get(value) ?? value;
  if (Array.isArray(value))
    return value.map((item) => (typeof item === "string" ? (rewrites.renamed.get(item) ?? item) : item));
  return value;
}
