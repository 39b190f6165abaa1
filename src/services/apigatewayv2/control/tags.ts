/**
 * TagResource (POST /v2/tags/{resource-arn}, 201 with an empty body per the model), UntagResource
 * (DELETE ...?tagKeys=, 204) and GetTags: tags of an API (`arn:aws:apigateway:{region}::/apis/{apiId}`)
 * or of one of its stages (`.../apis/{apiId}/stages/{stageName}`), the resources of HTTP APIs that
 * take tags here.
 *
 * ## Gaps
 * - Domain names and VPC links have no tags (they do not exist yet): their ARNs answer NotFound.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import { apiNotFound, badRequest, notFound, stageNotFound } from "./errors.ts";
import { optStringMap } from "./input.ts";
import { requireApi, type StoredStage, scopeOf } from "./records.ts";
import { getChild, putApi, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ResourceArn: string; TagKeys?: string[] };

const TAGGABLE = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+)::\/apis\/([a-zA-Z0-9]+)(?:\/stages\/([^/]+))?$/;

interface Tagged {
  read(): Record<string, string>;
  write(tx: KvTransaction, tags: Record<string, string>): void;
}

async function tagged(tx: KvStore | KvTransaction, arn: string, context: RequestContext): Promise<Tagged> {
  const match = TAGGABLE.exec(arn);
  if (!match) throw notFound(`Invalid resource ARN specified ${arn}`);
  const [, region = "", apiId = "", stageName] = match;
  if (region !== context.region) throw apiNotFound(context.accountId, apiId);
  const scope = scopeOf(context, apiId);
  const api = await requireApi(tx, scope);
  if (stageName === undefined) {
    return { read: () => ({ ...api.tags }), write: (w, tags) => putApi(w, scope, { ...api, tags }) };
  }
  const stage = await getChild<StoredStage>(tx, scope, "stage", stageName);
  if (stage === undefined) throw stageNotFound(stageName);
  return {
    read: () => ({ ...stage.tags }),
    write: (w, tags) => putChild(w, scope, "stage", stageName, { ...stage, tags }),
  };
}

export function tagOperations(store: KvStore) {
  return {
    TagResource: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const tags = optStringMap(body, "tags");
      if (tags === undefined) throw badRequest("Tags are required");
      await store.transaction(async (tx) => {
        const resource = await tagged(tx, body.ResourceArn, context);
        resource.write(tx, { ...resource.read(), ...tags });
      });
      return { status: 201, body: {} };
    },
    UntagResource: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      await store.transaction(async (tx) => {
        const resource = await tagged(tx, body.ResourceArn, context);
        const tags = resource.read();
        for (const key of body.TagKeys ?? []) delete tags[key];
        resource.write(tx, tags);
      });
      return { status: 204 };
    },
    GetTags: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const resource = await tagged(store, body.ResourceArn, context);
      return { body: { tags: resource.read() } };
    },
  };
}
