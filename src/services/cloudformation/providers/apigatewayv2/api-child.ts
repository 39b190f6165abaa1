/**
 * The lifecycle the HTTP API's Authorizer, Integration and Route resources share: Create<X> under the
 * ApiId (create-only: a new ApiId replaces the resource), Update<X> in place with all the template's
 * members, Delete<X> (a child already gone counts as deleted). Ref is the child's id; GetAtt <X>Id.
 */
import { ignoringNotFound } from "../apigateway/calls.ts";
import { type Properties, reqString } from "../apigateway/properties.ts";
import type { ResourceProvider } from "../types.ts";

export interface ApiChildOperations {
  /** The API Gateway V2 operations, e.g. CreateRoute, UpdateRoute, DeleteRoute. */
  readonly create: string;
  readonly update: string;
  readonly delete: string;
  /** The wire member naming the child, e.g. routeId. */
  readonly idMember: string;
  /** The GetAtt attribute holding the id, e.g. RouteId. */
  readonly idAttribute: string;
  /** The create and update request members read from the template's properties. */
  readonly members: (props: Properties) => Properties;
}

export function apiChildProvider(operations: ApiChildOperations): ResourceProvider {
  const { idMember, idAttribute, members } = operations;
  return {
    replaceOn: ["ApiId"],

    async create(context, props) {
      const created = await context.call.call("apigatewayv2", operations.create, {
        apiId: reqString(props, "ApiId"),
        ...members(props),
      });
      const id = String(created[idMember]);
      return { physicalId: id, attributes: { [idAttribute]: id } };
    },

    async update(context, current, props) {
      await context.call.call("apigatewayv2", operations.update, {
        apiId: reqString(props, "ApiId"),
        [idMember]: current.physicalId,
        ...members(props),
      });
      return { physicalId: current.physicalId, attributes: { [idAttribute]: current.physicalId } };
    },

    async delete(context, current) {
      const apiId = String(current.properties.ApiId ?? "");
      await ignoringNotFound(() =>
        context.call.call("apigatewayv2", operations.delete, { apiId, [idMember]: current.physicalId }),
      );
    },
  };
}
