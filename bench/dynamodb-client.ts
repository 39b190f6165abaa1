/**
 * The DynamoDB side of the lean client: awsJson1_0 requests (`X-Amz-Target: DynamoDB_20120810.<Op>`)
 * signed once and replayed, the benchmark's table and items, and the setup every contestant gets
 * (CreateTable, wait for ACTIVE, seed), all over plain signed HTTP.
 *
 * The table has a string HASH key `pk` and a string RANGE key `sk`. Partition `query` holds
 * ITEM_COUNT items that GetItem reads and Query returns; PutItem writes a pool of keys in partition
 * `put`, overwriting them again and again, so the Query partition never changes. Every item is
 * ITEM_BYTES as DynamoDB counts item size (attribute names plus values).
 */
import { type SentResponse, type SignedRequest, sendSigned, signPost } from "./lib/signed-requests.ts";

export const TABLE_NAME = "stratus-bench";
export const QUERY_PK = "query";
export const PUT_PK = "put";
export const ITEM_COUNT = 100;
/** DynamoDB's size of each item: UTF-8 lengths of attribute names and string values, plus the number. */
export const ITEM_BYTES = 200;

const TARGET_PREFIX = "DynamoDB_20120810.";
const CONTENT_TYPE = "application/x-amz-json-1.0";
const ACTIVE_TIMEOUT_MS = 15_000;
const ACTIVE_POLL_MS = 50;
const SEED_CONCURRENCY = 8;

export type AttributeValue = { readonly S: string } | { readonly N: string };
export type Item = Readonly<Record<string, AttributeValue>>;

/** Thrown for a non-2xx answer; the message reads "answered <type> to <Operation>: <message>". */
export class DynamoDbCallError extends Error {
  override readonly name = "DynamoDbCallError";
}

/** Signs one DynamoDB call for `baseUrl`, ready to send or to replay. */
export function signDynamoDb(baseUrl: string, operation: string, input: unknown): Promise<SignedRequest> {
  return signPost(
    baseUrl,
    "dynamodb",
    { "content-type": CONTENT_TYPE, "x-amz-target": `${TARGET_PREFIX}${operation}` },
    JSON.stringify(input),
  );
}

/** Signs, sends, and returns the parsed answer; throws DynamoDbCallError for anything but 200. */
export async function callDynamoDb(baseUrl: string, operation: string, input: unknown): Promise<unknown> {
  const response = await sendSigned(baseUrl, await signDynamoDb(baseUrl, operation, input));
  return parseAnswer(operation, response);
}

/** The parsed JSON of a 200 answer; otherwise a DynamoDbCallError naming AWS's error type. */
export function parseAnswer(operation: string, response: SentResponse): unknown {
  let parsed: unknown;
  try {
    parsed = response.body === "" ? {} : JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (response.status === 200 && parsed !== undefined) return parsed;
  const error = (parsed ?? {}) as { __type?: unknown; message?: unknown; Message?: unknown };
  const type = typeof error.__type === "string" ? error.__type.split("#").pop() : undefined;
  const message = error.message ?? error.Message;
  const detail = typeof message === "string" && message !== "" ? `: ${message}` : "";
  const what = type ?? `HTTP ${response.status}${parsed === undefined ? ` ${snippet(response.body)}` : ""}`;
  throw new DynamoDbCallError(`answered ${what} to ${operation}${detail}`);
}

/** The key attributes of item `index` in partition `pk`. */
export function keyOf(pk: string, index: number): Item {
  return { pk: { S: pk }, sk: { S: `item-${String(index).padStart(3, "0")}` } };
}

/** Item `index` of partition `pk`: its key, a number, and a payload filling it up to ITEM_BYTES. */
export function itemOf(pk: string, index: number): Item {
  const key = keyOf(pk, index);
  const sk = (key.sk as { S: string }).S;
  const n = String(index);
  // DynamoDB counts a number as 1 byte plus 1 per 2 significant digits (rounded up).
  const numberBytes = 1 + Math.ceil(n.replace(/^0+/, "").length / 2);
  const fixed = "pk".length + pk.length + "sk".length + sk.length + "n".length + numberBytes;
  const payloadBytes = ITEM_BYTES - fixed - "payload".length;
  return { ...key, n: { N: n }, payload: { S: payloadOf(pk, index, payloadBytes) } };
}

/** Deterministic lowercase text, different for every item. */
function payloadOf(pk: string, index: number, length: number): string {
  let state = (index + 1) * 2_654_435_761 + pk.length;
  let text = "";
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    text += String.fromCharCode(97 + (state % 26));
  }
  return text;
}

/** CreateTable (HASH pk, RANGE sk, on demand), wait for ACTIVE, then put the Query partition's items. */
export async function prepareTable(baseUrl: string): Promise<void> {
  await callDynamoDb(baseUrl, "CreateTable", {
    TableName: TABLE_NAME,
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  });
  await waitActive(baseUrl);
  const indexes = Array.from({ length: ITEM_COUNT }, (_, i) => i);
  const worker = async () => {
    for (let index = indexes.shift(); index !== undefined; index = indexes.shift()) {
      await callDynamoDb(baseUrl, "PutItem", { TableName: TABLE_NAME, Item: itemOf(QUERY_PK, index) });
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

async function waitActive(baseUrl: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  let status = "unknown";
  while (Date.now() < deadline) {
    const answer = (await callDynamoDb(baseUrl, "DescribeTable", { TableName: TABLE_NAME })) as {
      Table?: { TableStatus?: string };
    };
    status = answer.Table?.TableStatus ?? "missing";
    if (status === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
  throw new Error(`table ${TABLE_NAME} still ${status} after ${ACTIVE_TIMEOUT_MS} ms`);
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
