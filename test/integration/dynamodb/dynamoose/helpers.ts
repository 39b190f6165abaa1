/**
 * Shared bits of the Dynamoose conformance tests: a Stratus for the suite with Dynamoose pointed at it,
 * a recorder of every request Dynamoose sends (operation and input, as the SDK received them), and a
 * model factory whose tables Dynamoose itself creates and waits for.
 *
 * ## Client quirks
 * - `dynamoose.aws.ddb.set()` takes the aggregated `DynamoDB` client, not a bare `DynamoDBClient`:
 *   Dynamoose calls `ddb()[method](params)` (`ddb().putItem(...)`, `ddb().createTable(...)`).
 * - With the default `initialize: true`, a model's table runs its setup flow (DescribeTable,
 *   CreateTable, DescribeTable until ACTIVE) in the background and every operation waits for it; a
 *   failure there is an unhandled rejection and the operations wait forever. The factory below passes
 *   `initialize: false` and awaits `table().initialize()`, the same flow with its errors surfaced.
 * - `Model.create()` and `item.save()` resolve to the item as stored (Dates as epoch numbers); a get,
 *   query or scan gives Dates back.
 * - Query results carry `queriedCount: undefined`: Dynamoose reads `QueriedCount`, a field DynamoDB
 *   never sends (it sends `ScannedCount`). Tests read ScannedCount from the recorded answer instead.
 * - A `contains` condition on a typed list attribute (`{type: Array, schema: [String]}`) throws inside
 *   Dynamoose (`node.forEach is not a function`) before any request; on a Set it works.
 */

import { after, before } from "node:test";
import { DynamoDB } from "@aws-sdk/client-dynamodb";
import dynamoose from "dynamoose";
import type { ModelType } from "dynamoose/dist/General.js";
import type { AnyItem } from "dynamoose/dist/Item.js";
import type { ModelTableOptions } from "dynamoose/dist/Model/index.js";
import type { Schema, SchemaDefinition } from "dynamoose/dist/Schema.js";
import type { StratusOptions } from "../../../../src/server.ts";
import { type TestStratus, useStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";

export type DynamooseModel = ModelType<AnyItem>;

export interface RecordedRequest {
  /** The DynamoDB operation, e.g. `PutItem`. */
  operation: string;
  input: Record<string, unknown>;
  /** The parsed answer, once it came (absent for errors). */
  output?: Record<string, unknown>;
}

/** Dynamoose polls DescribeTable every second by default; Stratus activates tables at once. */
export const FAST_WAIT = { enabled: true, check: { timeout: 10_000, frequency: 20 } } as const;

export interface DynamooseHarness {
  readonly stratus: TestStratus;
  /** Every request Dynamoose sent, in order. */
  readonly requests: RecordedRequest[];
  /** A plain SDK client on the same Stratus, to look at what Dynamoose stored. */
  sdk(): DynamoDB;
  /** The requests of one operation, in order. */
  sent(operation: string): RecordedRequest["input"][];
  /** The answers to one operation's successful requests, in order. */
  received(operation: string): Record<string, unknown>[];
  /** Defines a model on a fresh table, lets Dynamoose create it, and waits until it is ACTIVE. */
  model(
    name: string,
    schema: Schema | SchemaDefinition,
    options?: ModelTableOptions,
  ): Promise<DynamooseModel>;
}

/**
 * Starts one Stratus for the enclosing suite and points the default Dynamoose instance at it: in
 * memory unless `options` say otherwise (`{ inMemory: false }` runs on the durable on-disk store).
 */
export function useDynamoose(options: Partial<StratusOptions> = {}): DynamooseHarness {
  const stratus = useStratus({ inMemory: true, ...options });
  const requests: RecordedRequest[] = [];
  let ddb: DynamoDB | undefined;
  let sdk: DynamoDB | undefined;

  before(() => {
    ddb = new DynamoDB(stratus.clientConfig());
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? "").replace(/Command$/, "");
        const record: RecordedRequest = {
          operation,
          input: structuredClone(args.input as Record<string, unknown>),
        };
        requests.push(record);
        const result = await next(args);
        record.output = result.output as unknown as Record<string, unknown>;
        return result;
      },
      { step: "initialize", name: "recordDynamooseRequests" },
    );
    dynamoose.aws.ddb.set(ddb);
    sdk = new DynamoDB(stratus.clientConfig());
  });
  after(() => {
    dynamoose.aws.ddb.revert();
    ddb?.destroy();
    sdk?.destroy();
  });

  return {
    stratus,
    requests,
    sdk() {
      if (!sdk) throw new Error("Stratus is not started yet: use it inside a test");
      return sdk;
    },
    sent(operation) {
      return requests.filter((request) => request.operation === operation).map((request) => request.input);
    },
    received(operation) {
      return requests.flatMap((request) =>
        request.operation === operation && request.output ? [request.output] : [],
      );
    },
    async model(name, schema, options = {}) {
      const model = dynamoose.model(uniqueName(name), schema, {
        create: true,
        waitForActive: FAST_WAIT,
        throughput: "ON_DEMAND",
        ...options,
        initialize: false,
      });
      await model.table().initialize();
      return model;
    },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

/**
 * An item's attributes as a plain object, values as Dynamoose made them (Date, Set, Buffer): its own
 * enumerable properties (Dynamoose keeps its internals in private fields). `toJSON()` would turn
 * Dates into strings.
 */
export function plain(item: unknown): Record<string, unknown> {
  if (item === undefined || item === null) throw new Error("no item");
  return { ...(item as Record<string, unknown>) };
}

/** The table name Dynamoose gave a model. */
export function tableOf(model: DynamooseModel): string {
  return model.table().name;
}
