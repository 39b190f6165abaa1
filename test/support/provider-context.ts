/**
 * A ProviderContext on a started test Stratus, for tests that drive one CloudFormation resource
 * provider directly (create, update, delete) and check the result with the AWS SDK.
 */
import { createProviderContext } from "../../src/services/cloudformation/engine/provider-context.ts";
import type { ProviderContext } from "../../src/services/cloudformation/providers/types.ts";
import type { TestStratus } from "./stratus.ts";

export const TEST_ACCOUNT = "000000000000";

export function providerContextFor(
  stratus: TestStratus,
  type: string,
  logicalId = "Resource",
  stackName = "test-stack",
): ProviderContext {
  const region = stratus.region;
  return createProviderContext({
    call: stratus.server.services.callerFor({ accountId: TEST_ACCOUNT, region, accessKeyId: "test" }),
    storage: stratus.server.storage,
    clock: { now: () => new Date() },
    accountId: TEST_ACCOUNT,
    region,
    stackName,
    stackId: `arn:aws:cloudformation:${region}:${TEST_ACCOUNT}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    logicalId,
    type,
    endpointUrl: () => stratus.url,
  });
}
