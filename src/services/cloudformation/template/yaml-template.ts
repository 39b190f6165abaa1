/**
 * A YAML template body to its JSON form. CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`,
 * `!Sub [...]`, ...) become their long form (`{ "Ref": "X" }`, `{ "Fn::GetAtt": ["A", "B"] }`).
 *
 * Schema, on purpose: AWS documents YAML 1.1 "with a few exceptions" — no binary, omap, pairs, set or
 * timestamp tags, no hash merges. So this reads YAML 1.1 (`yes`/`no`/`on`/`off` are booleans, as 1.1
 * says) minus those tags: without the timestamp tag, `AWSTemplateFormatVersion: 2010-09-09` and a
 * policy's `Version: 2012-10-17` stay the strings CloudFormation reads (the core 1.2 schema would keep
 * dates too, but reads `yes` as text). A `<<` key is an ordinary key. Aliases, which AWS's page also
 * lists as unsupported, are followed rather than refused: templates in the wild use them.
 *
 * A plain scalar that YAML reads as a number but whose written form a JSON number cannot keep
 * (`012345678901` — an account id in a Mapping —, `1.0`, `0755`, `1:30`, `1_000`) keeps its written
 * text, so no digit the author wrote is lost; `30` and `0.5` stay numbers.
 *
 * The document is parsed by the `yaml` package, then walked node by node (rather than resolved through
 * `customTags` per short form) so that every short-form tag works on whichever node kind it is given —
 * scalar, sequence or mapping — the way CloudFormation accepts `!Sub "s"` and `!Sub ["s", {...}]`
 * alike, and so that an unknown tag is an error at its own line instead of silently becoming a string.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
import { TemplateError } from "./types.ts";

/** The short-form tags CloudFormation knows, each with the long-form key it stands for. */
const LONG_FORM: ReadonlyMap<string, string> = new Map(
  [
    "Base64",
    "Cidr",
    "And",
    "Equals",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
  ]
    .map((name): [string, string] => [`!${name}`, `Fn::${name}`])
    .concat([
      ["!Ref", "Ref"],
      ["!Condition", "Condition"],
    ]),
);

/** The YAML 1.1 tags AWS does not support (so `2010-09-09` is no timestamp and `<<` no merge). */
const UNSUPPORTED_TAGS: ReadonlySet<string> = new Set([
  "binary",
  "merge",
  "omap",
  "pairs",
  "set",
  "timestamp",
]);

/** Numbers whose written form survives as a JSON number: `30`, `-4`, `0.5` (not `012`, `1.0`, `1e3`). */
const CANONICAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** How many alias expansions one template may need (real templates need a handful). */
const MAX_ALIAS_EXPANSIONS = 10_000;

function notWellFormed(line: number, column: number): TemplateError {
  return new TemplateError(`Template format error: YAML not well-formed. (line ${line}, column ${column})`);
}

/** The JSON form of a YAML template body (any YAML value: the caller checks it is a mapping). */
export function parseYamlTemplate(body: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(body, {
    schema: "yaml-1.1",
    merge: false,
    customTags: (tags) =>
      tags.filter(
        (tag) => !UNSUPPORTED_TAGS.has(typeof tag === "string" ? tag : (tag.tag.split(":").pop() ?? "")),
      ),
    lineCounter,
    uniqueKeys: true,
  });
  const firstError = document.errors[0];
  if (firstError) {
    const position = firstError.linePos?.[0];
    throw notWellFormed(position?.line ?? 1, position?.col ?? 1);
  }

  const positionOf = (node: Node) => lineCounter.linePos(node.range?.[0] ?? 0);

  // Each alias is copied out in full, so a few nested ones can stand for billions of nodes ("billion
  // laughs"): past this many alias expansions the body is refused rather than expanded.
  let aliasBudget = MAX_ALIAS_EXPANSIONS;
  const toJson = (node: unknown, aliasDepth: number): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(document);
      if (target === undefined || aliasDepth > 50 || --aliasBudget < 0) {
        const { line, col } = positionOf(node);
        throw notWellFormed(line, col);
      }
      return toJson(target, aliasDepth + 1);
    }
    let value: unknown;
    if (isScalar(node)) {
      value = scalarValue(node);
      // Explicit !!binary or !!timestamp: tags AWS does not support, with no JSON form.
      if (value instanceof Uint8Array || value instanceof Date) {
        const { line, col } = positionOf(node);
        throw notWellFormed(line, col);
      }
    } else if (isSeq(node)) value = node.items.map((item) => toJson(item, aliasDepth));
    else if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? scalarValue(pair.key) : toJson(pair.key, aliasDepth);
        object[String(key)] = toJson(pair.value, aliasDepth);
      }
      value = object;
    } else return null;

    const tag = (node as Node).tag;
    if (tag === undefined || !tag.startsWith("!")) return value;
    const longForm = LONG_FORM.get(tag);
    if (longForm === undefined) {
      const { line, col } = positionOf(node as Node);
      throw notWellFormed(line, col);
    }
    return { [longForm]: shortFormArgument(longForm, value, isScalar(node)) };
  };

  return toJson(document.contents, 0);
}

/** A scalar's value; a number whose written text JSON would not keep stays that text. */
function scalarValue(node: Scalar): unknown {
  const { value, source } = node;
  if (typeof value === "number" && typeof source === "string" && !CANONICAL_NUMBER.test(source))
    return source;
  return value;
}

/** A short form's argument in long form: scalars are text, and `!GetAtt A.B.C` is ["A", "B.C"]. */
function shortFormArgument(longForm: string, value: unknown, fromScalar: boolean): unknown {
  if (!fromScalar) return value;
  const text = value === null ? "" : String(value);
  if (longForm === "Fn::GetAtt") {
    const dot = text.indexOf(".");
    return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
  }
  return text;
}
