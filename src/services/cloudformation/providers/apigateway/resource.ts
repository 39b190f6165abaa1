/**
 * AWS::ApiGateway::Resource: CreateResource under ParentId. Every property replaces the resource
 * (ParentId, PathPart, RestApiId are create-only). Ref is the resource id; GetAtt ResourceId.
 */
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound } from "./calls.ts";
import { reqString } from "./properties.ts";

export const resourceProvider: ResourceProvider = {
  replaceOn: ["ParentId", "PathPart", "RestApiId"],

  async create(context, props) {
    const created = await context.call.call("apigateway", "CreateResource", {
      restApiId: reqString(props, "RestApiId"),
      parentId: reqString(props, "ParentId"),
      pathPart: reqString(props, "PathPart"),
    });
    const id = String(created.id);
    return { physicalId: id, attributes: { ResourceId: id } };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteResource", { restApiId, resourceId: current.physicalId }),
    );
  },
};
