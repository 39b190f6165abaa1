/**
 * The account's API Gateway settings: GetAccount, UpdateAccount (replace /cloudwatchRoleArn, add or
 * remove /features). Answers AWS's account-level defaults: throttleSettings burst 5000 and rate
 * 10000 requests a second (API Gateway quotas), features ["UsagePlans"], apiKeyVersion "4".
 * Terraform's aws_api_gateway_account and CloudFormation's AWS::ApiGateway::Account set the
 * CloudWatch role here.
 *
 * Key: ("apigateway", account, region, "account") → the settings the user changed.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { tuple } from "../../../storage/tuple.ts";
import type { OperationHandler } from "../../service.ts";
import { defined, type Json, operation } from "./http.ts";
import { invalidPatchPath, patchOperations } from "./patch.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const accountKey = (accountId: string, region: string) => tuple("apigateway", accountId, region, "account");

function view(settings: Json): Json {
  return defined({
    cloudwatchRoleArn: settings.cloudwatchRoleArn,
    throttleSettings: { burstLimit: 5000, rateLimit: 10000.0 },
    features: settings.features ?? ["UsagePlans"],
    apiKeyVersion: "4",
  });
}

export function accountOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    GetAccount: operation(async (request) => {
      const { accountId, region } = request.context;
      const bytes = await storage.get(accountKey(accountId, region));
      return { body: view(bytes === undefined ? {} : (JSON.parse(decoder.decode(bytes)) as Json)) };
    }),

    UpdateAccount: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateAccountInput");
      const settings = await storage.transaction(async (tx) => {
        const bytes = await tx.get(accountKey(accountId, region));
        const current: Json = bytes === undefined ? {} : (JSON.parse(decoder.decode(bytes)) as Json);
        for (const op of ops) {
          if (op.path === "/cloudwatchRoleArn" && op.op === "replace") {
            if (op.value) current.cloudwatchRoleArn = op.value;
            else delete current.cloudwatchRoleArn;
          } else if (op.path === "/features" && (op.op === "add" || op.op === "remove") && op.value) {
            const features = new Set((current.features as string[] | undefined) ?? ["UsagePlans"]);
            if (op.op === "add") features.add(op.value);
            else features.delete(op.value);
            current.features = [...features];
          } else throw invalidPatchPath(op.path);
        }
        tx.put(accountKey(accountId, region), encoder.encode(JSON.stringify(current)));
        return current;
      });
      return { body: view(settings) };
    }),
  };
}
