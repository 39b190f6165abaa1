import type { ProviderTable } from "../types.ts";

export const iamProviders: ProviderTable = {};
