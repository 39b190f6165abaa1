import type { ProviderTable } from "../types.ts";

export const dynamodbProviders: ProviderTable = {};
