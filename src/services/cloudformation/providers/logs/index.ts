/** The CloudWatch Logs resource types a stack can hold. */
import type { ProviderTable } from "../types.ts";
import { logGroupProvider } from "./log-group.ts";

export const logsProviders: ProviderTable = {
  "AWS::Logs::LogGroup": logGroupProvider,
};
