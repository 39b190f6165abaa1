/**
 * The AWS::CloudFormation::* resource types a stack can hold: custom resources (the registry also
 * routes every `Custom::*` type to the AWS::CloudFormation::CustomResource entry) and wait conditions.
 */
import type { ProviderTable } from "../types.ts";
import { customResourceProvider } from "./custom-resource.ts";
import { waitConditionHandleProvider, waitConditionProvider } from "./wait-condition.ts";

export const cloudFormationProviders: ProviderTable = {
  "AWS::CloudFormation::CustomResource": customResourceProvider,
  "AWS::CloudFormation::WaitConditionHandle": waitConditionHandleProvider,
  "AWS::CloudFormation::WaitCondition": waitConditionProvider,
};
