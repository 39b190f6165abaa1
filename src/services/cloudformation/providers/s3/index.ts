import type { ProviderTable } from "../types.ts";

export const s3Providers: ProviderTable = {};
