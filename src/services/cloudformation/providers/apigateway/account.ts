/**
 * AWS::ApiGateway::Account: the region's API Gateway account settings, of which the template sets the
 * CloudWatch Logs role (UpdateAccount, replace /cloudwatchRoleArn). The account always exists, so
 * delete changes nothing, as CloudFormation leaves it. Ref and GetAtt Id are an id CloudFormation
 * makes up (the docs' `mysta-accou-01234b567890example`).
 */
import type { ProviderContext, ResourceProvider } from "../types.ts";
import { optString, type Properties } from "./properties.ts";

async function setRole(context: ProviderContext, props: Properties): Promise<void> {
  await context.call.call("apigateway", "UpdateAccount", {
    patchOperations: [
      { op: "replace", path: "/cloudwatchRoleArn", value: optString(props, "CloudWatchRoleArn") ?? "" },
    ],
  });
}

export const accountProvider: ResourceProvider = {
  async create(context, props) {
    await setRole(context, props);
    const id = context.physicalName({ maxLength: 64 });
    return { physicalId: id, attributes: { Id: id } };
  },

  async update(context, current, props) {
    await setRole(context, props);
    return { physicalId: current.physicalId, attributes: { Id: current.physicalId } };
  },

  async delete() {},
};
