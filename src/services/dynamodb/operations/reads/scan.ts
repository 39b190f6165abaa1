/**
 * Scan: every item of the table or of an index, in hash order, or of one parallel-scan segment
 * (Segment of TotalSegments: a range of partition-key hashes, so every item is in exactly one segment),
 * paged by Limit and 1 MB (page.ts).
 *
 * Checks in DynamoDB's order (dynalite validations/scan.js then actions/scan.js, its recorded tests
 * test/scan.js; conformance 2026 for the Segment texts):
 *  1. the model (coral);
 *  2. expression and legacy parameters not mixed; AttributesToGet duplicates; ScanFilter; the values of
 *     ExclusiveStartKey; Segment and TotalSegments together and in range; Select against the projection
 *     and IndexName; every expression;
 *  3. the table (ResourceNotFoundException), the index;
 *  4. the start key: its attribute count ("The provided starting key is invalid" for an index, "...:
 *     The provided key element does not match the schema" for the table), an index's key attributes,
 *     ALL_ATTRIBUTES on a GSI that does not project everything, the table's key, and that it belongs to
 *     the requested segment;
 *  5. projection and filter paths into key attributes.
 *
 * Where regions disagree (2026: a handful answer shorter Segment and start-key texts and put Select's
 * SPECIFIC_ATTRIBUTES text in coral's envelope), the majority's texts are used.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { AttributeValue } from "../../attribute-value.ts";
import type { ReturnConsumedCapacity } from "../../capacity.ts";
import {
  invalidStartKey,
  keyElementMismatch,
  segmentOutOfRange,
  segmentRequired,
  selectAllAttributesOnGsi,
  startKeyWrongSegment,
  totalSegmentsRequired,
} from "../../errors.ts";
import {
  checkExpressionParameters,
  conditionFromFilter,
  type LegacyCondition,
  parseExpressions,
  projectionFromAttributesToGet,
} from "../../expressions/index.ts";
import { checkKeyPaths } from "../../item-rules.ts";
import { partitionHash } from "../../keys.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type Json, num, obj, str } from "../../tables/input.ts";
import { tableNameOf } from "../items/request.ts";
import { readPage } from "./page.ts";
import {
  checkSelect,
  checkStartKeyAttribute,
  checkTableStartKey,
  conditionPaths,
  effectiveSelect,
  expressionParameters,
  needsTableFetch,
  resolveIndex,
  startKeyNames,
  startKeyValues,
  stringList,
} from "./request.ts";

/** Scan's parameters in the order DynamoDB lists them in the mixing error (dynalite scan.js). */
const EXPRESSIONS = ["ProjectionExpression", "FilterExpression"];
const LEGACY = ["AttributesToGet", "ScanFilter", "ConditionalOperator"];

export function scan(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "Scan", input);
    checkExpressionParameters(input, EXPRESSIONS, LEGACY);
    const attributesToGet = stringList(input.AttributesToGet);
    const legacyProjection = attributesToGet && projectionFromAttributesToGet(attributesToGet);
    const scanFilter = obj(input.ScanFilter) as Record<string, LegacyCondition> | undefined;
    const legacyFilter = scanFilter && conditionFromFilter(scanFilter, str(input.ConditionalOperator));
    const startKey = startKeyValues(input.ExclusiveStartKey);
    const segment = num(input.Segment);
    const totalSegments = num(input.TotalSegments);
    if (segment !== undefined && totalSegments === undefined) throw totalSegmentsRequired();
    if (totalSegments !== undefined && segment === undefined) throw segmentRequired();
    if (segment !== undefined && totalSegments !== undefined && segment >= totalSegments)
      throw segmentOutOfRange(segment, totalSegments);
    checkSelect(input, false);
    const parsed = parseExpressions(expressionParameters(input));
    const filter = parsed.filter ?? legacyFilter;
    const projection = parsed.projection ?? legacyProjection;

    const reader = store.storage;
    const table = await store.requireTable(reader, context, tableNameOf(input.TableName, context));
    const index = resolveIndex(table, input, store.nowMs());
    const select = effectiveSelect(input, index, projection);
    const keyNames = startKeyNames(table, index);
    if (startKey) {
      if (Object.keys(startKey).length !== keyNames.length)
        throw index ? invalidStartKey() : invalidStartKey(keyElementMismatch);
      if (index) {
        checkStartKeyAttribute(startKey, index.hash, true);
        if (index.range) checkStartKeyAttribute(startKey, index.range, false);
      }
    }
    if (index?.kind === "GSI" && select === "ALL_ATTRIBUTES" && index.projection !== "ALL")
      throw selectAllAttributesOnGsi(index.name);
    if (startKey) {
      checkTableStartKey(table, startKey);
      if (segment !== undefined && totalSegments !== undefined && totalSegments > 1) {
        const hash = (index ?? table).hash;
        const at = segmentOf(partitionHash(hash.type, startKey[hash.name] as AttributeValue), totalSegments);
        if (at !== segment) throw startKeyWrongSegment(totalSegments, segment);
      }
    }
    if (projection) checkKeyPaths(table, projection);
    if (filter) checkKeyPaths(table, conditionPaths(filter));

    const source = store.items.scan(reader, table, {
      ...(index && { index: index.name }),
      ...(segment !== undefined && totalSegments !== undefined && { segment, totalSegments }),
      ...(startKey && { exclusiveStartKey: startKey }),
    });
    return readPage(store, reader, source, {
      table,
      index,
      limit: num(input.Limit),
      filter,
      projection: select === "SPECIFIC_ATTRIBUTES" ? projection : undefined,
      countOnly: select === "COUNT",
      fetch: needsTableFetch(table, index, select, projection, filter),
      entriesOnly: select === "ALL_PROJECTED_ATTRIBUTES",
      keyNames,
      consistentRead: input.ConsistentRead === true,
      returnConsumedCapacity: str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined,
    });
  };
}

/**
 * The segment whose hash range holds a partition hash: the item store gives segment i of n the first
 * four hash bytes in [⌊i·2³²/n⌋, ⌊(i+1)·2³²/n⌋).
 */
export function segmentOf(hash: Uint8Array, totalSegments: number): number {
  const value = new DataView(hash.buffer, hash.byteOffset, 4).getUint32(0);
  const bound = (n: number) => Math.floor((n * 2 ** 32) / totalSegments);
  let segment = Math.floor((value * totalSegments) / 2 ** 32);
  while (segment + 1 < totalSegments && bound(segment + 1) <= value) segment++;
  while (segment > 0 && bound(segment) > value) segment--;
  return segment;
}
