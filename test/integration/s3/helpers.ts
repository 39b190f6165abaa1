/** What the S3 integration tests share: error capture, body reading, and a virtual-hosted client. */
import assert from "node:assert/strict";
import { S3Client } from "@aws-sdk/client-s3";
import type { ClientCredentials, TestStratus } from "../../support/stratus.ts";

export interface SdkError extends Error {
  Code?: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
  $response?: { headers: Record<string, string> };
  [field: string]: unknown;
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail("expected the call to fail");
}

/**
 * An SDK client using virtual-hosted addressing (`{bucket}.s3.localhost:PORT`). `*.localhost` does not
 * resolve for Node here, so the request is sent to 127.0.0.1 with the signed Host header kept.
 */
export function virtualHostedClient(stratus: TestStratus, credentials?: ClientCredentials): S3Client {
  const port = new URL(stratus.url).port;
  const client = new S3Client({
    ...stratus.clientConfig(credentials),
    endpoint: `http://s3.localhost:${port}`,
    forcePathStyle: false,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { hostname: string; headers: Record<string, string> };
      assert.match(
        request.headers.host ?? "",
        /\.s3\.localhost:\d+$/,
        "the client addresses the bucket by host name",
      );
      request.hostname = "127.0.0.1";
      return next(args);
    },
    { step: "deserialize", name: "sendToLoopback" },
  );
  return client;
}

/** A unique bucket name per test, so tests in one server do not see each other's buckets. */
let counter = 0;
export function bucketName(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}`.toLowerCase();
}
