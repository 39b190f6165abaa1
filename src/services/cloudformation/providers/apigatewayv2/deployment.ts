/**
 * AWS::ApiGatewayV2::Deployment: CreateDeployment (with StageName, that stage then serves it).
 * Update: the description through UpdateDeployment, and a new StageName pointed at this deployment;
 * ApiId is create-only. Ref is the deployment id; GetAtt DeploymentId.
 */
import { ignoringNotFound } from "../apigateway/calls.ts";
import { optString, reqString } from "../apigateway/properties.ts";
import type { ResourceProvider } from "../types.ts";

export const deploymentProvider: ResourceProvider = {
  replaceOn: ["ApiId"],

  async create(context, props) {
    const created = await context.call.call("apigatewayv2", "CreateDeployment", {
      apiId: reqString(props, "ApiId"),
      description: optString(props, "Description"),
      stageName: optString(props, "StageName"),
    });
    const id = String(created.deploymentId);
    return { physicalId: id, attributes: { DeploymentId: id } };
  },

  async update(context, current, props) {
    const apiId = reqString(props, "ApiId");
    const deploymentId = current.physicalId;
    const description = optString(props, "Description");
    if (description !== optString(current.properties, "Description")) {
      await context.call.call("apigatewayv2", "UpdateDeployment", {
        apiId,
        deploymentId,
        description: description ?? "",
      });
    }
    const stageName = optString(props, "StageName");
    if (stageName !== undefined && stageName !== optString(current.properties, "StageName")) {
      await context.call.call("apigatewayv2", "UpdateStage", { apiId, stageName, deploymentId });
    }
    return { physicalId: deploymentId, attributes: { DeploymentId: deploymentId } };
  },

  async delete(context, current) {
    const apiId = String(current.properties.ApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigatewayv2", "DeleteDeployment", { apiId, deploymentId: current.physicalId }),
    );
  },
};
