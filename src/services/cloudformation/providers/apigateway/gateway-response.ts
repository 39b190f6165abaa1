/**
 * AWS::ApiGateway::GatewayResponse: PutGatewayResponse, which also serves updates (a put replaces the
 * response whole); ResponseType and RestApiId are create-only. API Gateway gives gateway responses no
 * id, so Ref (and GetAtt Id) is one CloudFormation makes up.
 */
import type { ProviderContext, ResourceProvider } from "../types.ts";
import { ignoringNotFound } from "./calls.ts";
import { optString, optStringMap, type Properties, reqString } from "./properties.ts";

async function put(context: ProviderContext, props: Properties): Promise<void> {
  await context.call.call("apigateway", "PutGatewayResponse", {
    restApiId: reqString(props, "RestApiId"),
    responseType: reqString(props, "ResponseType"),
    statusCode: optString(props, "StatusCode"),
    responseParameters: optStringMap(props, "ResponseParameters"),
    responseTemplates: optStringMap(props, "ResponseTemplates"),
  });
}

export const gatewayResponseProvider: ResourceProvider = {
  replaceOn: ["ResponseType", "RestApiId"],

  async create(context, props) {
    await put(context, props);
    const id = context.physicalName({ maxLength: 64 });
    return { physicalId: id, attributes: { Id: id } };
  },

  async update(context, current, props) {
    await put(context, props);
    return { physicalId: current.physicalId, attributes: { Id: current.physicalId } };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    const responseType = String(current.properties.ResponseType ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteGatewayResponse", { restApiId, responseType }),
    );
  },
};
