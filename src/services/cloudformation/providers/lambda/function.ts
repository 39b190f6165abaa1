/**
 * AWS::Lambda::Function: CreateFunction, then (if asked) PutFunctionConcurrency, complete when the
 * function is Active. Ref is the function name; Fn::GetAtt Arn is the unqualified function ARN, and
 * SnapStartResponse.ApplyOn / .OptimizationStatus are read from the function (always None / Off in
 * Stratus, which has no SnapStart).
 *
 * Updates happen in place, one Lambda call per kind of change, each waiting for LastUpdateStatus
 * Successful before the next (Lambda refuses an update while another runs): UpdateFunctionConfiguration
 * when configuration changed, UpdateFunctionCode only when Code or Architectures changed (or inline
 * code's runtime moved between Node.js and Python, which renames its file),
 * TagResource/UntagResource for tags, Put/DeleteFunctionConcurrency. A new FunctionName or PackageType
 * replaces the function (AWS::Lambda::Function reference: "Update requires: Replacement").
 *
 * A create that fails after CreateFunction deletes the function again, so a rolled-back stack leaves
 * nothing behind (the engine never learns a physical id for a failed create).
 */

import {
  changed,
  integerValue,
  type Properties,
  requireProperties,
  stringList,
  stringValue,
} from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { codeMembers, imageNotSupported } from "./function-code.ts";
import {
  CODE_PROPERTIES,
  CONFIGURATION_PROPERTIES,
  configurationMembers,
  functionTags,
  updateConfigurationMembers,
} from "./function-properties.ts";
import { waitForFunctionReady } from "./function-ready.ts";
import { ignoringNotFound } from "./service-errors.ts";

/** Lambda's limit on function names. */
const FUNCTION_NAME_MAX = 64;

function checkPackageType(context: ProviderContext, properties: Properties): void {
  if (stringValue(context, properties.PackageType, "PackageType") === "Image") throw imageNotSupported();
}

function reservedConcurrency(context: ProviderContext, properties: Properties): number | undefined {
  return integerValue(context, properties.ReservedConcurrentExecutions, "ReservedConcurrentExecutions");
}

async function provisioned(context: ProviderContext, name: string): Promise<ProvisionedResource> {
  const configuration = await waitForFunctionReady(context, name);
  const snapStart = (configuration.SnapStart ?? {}) as { ApplyOn?: string; OptimizationStatus?: string };
  return {
    physicalId: name,
    attributes: {
      Arn: configuration.FunctionArn,
      "SnapStartResponse.ApplyOn": snapStart.ApplyOn ?? "None",
      "SnapStartResponse.OptimizationStatus": snapStart.OptimizationStatus ?? "Off",
    },
  };
}

async function setConcurrency(context: ProviderContext, name: string, reserved: number | undefined) {
  if (reserved === undefined) {
    await context.call.call("lambda", "DeleteFunctionConcurrency", { FunctionName: name });
  } else {
    await context.call.call("lambda", "PutFunctionConcurrency", {
      FunctionName: name,
      ReservedConcurrentExecutions: reserved,
    });
  }
}

async function create(context: ProviderContext, properties: Properties): Promise<ProvisionedResource> {
  requireProperties(context, properties, ["Code", "Role"]);
  checkPackageType(context, properties);
  const name =
    stringValue(context, properties.FunctionName, "FunctionName") ??
    context.physicalName({ maxLength: FUNCTION_NAME_MAX });
  const runtime = stringValue(context, properties.Runtime, "Runtime");
  const reserved = reservedConcurrency(context, properties);
  await context.call.call("lambda", "CreateFunction", {
    FunctionName: name,
    ...configurationMembers(context, properties),
    Code: codeMembers(context, properties.Code, runtime),
    Architectures: stringList(context, properties.Architectures, "Architectures"),
    Tags: functionTags(context, properties),
  });
  try {
    await waitForFunctionReady(context, name);
    if (reserved !== undefined) await setConcurrency(context, name, reserved);
    return await provisioned(context, name);
  } catch (error) {
    await ignoringNotFound(() => context.call.call("lambda", "DeleteFunction", { FunctionName: name }));
    throw error;
  }
}

/**
 * Inline code whose runtime moved between Node.js and Python: the same ZipFile text now belongs in a
 * different file (index.js / index.py), so the package is rebuilt even though Code did not change.
 */
function inlineFileChanged(context: ProviderContext, before: Properties, after: Properties): boolean {
  const family = (properties: Properties) =>
    /^(nodejs|python)/.exec(stringValue(context, properties.Runtime, "Runtime") ?? "")?.[1];
  const inline = (properties: Properties) =>
    typeof properties.Code === "object" && properties.Code !== null && "ZipFile" in properties.Code;
  return inline(after) && family(before) !== family(after);
}

async function updateTags(
  context: ProviderContext,
  arn: string,
  before: Properties,
  after: Properties,
): Promise<void> {
  const old = functionTags(context, before);
  const next = functionTags(context, after);
  const removed = Object.keys(old).filter((key) => !(key in next));
  if (removed.length > 0)
    await context.call.call("lambda", "UntagResource", { Resource: arn, TagKeys: removed });
  const added = Object.fromEntries(Object.entries(next).filter(([key, value]) => old[key] !== value));
  if (Object.keys(added).length > 0)
    await context.call.call("lambda", "TagResource", { Resource: arn, Tags: added });
}

export const functionProvider: ResourceProvider = {
  replaceOn: ["FunctionName", "PackageType"],
  create,
  async update(context, current, properties) {
    requireProperties(context, properties, ["Code", "Role"]);
    checkPackageType(context, properties);
    const name = current.physicalId;
    const before = current.properties;
    await waitForFunctionReady(context, name);
    if (changed(before, properties, CONFIGURATION_PROPERTIES)) {
      await context.call.call("lambda", "UpdateFunctionConfiguration", {
        FunctionName: name,
        ...updateConfigurationMembers(context, name, properties),
      });
      await waitForFunctionReady(context, name);
    }
    if (changed(before, properties, CODE_PROPERTIES) || inlineFileChanged(context, before, properties)) {
      const runtime = stringValue(context, properties.Runtime, "Runtime");
      await context.call.call("lambda", "UpdateFunctionCode", {
        FunctionName: name,
        ...codeMembers(context, properties.Code, runtime),
        Architectures: stringList(context, properties.Architectures, "Architectures") ?? ["x86_64"],
      });
      await waitForFunctionReady(context, name);
    }
    if (changed(before, properties, ["Tags"])) {
      const arn = String(current.attributes.Arn ?? (await provisioned(context, name)).attributes.Arn);
      await updateTags(context, arn, before, properties);
    }
    if (changed(before, properties, ["ReservedConcurrentExecutions"])) {
      await setConcurrency(context, name, reservedConcurrency(context, properties));
    }
    return provisioned(context, name);
  },
  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("lambda", "DeleteFunction", { FunctionName: current.physicalId }),
    );
  },
};
