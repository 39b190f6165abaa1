/**
 * Runs Debian's AWS CLI v2 (/usr/bin/aws, installed by .ci/run; the `aws` on PATH is CLI v1) against a
 * Stratus endpoint with the default test credentials, as a user would from a shell. A non-zero exit
 * is returned, not thrown: the test decides what it means.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const AWS_CLI = "/usr/bin/aws";

const run = promisify(execFile);

export const AWS_CLI_ENV = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "/tmp",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runAwsCli(
  endpoint: string,
  args: readonly string[],
  options: {
    cwd: string;
    timeoutMs: number;
    env?: Readonly<Record<string, string>>;
    /** Another AWS CLI than Debian's v2 (`aws` on PATH: pyenv's CLI v1). */
    cli?: string;
  },
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      options.cli ?? AWS_CLI,
      ["--endpoint-url", endpoint, "--output", "json", ...args],
      {
        env: { ...AWS_CLI_ENV, ...options.env },
        cwd: options.cwd,
        timeout: options.timeoutMs,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    const code = typeof failed.code === "number" ? failed.code : -1;
    const stderr = failed.killed
      ? `killed after ${options.timeoutMs} ms\n${failed.stderr ?? ""}`
      : failed.stderr;
    return { code, stdout: failed.stdout ?? "", stderr: stderr ?? "" };
  }
}
