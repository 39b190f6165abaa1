/**
 * AWS::Lambda::Url: CreateFunctionUrlConfig on TargetFunctionArn (a function name or ARN) and
 * Qualifier (an alias). Ref and Fn::GetAtt FunctionArn are the ARN of the function the URL invokes
 * (qualified by the alias when there is one: the resource's primary identifier); Fn::GetAtt
 * FunctionUrl is the URL. AuthType, Cors and InvokeMode change in place (UpdateFunctionUrlConfig, a
 * removed Cors cleared); TargetFunctionArn and Qualifier replace it. Delete is
 * DeleteFunctionUrlConfig, already-gone being success.
 */

import { defined, objectValue, type Properties, requireProperties, stringValue } from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { ignoringNotFound } from "./service-errors.ts";

function target(context: ProviderContext, properties: Properties) {
  return defined({
    FunctionName: stringValue(context, properties.TargetFunctionArn, "TargetFunctionArn"),
    Qualifier: stringValue(context, properties.Qualifier, "Qualifier"),
  });
}

function provisioned(answer: Record<string, unknown>): ProvisionedResource {
  const arn = String(answer.FunctionArn);
  return { physicalId: arn, attributes: { FunctionArn: arn, FunctionUrl: answer.FunctionUrl } };
}

export const urlProvider: ResourceProvider = {
  replaceOn: ["TargetFunctionArn", "Qualifier"],
  async create(context, properties) {
    requireProperties(context, properties, ["TargetFunctionArn", "AuthType"]);
    const answer = await context.call.call(
      "lambda",
      "CreateFunctionUrlConfig",
      defined({
        ...target(context, properties),
        AuthType: stringValue(context, properties.AuthType, "AuthType"),
        Cors: objectValue(context, properties.Cors, "Cors"),
        InvokeMode: stringValue(context, properties.InvokeMode, "InvokeMode"),
      }),
    );
    return provisioned(answer);
  },
  async update(context, _current, properties) {
    requireProperties(context, properties, ["TargetFunctionArn", "AuthType"]);
    const answer = await context.call.call("lambda", "UpdateFunctionUrlConfig", {
      ...target(context, properties),
      AuthType: stringValue(context, properties.AuthType, "AuthType"),
      Cors: objectValue(context, properties.Cors, "Cors") ?? {},
      InvokeMode: stringValue(context, properties.InvokeMode, "InvokeMode") ?? "BUFFERED",
    });
    return provisioned(answer);
  },
  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("lambda", "DeleteFunctionUrlConfig", target(context, current.properties)),
    );
  },
};
