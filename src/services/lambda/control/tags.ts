/**
 * TagResource (POST /2017-03-31/tags/{ARN}, 204), UntagResource (DELETE …?tagKeys=, 204) and ListTags
 * (GET): the tags of a function, named by its unqualified ARN. A version's or an alias's ARN answers
 * Lambda's "Tags on function aliases and versions are not supported…" (LocalStack's provider,
 * recorded from Lambda); a function that does not exist, "Function not found: ARN".
 *
 * ## Gaps
 * - Event source mappings and code signing configs have no tags here (they do not exist yet).
 * - The 50-tag quota and tag key/value lengths are not checked.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader } from "../../../storage/kv.ts";
import {
  constraintText,
  functionNotFound,
  otherRegion,
  taggingQualifiedArn,
  validationErrors,
} from "../errors.ts";
import { type FunctionRecord, functionArn, type LambdaStore } from "../store.ts";
import { optionalStringList, optionalStringMap } from "./validate.ts";

export interface TagsInput {
  Resource: string;
  Tags?: unknown;
  TagKeys?: unknown;
}

const TAGGABLE_PATTERN =
  "arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)";
const TAGGABLE = new RegExp(`^(?:${TAGGABLE_PATTERN})$`);
const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]+)(?::(.+))?$/;

async function taggedFunction(
  store: LambdaStore,
  context: RequestContext,
  resource: string,
  reader: KvReader,
): Promise<FunctionRecord> {
  const messages: string[] = [];
  if (resource.length > 256)
    messages.push(constraintText("resource", resource, "Member must have length less than or equal to 256"));
  if (!TAGGABLE.test(resource))
    messages.push(
      constraintText(
        "resource",
        resource,
        `Member must satisfy regular expression pattern: ${TAGGABLE_PATTERN}`,
      ),
    );
  if (messages.length > 0) throw validationErrors(messages);
  const match = FUNCTION_ARN.exec(resource);
  // Only function ARNs name something Stratus can tag.
  if (!match) throw functionNotFound(resource);
  const [, region = "", accountId = "", name = "", qualifier] = match;
  if (qualifier !== undefined) throw taggingQualifiedArn();
  if (region !== context.region) throw otherRegion(region, context.region);
  const notFound = () => functionNotFound(functionArn(region, accountId, name));
  if (accountId !== context.accountId) throw notFound();
  const record = await store.get(reader, accountId, region, name);
  if (!record) throw notFound();
  return record;
}

export function tagResource(store: LambdaStore) {
  return async (input: TagsInput, context: RequestContext): Promise<RestJsonResult> => {
    const tags = optionalStringMap(input.Tags, "Tags");
    if (tags === undefined)
      throw validationErrors([constraintText("tags", undefined, "Member must not be null")]);
    await store.storage.transaction(async (tx) => {
      const record = await taggedFunction(store, context, input.Resource, tx);
      store.put(tx, { ...record, tags: { ...record.tags, ...tags } });
    });
    return { status: 204 };
  };
}

export function untagResource(store: LambdaStore) {
  return async (input: TagsInput, context: RequestContext): Promise<RestJsonResult> => {
    const keys = optionalStringList(input.TagKeys, "TagKeys") ?? [];
    await store.storage.transaction(async (tx) => {
      const record = await taggedFunction(store, context, input.Resource, tx);
      const tags = { ...record.tags };
      for (const key of keys) delete tags[key];
      store.put(tx, { ...record, tags });
    });
    return { status: 204 };
  };
}

export function listTags(store: LambdaStore) {
  return async (input: TagsInput, context: RequestContext): Promise<RestJsonResult> => {
    const record = await taggedFunction(store, context, input.Resource, store.storage);
    return { body: { Tags: { ...record.tags } } };
  };
}
