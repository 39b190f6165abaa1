/**
 * AWS::Lambda::Alias: CreateAlias; Ref and Fn::GetAtt AliasArn are the alias's ARN
 * (`...:function:NAME:ALIAS`). FunctionVersion, Description and RoutingConfig change in place
 * (UpdateAlias, with the removed ones reset: no description, no routing); Name and FunctionName
 * replace it. Delete is DeleteAlias (Lambda answers success for an alias already gone; a function
 * already gone is success too).
 *
 * RoutingConfig is CloudFormation's list `AdditionalVersionWeights: [{FunctionVersion,
 * FunctionWeight}]`, Lambda's API a map from version to weight.
 *
 * ProvisionedConcurrencyConfig is ignored: Stratus has no provisioned concurrency.
 */

import {
  arrayValue,
  objectValue,
  type Properties,
  requireProperties,
  stringValue,
  validationFailure,
} from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { parseFunctionArn } from "./function-arn.ts";
import { ignoringNotFound } from "./service-errors.ts";

function weightValue(context: ProviderContext, value: unknown, path: string): number {
  const weight = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof weight !== "number" || Number.isNaN(weight)) {
    throw validationFailure(context, `#/${path}: expected type: Number, found: ${typeof value}`);
  }
  return weight;
}

/** Lambda's RoutingConfig for the template's; `{}` weights when none (what clears routing). */
function routingConfig(context: ProviderContext, properties: Properties): Record<string, unknown> {
  const routing = objectValue(context, properties.RoutingConfig, "RoutingConfig");
  const path = "RoutingConfig/AdditionalVersionWeights";
  const weights: Record<string, number> = {};
  for (const [index, item] of (
    arrayValue(context, routing?.AdditionalVersionWeights, path) ?? []
  ).entries()) {
    const entry = objectValue(context, item, `${path}/${index}`) ?? {};
    const version = stringValue(context, entry.FunctionVersion, `${path}/${index}/FunctionVersion`) ?? "";
    weights[version] = weightValue(context, entry.FunctionWeight, `${path}/${index}/FunctionWeight`);
  }
  return { AdditionalVersionWeights: weights };
}

function aliasMembers(context: ProviderContext, properties: Properties) {
  return {
    FunctionName: stringValue(context, properties.FunctionName, "FunctionName"),
    Name: stringValue(context, properties.Name, "Name"),
    FunctionVersion: stringValue(context, properties.FunctionVersion, "FunctionVersion"),
    Description: stringValue(context, properties.Description, "Description") ?? "",
    RoutingConfig: routingConfig(context, properties),
  };
}

function provisioned(answer: Record<string, unknown>): ProvisionedResource {
  const arn = String(answer.AliasArn);
  return { physicalId: arn, attributes: { AliasArn: arn } };
}

export const aliasProvider: ResourceProvider = {
  replaceOn: ["Name", "FunctionName"],
  async create(context, properties) {
    requireProperties(context, properties, ["FunctionName", "FunctionVersion", "Name"]);
    return provisioned(await context.call.call("lambda", "CreateAlias", aliasMembers(context, properties)));
  },
  async update(context, _current, properties) {
    requireProperties(context, properties, ["FunctionName", "FunctionVersion", "Name"]);
    return provisioned(await context.call.call("lambda", "UpdateAlias", aliasMembers(context, properties)));
  },
  async delete(context, current) {
    const { name, qualifier } = parseFunctionArn(current.physicalId);
    if (qualifier === undefined) return;
    await ignoringNotFound(() =>
      context.call.call("lambda", "DeleteAlias", { FunctionName: name, Name: qualifier }),
    );
  },
};
