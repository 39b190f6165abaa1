import type { ProviderTable } from "../types.ts";

export const apiGatewayV2Providers: ProviderTable = {};
