/**
 * Usage plans and their keys (account-level): CreateUsagePlan (201), GetUsagePlan, GetUsagePlans
 * (keyId filter), UpdateUsagePlan, DeleteUsagePlan (202); CreateUsagePlanKey (201, keyType API_KEY),
 * GetUsagePlanKey, GetUsagePlanKeys (name prefix), DeleteUsagePlanKey (202).
 *
 * UpdateUsagePlan's patch paths: replace /name, /description, /productCode, /throttle/burstLimit,
 * /throttle/rateLimit, /quota/limit, /quota/offset, /quota/period; remove /throttle, /quota;
 * add|remove /apiStages with value "{apiId}:{stage}".
 *
 * Texts: "Invalid Usage Plan ID specified" and "Invalid API Key identifier specified" as moto holds
 * them against AWS.
 *
 * ## Gaps
 * - Per-method throttles inside apiStages (/apiStages/{id}:{stage}/throttle/...) are not patchable.
 * - GetUsage and UpdateUsage are not implemented.
 */
import type { KvReader, KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import {
  apiKeyNotFound,
  apiNotFound,
  badRequest,
  enumViolation,
  notFound,
  stageNotFound,
  usagePlanNotFound,
  validationErrors,
} from "./errors.ts";
import { defined, type Json, limitOf, objectList, operation, page, str, stringMap } from "./http.ts";
import { invalidPatchPath, type PatchOperation, patchOperations } from "./patch.ts";
import {
  deleteUsagePlanRecord,
  FORMAT_VERSION,
  listUsagePlans,
  readApi,
  readApiKey,
  readUsagePlan,
  type UsagePlanState,
  writeUsagePlan,
} from "./store.ts";

const PERIODS = ["DAY", "WEEK", "MONTH"];

function throttleOf(raw: unknown): Json | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = raw as Json;
  return defined({
    burstLimit: typeof value.burstLimit === "number" ? value.burstLimit : undefined,
    rateLimit: typeof value.rateLimit === "number" ? value.rateLimit : undefined,
  });
}

function quotaOf(raw: unknown): Json | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = raw as Json;
  const period = typeof value.period === "string" ? value.period : undefined;
  if (period !== undefined && !PERIODS.includes(period)) {
    throw validationErrors([enumViolation(period, "createUsagePlanInput.quota.period", PERIODS)]);
  }
  return defined({
    limit: typeof value.limit === "number" ? value.limit : undefined,
    offset: typeof value.offset === "number" ? value.offset : 0,
    period,
  });
}

async function checkApiStage(
  reader: KvReader,
  accountId: string,
  region: string,
  apiId: string,
  stage: string,
) {
  const api = await readApi(reader, accountId, region, apiId);
  if (api === undefined) throw apiNotFound(accountId, apiId);
  if (api.stages[stage] === undefined) throw stageNotFound();
}

function applyUsagePlanPatch(plan: Json, op: PatchOperation): string | undefined {
  const path = op.path ?? "";
  if (["/name", "/description", "/productCode"].includes(path)) {
    if (op.op === "remove" || !op.value) delete plan[path.slice(1)];
    else plan[path.slice(1)] = op.value;
    return undefined;
  }
  if (path === "/throttle" || path === "/quota") {
    if (op.op !== "remove") throw invalidPatchPath(path);
    delete plan[path.slice(1)];
    return undefined;
  }
  const [, group, member] = path.split("/");
  if ((group === "throttle" || group === "quota") && member !== undefined) {
    const target = { ...((plan[group] as Json | undefined) ?? {}) };
    if (op.op === "remove") delete target[member];
    else if (member === "period") {
      if (!PERIODS.includes(op.value ?? "")) throw badRequest(`Invalid quota period specified: ${op.value}`);
      target.period = op.value;
    } else {
      const n = Number(op.value);
      if (op.value === undefined || Number.isNaN(n))
        throw badRequest(`Invalid value for ${path}: ${op.value}`);
      target[member] = n;
    }
    plan[group] = target;
    return undefined;
  }
  if (path === "/apiStages") {
    const [apiId = "", stage = ""] = (op.value ?? "").split(":");
    const stages = ((plan.apiStages as Json[] | undefined) ?? []).filter(
      (s) => !(s.apiId === apiId && s.stage === stage),
    );
    if (op.op === "add") stages.push({ apiId, stage });
    else if (op.op !== "remove") throw invalidPatchPath(path);
    plan.apiStages = stages;
    return op.op === "add" ? `${apiId}:${stage}` : undefined;
  }
  throw invalidPatchPath(op.path);
}

async function requirePlan(
  reader: KvReader,
  accountId: string,
  region: string,
  id: string,
): Promise<UsagePlanState> {
  const plan = await readUsagePlan(reader, accountId, region, id);
  if (plan === undefined) throw usagePlanNotFound();
  return plan;
}

function usagePlanKeyView(key: Json): Json {
  return defined({ id: key.id, type: "API_KEY", value: key.value, name: key.name });
}

