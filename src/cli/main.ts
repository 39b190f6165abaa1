/**
 * The `stratus` command line. Thin on purpose: it parses flags and calls into src/.
 *   stratus start [--port N] [--host H] [--data-dir DIR] [--in-memory] [--region R] [--log-level L]
 *                 [--credentials FILE]
 *   stratus logs FUNCTION [--follow] [--since 10m] [--endpoint URL] [--region R]   (logs.ts)
 *   stratus deploy [TEMPLATE] [--stack-name NAME] [--parameter-overrides K=V ...] [--watch] ...  (deploy/)
 *   stratus destroy STACK [--endpoint URL] [--region R]                              (destroy.ts)
 */
import { parseArgs } from "node:util";
import { VERSION } from "../version.ts";
import { type CommandIo, runDeploy } from "./deploy/command.ts";
import { runDestroy } from "./destroy.ts";
import { runLogs } from "./logs.ts";
import { resolveStartOptions, START_FLAGS, UsageError } from "./options.ts";
import { start } from "./start.ts";

function usage(): string {
  const lines = Object.entries(START_FLAGS).map(([name, flag]) => {
    const value = flag.type === "string" ? ` ${name === "port" ? "N" : "VALUE"}` : "";
    const fallback = "default" in flag ? ` (default ${flag.default})` : "";
    return `${`  --${name}${value}`.padEnd(26)}${flag.help}${fallback}; env ${flag.env}`;
  });
  return [
    "Usage: stratus start [options]",
    "       stratus logs FUNCTION [--follow] [--since 10m] [--endpoint URL] [--region R]",
    "       stratus deploy [TEMPLATE] [--stack-name NAME] [--parameter-overrides K=V ...] [--watch]",
    "       stratus destroy STACK",
    "",
    "Commands:",
    `${"  start".padEnd(26)}run Stratus`,
    `${"  logs FUNCTION".padEnd(26)}print a Lambda function's log events (stratus logs --help)`,
    `${"  deploy [TEMPLATE]".padEnd(26)}deploy a CloudFormation/SAM template as a stack (stratus deploy --help)`,
    `${"  destroy STACK".padEnd(26)}delete a stack and its resources`,
    "",
    "Options of start:",
    ...lines,
    `${"  --help".padEnd(26)}show this help`,
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(usage());
    return command === undefined ? 1 : 0;
  }
  if (command === "logs") return await logs(rest);
  if (command === "deploy") return await untilSignal((io) => runDeploy(rest, io));
  if (command === "destroy") return await untilSignal((io) => runDestroy(rest, io));
  if (command !== "start") {
    process.stderr.write(
      `stratus: unknown command '${command}' (try: stratus start, logs, deploy, destroy)\n`,
    );
    return 1;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        ...Object.fromEntries(Object.entries(START_FLAGS).map(([name, flag]) => [name, { type: flag.type }])),
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(usage());
      return 0;
    }
    const { help: _help, ...startValues } = values as Record<string, string | boolean | undefined>;
    return await start(resolveStartOptions(startValues));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`stratus: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

/** `stratus logs`, stopped cleanly by Ctrl-C (SIGINT) or SIGTERM. */
async function logs(args: string[]): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await runLogs(args, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      signal: stop.signal,
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** A client command given stdout/stderr and a signal that Ctrl-C (SIGINT) or SIGTERM aborts. */
async function untilSignal(command: (io: CommandIo) => Promise<number>): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await command({
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      signal: stop.signal,
      columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

process.exit(await main(process.argv.slice(2)));
