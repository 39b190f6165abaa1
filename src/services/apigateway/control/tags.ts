/**
 * Tags: GetTags, TagResource (204), UntagResource (204) for the ARNs of what this control plane keeps:
 *   arn:aws:apigateway:{region}::/restapis/{id}
 *   arn:aws:apigateway:{region}::/restapis/{id}/stages/{stage}
 *   arn:aws:apigateway:{region}::/apikeys/{id}
 *   arn:aws:apigateway:{region}::/usageplans/{id}
 * Tags live on the records themselves (`tags`), where the Get operations answer them.
 */
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import type { OperationHandler } from "../../service.ts";
import { apiKeyNotFound, apiNotFound, badRequest, stageNotFound, usagePlanNotFound } from "./errors.ts";
import { type Json, operation, stringMap } from "./http.ts";
import { readApi, readApiKey, readUsagePlan, writeApi, writeApiKey, writeUsagePlan } from "./store.ts";

const ARN = /^arn:aws:apigateway:([^:]+)::\/(restapis|apikeys|usageplans)\/([^/]+)(?:\/stages\/([^/]+))?$/;

/** Reads the tagged record, lets `change` edit its tags, writes it back when `write` is set. */
async function withTags(
  tx: KvTransaction,
  accountId: string,
  region: string,
  arn: string,
  change: (tags: Record<string, string>) => void,
  write: boolean,
): Promise<Record<string, string>> {
  const match = ARN.exec(arn);
  if (match === null || match[1] !== region) throw badRequest(`Invalid ARN specified in the request`);
  const [, , kind, id = "", stage] = match;
  const edit = (record: Json) => {
    const tags = { ...((record.tags as Record<string, string> | undefined) ?? {}) };
    change(tags);
    if (Object.keys(tags).length > 0) record.tags = tags;
    else delete record.tags;
    return tags;
  };
  if (kind === "restapis") {
    const state = await readApi(tx, accountId, region, id);
    if (state === undefined) throw apiNotFound(accountId, id);
    const record = stage === undefined ? state.api : state.stages[stage];
    if (record === undefined) throw stageNotFound();
    const tags = edit(record);
    if (write) writeApi(tx, accountId, region, state);
    return tags;
  }
  if (kind === "apikeys") {
    const key = await readApiKey(tx, accountId, region, id);
    if (key === undefined) throw apiKeyNotFound();
    const tags = edit(key);
    if (write) writeApiKey(tx, accountId, region, key);
    return tags;
  }
  const plan = await readUsagePlan(tx, accountId, region, id);
  if (plan === undefined) throw usagePlanNotFound();
  const tags = edit(plan.plan);
  if (write) writeUsagePlan(tx, accountId, region, plan);
  return tags;
}

export function tagOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    GetTags: operation(async (request) => {
      const { accountId, region } = request.context;
      const tags = await storage.transaction((tx) =>
        withTags(tx, accountId, region, request.label("resource_arn"), () => {}, false),
      );
      return { body: { tags } };
    }),

    TagResource: operation(async (request) => {
      const { accountId, region } = request.context;
      const added = stringMap(request.body, "tags") ?? {};
      await storage.transaction((tx) =>
        withTags(
          tx,
          accountId,
          region,
          request.label("resource_arn"),
          (tags) => Object.assign(tags, added),
          true,
        ),
      );
      return { status: 204 };
    }),

    UntagResource: operation(async (request) => {
      const { accountId, region } = request.context;
      const keys = request.queryAll("tagKeys");
      await storage.transaction((tx) =>
        withTags(
          tx,
          accountId,
          region,
          request.label("resource_arn"),
          (tags) => {
            for (const key of keys) delete tags[key];
          },
          true,
        ),
      );
      return { status: 204 };
    }),
  };
}
