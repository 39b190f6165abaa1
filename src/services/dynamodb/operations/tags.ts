/**
 * TagResource, UntagResource, ListTagsOfResource on table ARNs. The ARN checks come first and in
 * DynamoDB's order (dynalite's recorded order: the ARN, then the tag list, then the table); texts in
 * errors.ts. Tags live in the table record (tables/tags.ts).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { AwsError } from "../../../aws/errors.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import {
  arnMustStartWithArn,
  invalidTableArn,
  noTagKeysGiven,
  noTagsGiven,
  notADynamoDbArn,
  onlyTableOrStreamArn,
  resourceArnNotFound,
  resourceNotFound,
} from "../errors.ts";
import type { DynamoDbStore } from "../store.ts";
import { type Json, list, str } from "../tables/input.ts";
import type { TableView } from "../tables/record.ts";
import { mergeTags, readTags } from "../tables/tags.ts";

const DYNAMODB_ARN = /^arn:aws[a-z-]*:dynamodb:([^:]*):([^:]*):table\/([^/]+)(\/.*)?$/;

/** The table name an ARN designates in the caller's account and region; throws DynamoDB's errors. */
function tableNameOfArn(arn: string, context: RequestContext): string {
  if (!arn.startsWith("arn:")) throw arnMustStartWithArn(arn);
  const match = DYNAMODB_ARN.exec(arn);
  if (!match) throw notADynamoDbArn(arn);
  const [, region, account, name, rest] = match;
  if (rest !== undefined) throw onlyTableOrStreamArn(arn);
  if (region !== context.region || account !== context.accountId) throw invalidTableArn(arn);
  return name!;
}

async function lookup(
  store: DynamoDbStore,
  reader: Parameters<DynamoDbStore["tables"]["get"]>[0],
  context: RequestContext,
  name: string,
  notFound: () => AwsError,
): Promise<TableView> {
  const table = await store.tables.get(reader, context.accountId, context.region, name);
  if (!table) throw notFound();
  return table;
}

export function tagResource(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "TagResource", input);
    const arn = str(input.ResourceArn) ?? "";
    const name = tableNameOfArn(arn, context);
    const added = readTags(input.Tags);
    if (added.length === 0) throw noTagsGiven();
    await store.storage.transaction(async (tx) => {
      const table = await lookup(store, tx, context, name, () => resourceArnNotFound(arn));
      store.tables.put(tx, { ...table.record, tags: mergeTags(table.record.tags, added) });
    });
    return {};
  };
}

export function untagResource(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "UntagResource", input);
    const arn = str(input.ResourceArn) ?? "";
    const name = tableNameOfArn(arn, context);
    const keys = (list(input.TagKeys) ?? []).map((key) => String(key));
    if (keys.length === 0) throw noTagKeysGiven();
    await store.storage.transaction(async (tx) => {
      const table = await lookup(store, tx, context, name, () => resourceNotFound());
      const tags = table.record.tags.filter((tag) => !keys.includes(tag.Key));
      store.tables.put(tx, { ...table.record, tags });
    });
    return {};
  };
}

export function listTagsOfResource(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "ListTagsOfResource", input);
    const arn = str(input.ResourceArn) ?? "";
    const name = tableNameOfArn(arn, context);
    const table = await lookup(store, store.storage, context, name, () => resourceArnNotFound(arn));
    return { Tags: table.record.tags };
  };
}
