/**
 * PutFunctionConcurrency (PUT /2017-10-31/functions/{name}/concurrency), GetFunctionConcurrency (GET
 * /2019-09-30/…), DeleteFunctionConcurrency (DELETE /2017-10-31/…, 204) and GetAccountSettings (GET
 * /2016-08-19/account-settings).
 *
 * Reserved concurrency is kept on the function record; Invoke enforces it (invoke/pools.ts): a
 * function with N reserved runs at most N at once (0: every invoke is throttled), and functions
 * without a reservation share what the account has left. The account keeps an unreserved minimum of
 * 100 (or its whole limit when that is smaller, as on small AWS accounts).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import { constraintText, unreservedBelowMinimum, validationErrors } from "../errors.ts";
import type { LambdaStore } from "../store.ts";
import { requireFunction } from "./lookup.ts";
import { optionalInteger } from "./validate.ts";

/** Lambda's unreserved minimum on an account with the default quota. */
export const UNRESERVED_MINIMUM = 100;
/** AWS's default quotas (GetAccountSettings' AccountLimit). */
export const TOTAL_CODE_SIZE_LIMIT = 80_530_636_800;
export const CODE_SIZE_UNZIPPED_LIMIT = 262_144_000;
export const CODE_SIZE_ZIPPED_LIMIT = 52_428_800;

export interface ConcurrencyInput {
  FunctionName: string;
  ReservedConcurrentExecutions?: unknown;
}

/** What the control plane needs from Invoke's pools. */
export interface ConcurrencyHooks {
  accountConcurrency: number;
  /** A function's reservation changed (undefined: removed). */
  setReservation(accountId: string, region: string, name: string, reserved: number | undefined): void;
}

export function unreservedMinimum(accountConcurrency: number): number {
  return Math.min(UNRESERVED_MINIMUM, accountConcurrency);
}

export function putFunctionConcurrency(store: LambdaStore, hooks: ConcurrencyHooks) {
  return async (input: ConcurrencyInput, context: RequestContext): Promise<RestJsonResult> => {
    const reserved = optionalInteger(input.ReservedConcurrentExecutions, "ReservedConcurrentExecutions");
    if (reserved === undefined) {
      throw validationErrors([
        constraintText("reservedConcurrentExecutions", undefined, "Member must not be null"),
      ]);
    }
    if (reserved < 0) {
      throw validationErrors([
        constraintText(
          "reservedConcurrentExecutions",
          String(reserved),
          "Member must have value greater than or equal to 0",
        ),
      ]);
    }
    const record = await store.storage.transaction(async (tx) => {
      const record = await requireFunction(store, context, input.FunctionName, tx);
      const others = (await store.allFunctions(tx, context.accountId, context.region))
        .filter((f) => f.name !== record.name)
        .reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
      const limit = hooks.accountConcurrency;
      const minimum = unreservedMinimum(limit);
      if (limit - others - reserved < minimum) throw unreservedBelowMinimum(minimum);
      const next = { ...record, reservedConcurrency: reserved };
      store.put(tx, next);
      return next;
    });
    hooks.setReservation(record.accountId, record.region, record.name, reserved);
    return { body: { ReservedConcurrentExecutions: reserved } };
  };
}

export function getFunctionConcurrency(store: LambdaStore) {
  return async (input: ConcurrencyInput, context: RequestContext): Promise<RestJsonResult> => {
    const record = await requireFunction(store, context, input.FunctionName, store.storage);
    return {
      body:
        record.reservedConcurrency === undefined
          ? {}
          : { ReservedConcurrentExecutions: record.reservedConcurrency },
    };
  };
}

export function deleteFunctionConcurrency(store: LambdaStore, hooks: ConcurrencyHooks) {
  return async (input: ConcurrencyInput, context: RequestContext): Promise<RestJsonResult> => {
    const record = await store.storage.transaction(async (tx) => {
      const record = await requireFunction(store, context, input.FunctionName, tx);
      const { reservedConcurrency: _removed, ...next } = record;
      store.put(tx, next);
      return next;
    });
    hooks.setReservation(record.accountId, record.region, record.name, undefined);
    return { status: 204 };
  };
}

export function getAccountSettings(store: LambdaStore, hooks: ConcurrencyHooks) {
  return async (_input: unknown, context: RequestContext): Promise<RestJsonResult> => {
    const functions = await store.allFunctions(store.storage, context.accountId, context.region);
    let reserved = 0;
    let totalCodeSize = 0;
    for (const record of functions) {
      reserved += record.reservedConcurrency ?? 0;
      totalCodeSize += record.settings.code.codeSize;
      for (const version of await store.listVersions(store.storage, record)) {
        totalCodeSize += version.settings.code.codeSize;
      }
    }
    return {
      body: {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE_LIMIT,
          CodeSizeUnzipped: CODE_SIZE_UNZIPPED_LIMIT,
          CodeSizeZipped: CODE_SIZE_ZIPPED_LIMIT,
          ConcurrentExecutions: hooks.accountConcurrency,
          UnreservedConcurrentExecutions: hooks.accountConcurrency - reserved,
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
      },
    };
  };
}
