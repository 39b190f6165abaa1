/**
 * Custom domain names (AWS::ApiGateway::DomainName and BasePathMapping, AWS::ApiGatewayV2::DomainName
 * and ApiMapping) put APIs behind a hostname with a certificate. Stratus emulates none of that, so these
 * types fail plainly at create rather than pretending to exist; deleting one (a rollback) has nothing to
 * remove.
 */
import type { ResourceProvider } from "../types.ts";

export function customDomainUnsupported(type: string): ResourceProvider {
  return {
    async create() {
      throw new Error(
        `${type} is not supported by Stratus: API Gateway custom domain names are not emulated. Call the API through its execute-api invoke URL instead.`,
      );
    },
    async delete() {},
  };
}
