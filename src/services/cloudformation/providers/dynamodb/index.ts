/** DynamoDB's resource types for CloudFormation stacks, by type name. */
import type { ProviderTable } from "../types.ts";
import { tableProvider } from "./table.ts";
import { TABLE_TYPE } from "./table-request.ts";

export const dynamodbProviders: ProviderTable = {
  [TABLE_TYPE]: tableProvider,
};
