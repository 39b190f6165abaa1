import type { ProviderTable } from "../types.ts";

export const lambdaProviders: ProviderTable = {};
