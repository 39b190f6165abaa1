/**
 * API keys (account-level): CreateApiKey (201; a 40-character generated value unless one is given),
 * GetApiKey (includeValue), GetApiKeys (includeValues, name prefix, customerId), UpdateApiKey,
 * DeleteApiKey (202; also leaves every usage plan). `enabled` defaults to false, as on AWS.
 *
 * Texts: "Invalid API Key identifier specified", "API Key value should be at least 20 characters" and
 * "API Key already exists" as moto holds them against AWS.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import { apiKeyNotFound, badRequest, conflict } from "./errors.ts";
import { bool, defined, type Json, limitOf, objectList, operation, page, str, stringMap } from "./http.ts";
import { invalidPatchPath, type PatchOperation, patchOperations } from "./patch.ts";
import {
  deleteApiKeyRecord,
  listApiKeys,
  listUsagePlans,
  readApiKey,
  writeApiKey,
  writeUsagePlan,
} from "./store.ts";

const VALUE_LENGTH_MIN = 20;
const VALUE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function generatedValue(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  return Array.from(bytes, (b) => VALUE_ALPHABET[b % VALUE_ALPHABET.length]).join("");
}

/** The key as answered: `value` only when asked for. */
export function apiKeyView(key: Json, includeValue: boolean): Json {
  const { value, ...rest } = key;
  return includeValue ? { ...rest, value } : rest;
}

function applyApiKeyPatch(key: Json, op: PatchOperation): void {
  switch (op.path) {
    case "/name":
    case "/description":
    case "/customerId":
      if (op.op === "remove" || !op.value) delete key[op.path.slice(1)];
      else key[op.path.slice(1)] = op.value;
      return;
    case "/enabled":
      key.enabled = op.value === "true";
      return;
    case "/stages": {
      const stages = new Set((key.stageKeys as string[] | undefined) ?? []);
      // A stage key is "{restApiId}/{stageName}".
      if (op.op === "add" && op.value) stages.add(op.value);
      else if (op.op === "remove" && op.value) stages.delete(op.value);
      key.stageKeys = [...stages];
      return;
    }
    default:
      throw invalidPatchPath(op.path);
  }
}

export function apiKeyOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateApiKey: operation(async (request) => {
      const { accountId, region } = request.context;
      const body = request.body;
      const given = str(body, "value");
      if (given !== undefined && given.length < VALUE_LENGTH_MIN) {
        throw badRequest(`API Key value should be at least ${VALUE_LENGTH_MIN} characters`);
      }
      const now = request.nowSeconds();
      const stageKeys = objectList(body, "stageKeys")?.map(
        (entry) => `${String(entry?.restApiId ?? "")}/${String(entry?.stageName ?? "")}`,
      );
      const tags = stringMap(body, "tags");
      const key = defined({
        id: randomId(10),
        value: given ?? generatedValue(),
        name: str(body, "name"),
        customerId: str(body, "customerId"),
        description: str(body, "description"),
        enabled: bool(body, "enabled") ?? false,
        createdDate: now,
        lastUpdatedDate: now,
        stageKeys: stageKeys ?? [],
        tags: tags && Object.keys(tags).length > 0 ? tags : undefined,
      });
      await storage.transaction(async (tx) => {
        if ((await listApiKeys(tx, accountId, region)).some((k) => k.value === key.value)) {
          throw conflict("API Key already exists");
        }
        writeApiKey(tx, accountId, region, key);
      });
      return { status: 201, body: key };
    }),

    GetApiKey: operation(async (request) => {
      const { accountId, region } = request.context;
      const key = await readApiKey(storage, accountId, region, request.label("api_Key"));
      if (key === undefined) throw apiKeyNotFound();
      return { body: apiKeyView(key, request.query("includeValue") === "true") };
    }),

    GetApiKeys: operation(async (request) => {
      const { accountId, region } = request.context;
      const name = request.query("name");
      const customerId = request.query("customerId");
      const includeValues = request.query("includeValues") === "true";
      const keys = (await listApiKeys(storage, accountId, region))
        .filter((k) => name === undefined || String(k.name ?? "").startsWith(name))
        .filter((k) => customerId === undefined || k.customerId === customerId)
        .sort((a, b) => Number(a.createdDate) - Number(b.createdDate))
        .map((k) => apiKeyView(k, includeValues));
      return { body: page(keys, request.query("position"), limitOf(request)) };
    }),

    UpdateApiKey: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateApiKeyInput");
      const now = request.nowSeconds();
      const out = await storage.transaction(async (tx) => {
        const key = await readApiKey(tx, accountId, region, request.label("api_Key"));
        if (key === undefined) throw apiKeyNotFound();
        for (const op of ops) applyApiKeyPatch(key, op);
        key.lastUpdatedDate = now;
        writeApiKey(tx, accountId, region, key);
        return key;
      });
      return { body: apiKeyView(out, false) };
    }),

    DeleteApiKey: operation(async (request) => {
      const { accountId, region } = request.context;
      const keyId = request.label("api_Key");
      await storage.transaction(async (tx) => {
        if ((await readApiKey(tx, accountId, region, keyId)) === undefined) throw apiKeyNotFound();
        deleteApiKeyRecord(tx, accountId, region, keyId);
        for (const plan of await listUsagePlans(tx, accountId, region)) {
          if (!plan.keyIds.includes(keyId)) continue;
          plan.keyIds = plan.keyIds.filter((id) => id !== keyId);
          writeUsagePlan(tx, accountId, region, plan);
        }
      });
      return { status: 202 };
    }),
  };
}
