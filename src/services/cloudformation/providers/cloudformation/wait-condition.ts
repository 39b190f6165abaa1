/**
 * AWS::CloudFormation::WaitConditionHandle and AWS::CloudFormation::WaitCondition.
 *
 * A handle creates nothing: its Ref is a presigned URL a signal can be PUT to. As AWS's is a presigned
 * S3 URL, Stratus's is a presigned PUT URL on its own S3, in the custom resource responses bucket
 * (./response-bucket.ts), under a key of its own. Deleting the handle deletes any signal stored there.
 *
 * WaitCondition (counting signals, or a CreationPolicy) is not implemented: it fails with a clear
 * message rather than pretending its signals arrived.
 */
import { uuid } from "../../../../aws/ids.ts";
import type { ResourceProvider } from "../types.ts";
import { deleteObject, ensureResponseBucket, presignedUrl, responseBucketName } from "./response-bucket.ts";

const HANDLE_KEY_PREFIX = "wait-condition-handles";

export const waitConditionHandleProvider: ResourceProvider = {
  async create(context) {
    const bucket = await ensureResponseBucket(context);
    const key = `${HANDLE_KEY_PREFIX}/${context.stackName}/${context.logicalId}/${uuid()}`;
    return { physicalId: await presignedUrl(context, bucket, key), attributes: {} };
  },
  // The handle has no properties of its own: an update keeps the same URL.
  async update(_context, current) {
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(context, current) {
    const bucket = responseBucketName(context);
    let key: string;
    try {
      const url = new URL(current.physicalId);
      const prefix = `/${bucket}/`;
      if (!url.pathname.startsWith(prefix)) return;
      key = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return;
    }
    await deleteObject(context, bucket, key);
  },
};

export const waitConditionProvider: ResourceProvider = {
  async create(context) {
    throw new Error(
      `Stratus does not support AWS::CloudFormation::WaitCondition yet (resource ${context.logicalId}): its signals are not counted`,
    );
  },
  async delete() {},
};
