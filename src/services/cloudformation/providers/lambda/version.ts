/**
 * AWS::Lambda::Version: PublishVersion of the function's current code and configuration, once the
 * function is ready (Lambda refuses to publish while an update runs). Ref and Fn::GetAtt FunctionArn
 * are the version's ARN (`...:function:NAME:3`), Fn::GetAtt Version its number. CodeSha256, when
 * given, is checked by Lambda against $LATEST (PublishVersion's own error when it differs).
 *
 * Every property is create-only in the resource's schema (FunctionName, Description, CodeSha256,
 * ProvisionedConcurrencyConfig, RuntimePolicy), so any change publishes a new version and deletes the
 * old one. Delete is DeleteFunction with the version as Qualifier (without it the whole function would
 * go); a version already gone is success. A version an alias still points to cannot be deleted
 * (Lambda's error fails the delete, as on AWS); within one stack the alias depends on the version and
 * is updated or deleted first.
 *
 * ProvisionedConcurrencyConfig is ignored: Stratus has no provisioned concurrency (every invoke may
 * start an environment on demand), so there is nothing to configure or wait for.
 */

import { defined, requireProperties, stringValue } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { parseFunctionArn } from "./function-arn.ts";
import { waitForFunctionReady } from "./function-ready.ts";
import { ignoringNotFound } from "./service-errors.ts";

export const versionProvider: ResourceProvider = {
  replaceOn: ["FunctionName", "Description", "CodeSha256", "ProvisionedConcurrencyConfig", "RuntimePolicy"],
  async create(context, properties) {
    requireProperties(context, properties, ["FunctionName"]);
    const functionName = stringValue(context, properties.FunctionName, "FunctionName") ?? "";
    await waitForFunctionReady(context, functionName);
    const answer = await context.call.call(
      "lambda",
      "PublishVersion",
      defined({
        FunctionName: functionName,
        Description: stringValue(context, properties.Description, "Description"),
        CodeSha256: stringValue(context, properties.CodeSha256, "CodeSha256"),
      }),
    );
    const arn = String(answer.FunctionArn);
    return { physicalId: arn, attributes: { FunctionArn: arn, Version: String(answer.Version) } };
  },
  async delete(context, current) {
    const { name, qualifier } = parseFunctionArn(current.physicalId);
    // Without its qualifier the call would delete the whole function: never send it bare.
    if (qualifier === undefined) return;
    await ignoringNotFound(() =>
      context.call.call("lambda", "DeleteFunction", { FunctionName: name, Qualifier: qualifier }),
    );
  },
};
