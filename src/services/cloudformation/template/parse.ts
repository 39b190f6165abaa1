/**
 * A template body (JSON or YAML) to the JSON form every other part of the engine reads, checked for
 * the structure CloudFormation refuses before anything else: a mapping at the top, only known sections,
 * the one template format version, a non-empty Resources block and a Type on every resource. Errors are
 * TemplateErrors carrying AWS's own words. Checks that depend on the meaning of the template (references,
 * conditions, outputs) live in validate.ts, which runs after the SAM transform.
 */
import { jsonErrorOffset, positionAt } from "./json-position.ts";
import { type Template, TemplateError } from "./types.ts";
import { parseYamlTemplate } from "./yaml-template.ts";

/** The top-level sections CloudFormation accepts (Globals only alongside a Transform: it is SAM's). */
export const TEMPLATE_SECTIONS: readonly string[] = [
  "AWSTemplateFormatVersion",
  "Description",
  "Metadata",
  "Parameters",
  "Rules",
  "Mappings",
  "Conditions",
  "Transform",
  "Resources",
  "Outputs",
  "Hooks",
];

export const TEMPLATE_FORMAT_VERSION = "2010-09-09";

/** A template body, JSON or YAML (short-form tags to long form), checked for its basic structure. */
export function parseTemplate(body: string): Template {
  // A byte-order mark is not part of the template (editors on Windows add one).
  const text = body.startsWith("\uFEFF") ? body.slice(1) : body;
  const document = isJsonBody(text) ? parseJson(text) : parseYamlTemplate(text);
  return checkStructure(document);
}

/** CloudFormation reads a body as JSON when it opens with `{`, else as YAML. */
function isJsonBody(body: string): boolean {
  return body.trimStart().startsWith("{");
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    const offset = jsonErrorOffset(body) ?? body.length;
    const { line, column } = positionAt(body, offset);
    throw new TemplateError(`Template format error: JSON not well-formed. (line ${line}, column ${column})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkStructure(document: unknown): Template {
  if (!isRecord(document)) throw new TemplateError("Template format error: unsupported structure.");

  const hasTransform = document.Transform !== undefined;
  const unknownSections = Object.keys(document).filter(
    (section) => !TEMPLATE_SECTIONS.includes(section) && !(section === "Globals" && hasTransform),
  );
  if (unknownSections.length > 0) {
    throw new TemplateError(
      `Template format error: Invalid template property or properties [${unknownSections.join(", ")}]`,
    );
  }

  const version = document.AWSTemplateFormatVersion;
  if (version !== undefined && version !== TEMPLATE_FORMAT_VERSION) {
    // Wording unverified against AWS: its docs only say 2010-09-09 is the one valid value.
    throw new TemplateError(
      `Template format error: Unsupported AWSTemplateFormatVersion: ${String(version)}`,
    );
  }
  if (document.Description !== undefined && typeof document.Description !== "string") {
    throw new TemplateError("Template format error: Every Description member must be a string.");
  }

  const resources = document.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) {
    throw new TemplateError("Template format error: At least one Resources member must be defined.");
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource.Type !== "string" || resource.Type === "") {
      throw new TemplateError(
        `Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`,
      );
    }
  }
  return document as unknown as Template;
}
