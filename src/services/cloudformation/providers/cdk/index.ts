/**
 * The AWS CDK's own resource types, which real CloudFormation accepts in a synthesized stack:
 * AWS::CDK::Metadata (metadata.ts).
 */
import type { ProviderTable } from "../types.ts";
import { cdkMetadataProvider } from "./metadata.ts";

export const cdkProviders: ProviderTable = {
  "AWS::CDK::Metadata": cdkMetadataProvider,
};
