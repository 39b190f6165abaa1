import type { ProviderTable } from "../types.ts";

export const apiGatewayProviders: ProviderTable = {};
