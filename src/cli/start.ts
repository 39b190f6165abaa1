/** `stratus start`: run the server until SIGINT/SIGTERM, then shut down cleanly and exit 0. */

import { DEFAULT_ACCOUNT_ID, ROOT_CREDENTIAL } from "../aws/credentials.ts";
import { PortInUseError } from "../edge/listener.ts";
import { type StratusOptions, startStratus } from "../server.ts";
import { VERSION } from "../version.ts";

export async function start(options: Partial<StratusOptions>): Promise<number> {
  let stratus: Awaited<ReturnType<typeof startStratus>>;
  try {
    stratus = await startStratus(options);
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(`stratus: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`stratus: ${(error as Error).message}\n`);
    return 1;
  }
  const storage = options.inMemory ? "in memory (lost at exit)" : options.dataDir;
  process.stdout.write(
    [
      `Stratus ${VERSION} is running.`,
      `  Endpoint:    ${stratus.url}`,
      `  Region:      ${stratus.region}`,
      `  Account id:  ${DEFAULT_ACCOUNT_ID}`,
      `  Credentials: AWS_ACCESS_KEY_ID=${ROOT_CREDENTIAL.accessKeyId} AWS_SECRET_ACCESS_KEY=${ROOT_CREDENTIAL.secretAccessKey}`,
      `  State:       ${storage}`,
      `  Health:      ${stratus.url}/_stratus/health`,
      "Use it with: export AWS_ENDPOINT_URL=" +
        stratus.url +
        " AWS_REGION=" +
        stratus.region +
        ` AWS_ACCESS_KEY_ID=${ROOT_CREDENTIAL.accessKeyId} AWS_SECRET_ACCESS_KEY=${ROOT_CREDENTIAL.secretAccessKey}`,
      "",
    ].join("\n"),
  );
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`Stratus: ${signal} received, finishing in-flight requests...\n`);
      stratus.close().then(
        () => {
          process.stdout.write("Stratus stopped.\n");
          resolve(0);
        },
        (error: unknown) => {
          process.stderr.write(`stratus: shutdown failed: ${(error as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
