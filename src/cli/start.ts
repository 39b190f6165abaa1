/** `stratus start`: run the server until SIGINT/SIGTERM, then shut down cleanly and exit 0. */
import { DEFAULT_ACCOUNT_ID, ROOT_CREDENTIAL } from "../aws/credentials.ts";
import { type RunningStratus, type StratusOptions, startStratus } from "../server.ts";
import { VERSION } from "../version.ts";

export async function start(options: Partial<StratusOptions>): Promise<number> {
  // Signal handlers go in first: a signal that arrives while starting, or right after the banner,
  // must still mean "stop cleanly", never Node's default of dying on the spot.
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  let stratus: RunningStratus;
  try {
    stratus = await startStratus(options);
  } catch (error) {
    process.stderr.write(`stratus: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(banner(stratus, options));
  const signal = await stopRequested;
  process.stdout.write(`Stratus: ${signal} received, finishing in-flight requests...\n`);
  try {
    await stratus.close();
  } catch (error) {
    process.stderr.write(`stratus: shutdown failed: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write("Stratus stopped.\n");
  return 0;
}

function banner(stratus: RunningStratus, options: Partial<StratusOptions>): string {
  const { accessKeyId, secretAccessKey } = ROOT_CREDENTIAL;
  const credentials = `AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`;
  return [
    `Stratus ${VERSION} is running.`,
    `  Endpoint:    ${stratus.url}`,
    `  Region:      ${stratus.region}`,
    `  Account id:  ${DEFAULT_ACCOUNT_ID}`,
    `  Credentials: ${credentials}`,
    `  State:       ${options.inMemory ? "in memory (lost at exit)" : options.dataDir}`,
    `  Health:      ${stratus.url}/_stratus/health`,
    `Use it with: export AWS_ENDPOINT_URL=${stratus.url} AWS_REGION=${stratus.region} ${credentials}`,
    "",
  ].join("\n");
}
