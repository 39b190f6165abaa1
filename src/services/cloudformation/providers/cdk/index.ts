import type { ProviderTable } from "../types.ts";

export const cdkProviders: ProviderTable = {};
