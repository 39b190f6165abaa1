/**
 * The AWS SDK clients `stratus deploy` and `stratus destroy` talk to Stratus with, loaded on demand so
 * that `stratus start` never pays for them. They sign with the default test/test credentials (as
 * `stratus logs` does) and retry as the SDK does by default: a deploy is long, a dropped poll should
 * not end it.
 */
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import type { ConnectionOptions } from "./args.ts";

export interface DeploySdk {
  readonly cloudformation: typeof import("@aws-sdk/client-cloudformation");
  readonly s3: typeof import("@aws-sdk/client-s3");
  readonly lambda: typeof import("@aws-sdk/client-lambda");
  readonly sts: typeof import("@aws-sdk/client-sts");
}

export interface DeployClients {
  readonly sdk: DeploySdk;
  readonly cloudformation: CloudFormationClient;
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly sts: STSClient;
  destroy(): void;
}

export const CLI_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export async function connect(options: ConnectionOptions): Promise<DeployClients> {
  // The SDK's notice about its own future Node.js requirement is noise in a command's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const [cloudformation, s3, lambda, sts] = await Promise.all([
    import("@aws-sdk/client-cloudformation"),
    import("@aws-sdk/client-s3"),
    import("@aws-sdk/client-lambda"),
    import("@aws-sdk/client-sts"),
  ]);
  const config = { endpoint: options.endpoint, region: options.region, credentials: CLI_CREDENTIALS };
  const clients = {
    cloudformation: new cloudformation.CloudFormationClient(config),
    s3: new s3.S3Client({ ...config, forcePathStyle: true }),
    lambda: new lambda.LambdaClient(config),
    sts: new sts.STSClient(config),
  };
  return {
    sdk: { cloudformation, s3, lambda, sts },
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

/** One line for an error from the SDK or the network, naming Stratus when it cannot be reached. */
export function describeFailure(error: unknown, endpoint: string): string {
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
    return `cannot reach Stratus at ${endpoint} (${code}); is \`stratus start\` running?`;
  }
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? "Error"}: ${message ?? String(error)}`;
}

/** Resolves true after `ms`, false as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
