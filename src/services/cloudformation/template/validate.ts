/**
 * The static checks CloudFormation runs on a (transformed) template before anything is created —
 * resource attributes and type names, parameter declarations, conditions, references and DependsOn
 * targets, Outputs, unique Export names, no dependency cycle — and the summary ValidateTemplate and
 * GetTemplateSummary report (parameters, capabilities the template needs, transforms, resource types).
 */
import { conditionEvaluationOrder } from "./conditions.ts";
import { creationOrder } from "./graph.ts";
import { EXPORT_NAME, malformedExportNameError } from "./outputs.ts";
import { checkParameterDeclarations, isNoEcho } from "./parameters.ts";
import { PSEUDO_PARAMETER_NAMES } from "./pseudo.ts";
import { collectReferences, dependsOnList, emptyReferences } from "./references.ts";
import { undefinedGetAttResourceError } from "./resolve.ts";
import { type Template, TemplateError } from "./types.ts";

export interface TemplateParameterSummary {
  readonly ParameterKey: string;
  readonly DefaultValue?: string;
  readonly ParameterType: string;
  readonly NoEcho: boolean;
  readonly Description?: string;
  readonly ParameterConstraints?: { readonly AllowedValues?: string[] };
}

/** What ValidateTemplate and GetTemplateSummary report. */
export interface TemplateSummary {
  readonly Parameters: TemplateParameterSummary[];
  readonly Description?: string;
  readonly Capabilities: string[];
  readonly CapabilitiesReason?: string;
  readonly DeclaredTransforms: string[];
  readonly ResourceTypes: string[];
  readonly Version?: string;
  readonly Metadata?: string;
}

/** The attributes a resource may carry beside its Type. */
const RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "Type",
  "Properties",
  "DependsOn",
  "Condition",
  "DeletionPolicy",
  "UpdateReplacePolicy",
  "Metadata",
  "CreationPolicy",
  "UpdatePolicy",
  "Version",
]);

/** `Service::Product::Resource` (AWS::, Alexa::, third-party), a module (`::MODULE`) or `Custom::Name`. */
const RESOURCE_TYPE = /^([A-Za-z0-9]+::){2}[A-Za-z0-9]+(::MODULE)?$|^Custom::[A-Za-z0-9_@-]+$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

const DELETION_POLICIES: ReadonlySet<string> = new Set([
  "Delete",
  "Retain",
  "Snapshot",
  "RetainExceptOnCreate",
]);
const UPDATE_REPLACE_POLICIES: ReadonlySet<string> = new Set(["Delete", "Retain", "Snapshot"]);

/** CloudFormation's quotas on the sections of one template. */
const SECTION_LIMITS: ReadonlyArray<readonly [keyof Template, number]> = [
  ["Resources", 500],
  ["Parameters", 200],
  ["Mappings", 200],
  ["Outputs", 200],
];

