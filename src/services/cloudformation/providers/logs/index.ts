import type { ProviderTable } from "../types.ts";

export const logsProviders: ProviderTable = {};
