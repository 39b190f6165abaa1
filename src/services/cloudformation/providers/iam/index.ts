/**
 * The IAM resource types a stack can hold. Stratus has no IAM service yet: these are recorded by the
 * providers (context.records) so templates deploy and Ref/Fn::GetAtt answer as on AWS, and nothing
 * enforces them.
 */
import type { ProviderTable } from "../types.ts";
import { managedPolicyProvider } from "./managed-policy.ts";
import { policyProvider } from "./policy.ts";
import { roleProvider } from "./role.ts";

export const iamProviders: ProviderTable = {
  "AWS::IAM::Role": roleProvider,
  "AWS::IAM::Policy": policyProvider,
  "AWS::IAM::ManagedPolicy": managedPolicyProvider,
};