export function usagePlanOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateUsagePlan: operation(async (request) => {
      const { accountId, region } = request.context;
      const body = request.body;
      const name = str(body, "name");
      if (name === undefined) {
        throw validationErrors([
          "Value null at 'createUsagePlanInput.name' failed to satisfy constraint: Member must not be null",
        ]);
      }
      const apiStages = (objectList(body, "apiStages") ?? []).map((s) =>
        defined({
          apiId: String(s.apiId ?? ""),
          stage: String(s.stage ?? ""),
          throttle: s.throttle ?? undefined,
        }),
      );
      const tags = stringMap(body, "tags");
      const plan = defined({
        id: randomId(6),
        name,
        description: str(body, "description"),
        apiStages,
        throttle: throttleOf(body.throttle),
        quota: quotaOf(body.quota),
        productCode: str(body, "productCode"),
        tags: tags && Object.keys(tags).length > 0 ? tags : undefined,
      }) as UsagePlanState["plan"];
      await storage.transaction(async (tx) => {
        for (const s of apiStages)
          await checkApiStage(tx, accountId, region, String(s.apiId), String(s.stage));
        writeUsagePlan(tx, accountId, region, { v: FORMAT_VERSION, plan, keyIds: [] });
      });
      return { status: 201, body: plan };
    }),

    GetUsagePlan: operation(async (request) => {
      const { accountId, region } = request.context;
      return { body: (await requirePlan(storage, accountId, region, request.label("usageplanId"))).plan };
    }),

    GetUsagePlans: operation(async (request) => {
      const { accountId, region } = request.context;
      const keyId = request.query("keyId");
      const plans = (await listUsagePlans(storage, accountId, region))
        .filter((p) => keyId === undefined || p.keyIds.includes(keyId))
        .map((p) => p.plan);
      return { body: page(plans, request.query("position"), limitOf(request)) };
    }),

    UpdateUsagePlan: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateUsagePlanInput");
      const out = await storage.transaction(async (tx) => {
        const state = await requirePlan(tx, accountId, region, request.label("usageplanId"));
        const plan = structuredClone(state.plan);
        for (const op of ops) {
          const added = applyUsagePlanPatch(plan, op);
          if (added !== undefined) {
            const [apiId = "", stage = ""] = added.split(":");
            await checkApiStage(tx, accountId, region, apiId, stage);
          }
        }
        state.plan = plan;
        writeUsagePlan(tx, accountId, region, state);
        return plan;
      });
      return { body: out };
    }),

    DeleteUsagePlan: operation(async (request) => {
      const { accountId, region } = request.context;
      await storage.transaction(async (tx) => {
        const state = await requirePlan(tx, accountId, region, request.label("usageplanId"));
        deleteUsagePlanRecord(tx, accountId, region, state.plan.id);
      });
      return { status: 202 };
    }),

    CreateUsagePlanKey: operation(async (request) => {
      const { accountId, region } = request.context;
      const keyId = str(request.body, "keyId");
      const keyType = str(request.body, "keyType");
      if (keyType !== "API_KEY") throw badRequest(`Invalid key type specified: ${keyType ?? "null"}`);
      const out = await storage.transaction(async (tx) => {
        const state = await requirePlan(tx, accountId, region, request.label("usageplanId"));
        const key = keyId === undefined ? undefined : await readApiKey(tx, accountId, region, keyId);
        if (key === undefined) throw apiKeyNotFound();
        if (!state.keyIds.includes(String(key.id))) state.keyIds.push(String(key.id));
        writeUsagePlan(tx, accountId, region, state);
        return usagePlanKeyView(key);
      });
      return { status: 201, body: out };
    }),

    GetUsagePlanKey: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requirePlan(storage, accountId, region, request.label("usageplanId"));
      const keyId = request.label("keyId");
      const key = await readApiKey(storage, accountId, region, keyId);
      if (key === undefined) throw apiKeyNotFound();
      if (!state.keyIds.includes(keyId)) throw notFound("Invalid Usage Plan Key identifier specified");
      return { body: usagePlanKeyView(key) };
    }),

    GetUsagePlanKeys: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requirePlan(storage, accountId, region, request.label("usageplanId"));
      const name = request.query("name");
      const keys: Json[] = [];
      for (const id of state.keyIds) {
        const key = await readApiKey(storage, accountId, region, id);
        if (key !== undefined && (name === undefined || String(key.name ?? "").startsWith(name))) {
          keys.push(usagePlanKeyView(key));
        }
      }
      return { body: page(keys, request.query("position"), limitOf(request)) };
    }),

    DeleteUsagePlanKey: operation(async (request) => {
      const { accountId, region } = request.context;
      await storage.transaction(async (tx) => {
        const state = await requirePlan(tx, accountId, region, request.label("usageplanId"));
        const keyId = request.label("keyId");
        if (!state.keyIds.includes(keyId)) throw notFound("Invalid Usage Plan Key identifier specified");
        state.keyIds = state.keyIds.filter((id) => id !== keyId);
        writeUsagePlan(tx, accountId, region, state);
      });
      return { status: 202 };
    }),
  };
}
