/**
 * AWS::ApiGateway::UsagePlanKey: CreateUsagePlanKey; every property is create-only. Ref is
 * "{keyId}:{usagePlanId}" (the docs' `123abcdef:abc123`); GetAtt Id is the same.
 */
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound } from "./calls.ts";
import { reqString } from "./properties.ts";

export const usagePlanKeyProvider: ResourceProvider = {
  replaceOn: ["KeyId", "KeyType", "UsagePlanId"],

  async create(context, props) {
    const keyId = reqString(props, "KeyId");
    const usagePlanId = reqString(props, "UsagePlanId");
    await context.call.call("apigateway", "CreateUsagePlanKey", {
      usagePlanId,
      keyId,
      keyType: reqString(props, "KeyType"),
    });
    const id = `${keyId}:${usagePlanId}`;
    return { physicalId: id, attributes: { Id: id } };
  },

  async delete(context, current) {
    const keyId = String(current.properties.KeyId ?? "");
    const usagePlanId = String(current.properties.UsagePlanId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteUsagePlanKey", { usagePlanId, keyId }),
    );
  },
};