/** The static checks CloudFormation runs on a template before anything is created (TemplateError). */
export function validateTemplate(template: Template): void {
  const resources = template.Resources;
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};

  for (const [section, limit] of SECTION_LIMITS) {
    const count = Object.keys((template[section] as object | undefined) ?? {}).length;
    if (count > limit) {
      throw new TemplateError(
        `Template format error: ${section} count ${count} is greater than max allowed ${limit}`,
      );
    }
  }
  for (const name of Object.keys(parameters)) {
    if (!LOGICAL_ID.test(name)) {
      throw new TemplateError(`Template format error: Parameter name ${name} is non alphanumeric.`);
    }
  }
  for (const name of Object.keys(template.Outputs ?? {})) {
    if (!LOGICAL_ID.test(name)) {
      throw new TemplateError(`Template format error: Outputs name '${name}' is non alphanumeric.`);
    }
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!LOGICAL_ID.test(logicalId)) {
      throw new TemplateError(`Template format error: Resource name ${logicalId} is non alphanumeric.`);
    }
    for (const attribute of Object.keys(resource)) {
      if (!RESOURCE_ATTRIBUTES.has(attribute)) {
        throw new TemplateError(`Invalid template resource property '${attribute}'`);
      }
    }
    checkPolicy("DeletionPolicy", resource.DeletionPolicy, DELETION_POLICIES, logicalId);
    checkPolicy("UpdateReplacePolicy", resource.UpdateReplacePolicy, UPDATE_REPLACE_POLICIES, logicalId);
    checkImportValues(resource.Properties, resources);
  }
  const unrecognized = [...new Set(Object.values(resources).map((resource) => resource.Type))].filter(
    (type) => !RESOURCE_TYPE.test(type),
  );
  if (unrecognized.length > 0) {
    throw new TemplateError(
      `Template format error: Unrecognized resource types: [${unrecognized.join(", ")}]`,
    );
  }

  checkParameterDeclarations(template);
  conditionEvaluationOrder(template);

  const declaredCondition = (name: unknown, block: string) => {
    if (typeof name !== "string")
      throw new TemplateError("Template format error: Every Condition member must be a string.");
    if (!Object.hasOwn(conditions, name)) {
      throw new TemplateError(
        `Template format error: Unresolved condition dependencies [${name}] in the ${block} block of the template`,
      );
    }
  };
  const checkReferences = (block: string, values: unknown[], dependsOn: string[] = []) => {
    const references = emptyReferences();
    for (const value of values) collectReferences(value, undefined, references);
    for (const name of references.conditions) declaredCondition(name, block);
    for (const target of references.getAtts) {
      if (!Object.hasOwn(resources, target)) throw undefinedGetAttResourceError(target);
    }
    const unresolved = [...references.refs, ...dependsOn].filter(
      (name) =>
        !PSEUDO_PARAMETER_NAMES.has(name) &&
        !Object.hasOwn(parameters, name) &&
        !Object.hasOwn(resources, name),
    );
    const dependsOnParameter = dependsOn.filter((name) => !Object.hasOwn(resources, name));
    const missing = [...new Set([...unresolved, ...dependsOnParameter])];
    if (missing.length > 0) {
      throw new TemplateError(
        `Template format error: Unresolved resource dependencies [${missing.join(", ")}] in the ${block} block of the template`,
      );
    }
  };

  for (const resource of Object.values(resources)) {
    if (resource.Condition !== undefined) declaredCondition(resource.Condition, "Resources");
  }
  checkReferences(
    "Resources",
    Object.values(resources).map((resource) => resource.Properties),
    Object.values(resources).flatMap((resource) => dependsOnList(resource.DependsOn)),
  );

  const exportNames = new Set<string>();
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (
      typeof output !== "object" ||
      output === null ||
      output.Value === undefined ||
      output.Value === null
    ) {
      throw new TemplateError(
        `Template format error: [/Outputs/${key}] Every Outputs member must contain a Value object`,
      );
    }
    if (output.Condition !== undefined) declaredCondition(output.Condition, "Outputs");
    checkReferences("Outputs", [output.Value, output.Export?.Name]);
    checkImportValues(output.Value, resources);
    const exportName = output.Export?.Name;
    if (output.Export !== undefined && (exportName === undefined || exportName === null)) {
      throw malformedExportNameError(key);
    }
    if (typeof exportName === "string") {
      if (!EXPORT_NAME.test(exportName)) throw malformedExportNameError(key);
      if (exportNames.has(exportName)) {
        throw new TemplateError(
          `Template format error: Duplicate Export names are not allowed: ${exportName}`,
        );
      }
      exportNames.add(exportName);
    }
  }

  // A cycle is refused whatever the conditions: every resource and every Fn::If branch counts.
  const everyDependency = new Map(
    Object.entries(resources).map(([logicalId, resource]) => {
      const references = collectReferences(resource.Properties);
      const needs = new Set(
        [...references.refs, ...references.getAtts, ...dependsOnList(resource.DependsOn)].filter(
          (name) => Object.hasOwn(resources, name) && name !== logicalId,
        ),
      );
      return [logicalId, needs] as const;
    }),
  );
  creationOrder(everyDependency);
}

function checkPolicy(
  attribute: string,
  value: unknown,
  allowed: ReadonlySet<string>,
  logicalId: string,
): void {
  if (value === undefined) return;
  if (typeof value !== "string")
    throw new TemplateError(`Template format error: Every ${attribute} member must be a string.`);
  if (!allowed.has(value)) {
    throw new TemplateError(
      `Template format error: Unrecognized ${attribute} ${value} for resource ${logicalId}`,
    );
  }
}

/**
 * An export is looked up before any resource exists, so the name given to Fn::ImportValue may use
 * parameters, pseudo parameters and mappings but no resource (Ref of one, Fn::GetAtt), no other import
 * and no Fn::GetAZs.
 */
