/**
 * Shared bits of the DynamoDB Streams integration tests: a side door that writes items through the
 * DynamoDB item store of a running Stratus (the item operations are not on the wire yet; this is the
 * store PutItem and DeleteItem will call, in one transaction with the stream record), and reading a
 * whole shard through the Streams API.
 */
import assert from "node:assert/strict";
import type { AttributeValue as StreamAttributeValue } from "@aws-sdk/client-dynamodb-streams";
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from "@aws-sdk/client-dynamodb-streams";
import type { Clock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import type { Item } from "../../../src/services/dynamodb/attribute-value.ts";
import { DynamoDbStore } from "../../../src/services/dynamodb/store.ts";
import type { KvStore } from "../../../src/storage/kv.ts";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

/** Item writes into a running Stratus's DynamoDB store, each in its own transaction, as PutItem/DeleteItem do. */
export class ItemWriter {
  readonly #store: DynamoDbStore;

  constructor(storage: KvStore, clock: Clock) {
    this.#store = new DynamoDbStore({ storage, clock, logger: createLogger("silent") });
  }

  async put(tableName: string, item: Item): Promise<void> {
    await this.#store.storage.transaction(async (tx) => {
      const table = await this.#store.tables.get(tx, ACCOUNT, REGION, tableName);
      assert.ok(table, `table ${tableName}`);
      await this.#store.items.put(tx, table, item);
    });
  }

  async delete(tableName: string, key: Item, options: { byService?: boolean } = {}): Promise<void> {
    await this.#store.storage.transaction(async (tx) => {
      const table = await this.#store.tables.get(tx, ACCOUNT, REGION, tableName);
      assert.ok(table, `table ${tableName}`);
      await this.#store.items.delete(tx, table, key, options);
    });
  }
}

export async function shardIdOf(client: DynamoDBStreamsClient, streamArn: string): Promise<string> {
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription?.Shards?.[0]?.ShardId;
  assert.ok(shardId);
  return shardId;
}

export async function iteratorOf(
  client: DynamoDBStreamsClient,
  streamArn: string,
  type: ShardIteratorType,
  sequenceNumber?: string,
): Promise<string> {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: await shardIdOf(client, streamArn),
      ShardIteratorType: type,
      ...(sequenceNumber !== undefined && { SequenceNumber: sequenceNumber }),
    }),
  );
  assert.ok(ShardIterator);
  return ShardIterator;
}

/** Every record from an iterator on, following NextShardIterator until a page comes back empty. */
export async function readAll(
  client: DynamoDBStreamsClient,
  iterator: string,
  limit?: number,
): Promise<{ records: _Record[]; next: string | undefined }> {
  const records: _Record[] = [];
  let next: string | undefined = iterator;
  while (next !== undefined) {
    const page: GetRecordsCommandOutput = await client.send(
      new GetRecordsCommand({ ShardIterator: next, Limit: limit }),
    );
    records.push(...(page.Records ?? []));
    const previous = next;
    next = page.NextShardIterator;
    if ((page.Records ?? []).length === 0) return { records, next: next ?? undefined };
    assert.notEqual(next, previous);
  }
  return { records, next };
}

/** A string attribute as the Streams client decodes it. */
export function s(value: string): StreamAttributeValue {
  return { S: value };
}
