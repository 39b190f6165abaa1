import type { ProviderTable } from "../types.ts";

export const cloudFormationProviders: ProviderTable = {};
