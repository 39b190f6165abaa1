/**
 * `stratus logs FUNCTION [--follow] [--since 10m] [--endpoint URL] [--region R]`: a function's log
 * events from a running Stratus, read like `aws logs tail` does, through CloudWatch Logs'
 * FilterLogEvents with the test/test credentials. One line per event:
 *
 *   2026-11-24T18:23:24.123Z 2026/11/24/[$LATEST]0f3c…  START RequestId: … Version: $LATEST
 *
 * (timestamp in UTC, the environment's stream, the message without its final newline; a message of
 * several lines, which runtimes write with `\r` between them, prints as several lines). The log group
 * is the function's LoggingConfig.LogGroup (GetFunctionConfiguration), or /aws/lambda/FUNCTION when
 * the function is gone. `--follow` polls every second for new events until SIGINT or SIGTERM; an
 * event written more than 10 seconds after the newest one printed is missed.
 *
 * The AWS SDK clients are loaded on demand: `stratus start` never needs them.
 */
import { parseArgs } from "node:util";

export const LOGS_USAGE = `Usage: stratus logs FUNCTION [options]

Prints a Lambda function's log events (START, its output, END, REPORT...) from a running Stratus:
one line per event, "TIMESTAMP STREAM MESSAGE".

Options:
  --follow, -f          keep printing new events until Ctrl-C
  --since DURATION      from this long ago (30s, 10m, 2h, 1d, 1w) or an ISO time (default 10m)
  --endpoint URL        the Stratus to read (default http://127.0.0.1:4566)
  --region R            the function's region (default $AWS_REGION or us-east-1)
  --help                show this help
`;

const DEFAULT_ENDPOINT = "http://127.0.0.1:4566";
const POLL_MS = 1000;
/** How far back each --follow poll looks again for events written late. */
const FOLLOW_LOOKBACK_MS = 10_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export interface LogsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM; the caller wires the signals. */
  signal: AbortSignal;
}

interface LogEvent {
  eventId?: string | undefined;
  timestamp?: number | undefined;
  logStreamName?: string | undefined;
  message?: string | undefined;
}

/** `10m` → now − 10 minutes; an ISO date → that instant. Undefined when unreadable. */
export function parseSince(text: string, nowMs: number): number | undefined {
  const relative = /^(\d+)([smhdw])$/.exec(text);
  if (relative) return nowMs - Number(relative[1]) * (UNIT_MS[relative[2] ?? "s"] ?? 1000);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function formatEvent(event: LogEvent): string {
  const time = new Date(event.timestamp ?? 0).toISOString();
  const message = (event.message ?? "").replace(/\n$/, "").replace(/\r\n?/g, "\n");
  return `${time} ${event.logStreamName ?? "-"} ${message}\n`;
}

export async function runLogs(argv: string[], io: LogsIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`stratus logs: ${(error as Error).message}\n`);
    return 1;
  }
  if (parsed.help) {
    io.stdout(LOGS_USAGE);
    return 0;
  }
  const { functionName, follow, sinceMs, endpoint, region } = parsed;

  // The SDK's notice about its own future Node.js requirement is noise in a command's output
  // (Stratus supports Node.js 20); a user who sets the variable keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let sdk: [typeof import("@aws-sdk/client-cloudwatch-logs"), typeof import("@aws-sdk/client-lambda")];
  try {
    sdk = await Promise.all([import("@aws-sdk/client-cloudwatch-logs"), import("@aws-sdk/client-lambda")]);
  } catch (error) {
    // They are development dependencies of Stratus: an install without them cannot run this command.
    io.stderr(
      `stratus logs needs @aws-sdk/client-cloudwatch-logs and @aws-sdk/client-lambda (npm install): ${(error as Error).message}\n`,
    );
    return 1;
  }
  const [
    { CloudWatchLogsClient, FilterLogEventsCommand },
    { LambdaClient, GetFunctionConfigurationCommand },
  ] = sdk;
  const config = { endpoint, region, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const logs = new CloudWatchLogsClient(config);
  const lambda = new LambdaClient(config);
  try {
    let group = `/aws/lambda/${functionName}`;
    try {
      const configuration = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName }),
        { abortSignal: io.signal },
      );
      group = configuration.LoggingConfig?.LogGroup ?? group;
    } catch (error) {
      // A deleted function's logs stay readable under the default group.
      if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
    }

    // Lambda writes a stream's lines a moment after their timestamps, and streams independently, so
    // each poll reads again from a little before the newest event printed and skips what it printed.
    const printed = new Map<string, number>();
    let newest = sinceMs;
    let missingGroupReported = false;
    for (;;) {
      const startTime = Math.max(sinceMs, newest - FOLLOW_LOOKBACK_MS);
      for (const [id, timestamp] of printed) if (timestamp < startTime) printed.delete(id);
      let nextToken: string | undefined;
      try {
        do {
          const page = await logs.send(
            new FilterLogEventsCommand({ logGroupName: group, startTime, nextToken }),
            { abortSignal: io.signal },
          );
          for (const event of page.events ?? []) {
            const id = event.eventId ?? "";
            if (printed.has(id)) continue;
            io.stdout(formatEvent(event));
            const timestamp = event.timestamp ?? 0;
            if (follow) printed.set(id, timestamp);
            newest = Math.max(newest, timestamp);
          }
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
      } catch (error) {
        if (io.signal.aborted) return 0;
        if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
        if (!follow) {
          io.stderr(`stratus logs: no logs yet: log group ${group} does not exist\n`);
          return 1;
        }
        if (!missingGroupReported) io.stderr(`stratus logs: waiting for log group ${group}...\n`);
        missingGroupReported = true;
      }
      if (!follow) return 0;
      if (!(await sleep(POLL_MS, io.signal))) return 0;
    }
  } catch (error) {
    if (io.signal.aborted) return 0;
    io.stderr(`stratus logs: ${describeFailure(error, endpoint)}\n`);
    return 1;
  } finally {
    logs.destroy();
    lambda.destroy();
  }
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      follow: { type: "boolean", short: "f" },
      since: { type: "string" },
      endpoint: { type: "string" },
      region: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new Error("name one function (try: stratus logs --help)");
  const since = values.since ?? "10m";
  const sinceMs = parseSince(since, Date.now());
  if (sinceMs === undefined) {
    throw new Error(`--since must be a duration such as 10m, 2h or 1d, or an ISO time, not '${since}'`);
  }
  const endpoint = values.endpoint ?? DEFAULT_ENDPOINT;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) {
    throw new Error(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT}, not '${endpoint}'`);
  }
  return {
    help: false as const,
    functionName: positionals[0] as string,
    follow: values.follow === true,
    sinceMs: Math.max(0, sinceMs),
    endpoint,
    region: values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
  };
}

function describeFailure(error: unknown, endpoint: string): string {
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
    return `cannot reach Stratus at ${endpoint} (${code}); is \`stratus start\` running?`;
  }
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? "Error"}: ${message ?? String(error)}`;
}

/** Resolves true after `ms`, false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