function checkImportValues(value: unknown, resources: Template["Resources"]): void {
  if (Array.isArray(value)) {
    for (const item of value) checkImportValues(item, resources);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  if (Object.keys(record).length === 1 && "Fn::ImportValue" in record) {
    if (dependsOnResources(record["Fn::ImportValue"], resources)) {
      throw new TemplateError(
        "Template error: the attribute in Fn::ImportValue must not depend on any resources, imported values, or Fn::GetAZs",
      );
    }
    return;
  }
  for (const item of Object.values(record)) checkImportValues(item, resources);
}

/** Whether a value uses Fn::GetAtt, Fn::ImportValue, Fn::GetAZs or a Ref/Sub name that is no parameter. */
function dependsOnResources(value: unknown, resources: Template["Resources"]): boolean {
  const references = collectReferences(value);
  if (references.getAtts.size > 0) return true;
  const text = JSON.stringify(value ?? null);
  if (text.includes('"Fn::ImportValue"') || text.includes('"Fn::GetAZs"')) return true;
  return [...references.refs].some((name) => Object.hasOwn(resources, name));
}

/** IAM resource types that need CAPABILITY_IAM, each with the property that names it (NAMED_IAM). */
const IAM_TYPES: ReadonlyMap<string, string | undefined> = new Map([
  ["AWS::IAM::AccessKey", undefined],
  ["AWS::IAM::Group", "GroupName"],
  ["AWS::IAM::InstanceProfile", "InstanceProfileName"],
  ["AWS::IAM::ManagedPolicy", "ManagedPolicyName"],
  ["AWS::IAM::Policy", undefined],
  ["AWS::IAM::Role", "RoleName"],
  ["AWS::IAM::User", "UserName"],
  ["AWS::IAM::UserToGroupAddition", undefined],
]);

export function templateSummary(template: Template): TemplateSummary {
  const resources = Object.values(template.Resources);
  const iamTypes: string[] = [];
  let namedIam = false;
  for (const resource of resources) {
    if (!IAM_TYPES.has(resource.Type)) continue;
    if (!iamTypes.includes(resource.Type)) iamTypes.push(resource.Type);
    const nameProperty = IAM_TYPES.get(resource.Type);
    if (nameProperty !== undefined && resource.Properties?.[nameProperty] !== undefined) namedIam = true;
  }
  const transforms = declaredTransforms(template.Transform);
  const capabilities: string[] = [];
  if (iamTypes.length > 0) capabilities.push(namedIam ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
  if (transforms.length > 0) capabilities.push("CAPABILITY_AUTO_EXPAND");

  return {
    Parameters: Object.entries(template.Parameters ?? {}).map(([key, parameter]) => ({
      ParameterKey: key,
      ...(parameter.Default === undefined ? {} : { DefaultValue: defaultValueText(parameter.Default) }),
      ParameterType: String(parameter.Type),
      NoEcho: isNoEcho(parameter),
      ...(parameter.Description === undefined ? {} : { Description: String(parameter.Description) }),
      ParameterConstraints:
        parameter.AllowedValues === undefined ? {} : { AllowedValues: parameter.AllowedValues.map(String) },
    })),
    ...(template.Description === undefined ? {} : { Description: template.Description }),
    Capabilities: capabilities,
    ...(iamTypes.length === 0
      ? {}
      : { CapabilitiesReason: `The following resource(s) require capabilities: [${iamTypes.join(", ")}]` }),
    DeclaredTransforms: transforms,
    ResourceTypes: [...new Set(resources.map((resource) => resource.Type))],
    ...(template.AWSTemplateFormatVersion === undefined
      ? {}
      : { Version: template.AWSTemplateFormatVersion }),
    ...(template.Metadata === undefined ? {} : { Metadata: JSON.stringify(template.Metadata) }),
  };
}

function defaultValueText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}

/** Transform as a list of names: a name, a list of names, or `{ Name, Parameters }` entries. */
export function declaredTransforms(transform: unknown): string[] {
  if (transform === undefined || transform === null) return [];
  return (Array.isArray(transform) ? transform : [transform]).flatMap((entry) => {
    if (typeof entry === "string") return [entry];
    const name = (entry as { Name?: unknown } | null)?.Name;
    return typeof name === "string" ? [name] : [];
  });
}
