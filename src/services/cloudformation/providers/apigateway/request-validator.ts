/**
 * AWS::ApiGateway::RequestValidator: CreateRequestValidator; ValidateRequestBody and
 * ValidateRequestParameters update in place (UpdateRequestValidator); Name and RestApiId are
 * create-only. Ref is the validator id; GetAtt RequestValidatorId.
 */
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound, type PatchOperation, replaceIfChanged } from "./calls.ts";
import { optBool, optString, reqString } from "./properties.ts";

export const requestValidatorProvider: ResourceProvider = {
  replaceOn: ["Name", "RestApiId"],

  async create(context, props) {
    const created = await context.call.call("apigateway", "CreateRequestValidator", {
      restApiId: reqString(props, "RestApiId"),
      name: optString(props, "Name") ?? context.physicalName({ maxLength: 255 }),
      validateRequestBody: optBool(props, "ValidateRequestBody") ?? false,
      validateRequestParameters: optBool(props, "ValidateRequestParameters") ?? false,
    });
    const id = String(created.id);
    return { physicalId: id, attributes: { RequestValidatorId: id } };
  },

  async update(context, current, props) {
    const ops: PatchOperation[] = [];
    for (const [name, path] of [
      ["ValidateRequestBody", "/validateRequestBody"],
      ["ValidateRequestParameters", "/validateRequestParameters"],
    ] as const) {
      ops.push(
        ...replaceIfChanged(path, optBool(current.properties, name) ?? false, optBool(props, name) ?? false),
      );
    }
    if (ops.length > 0) {
      await context.call.call("apigateway", "UpdateRequestValidator", {
        restApiId: reqString(props, "RestApiId"),
        requestValidatorId: current.physicalId,
        patchOperations: ops,
      });
    }
    return { physicalId: current.physicalId, attributes: { RequestValidatorId: current.physicalId } };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteRequestValidator", {
        restApiId,
        requestValidatorId: current.physicalId,
      }),
    );
  },
};
