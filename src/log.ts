/**
 * Stratus's own log: one line per event on stderr, filtered by level. Kept tiny on purpose; the
 * request log line is written once per request by the edge's last step.
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: LogLevel) =>
    (message: string): void => {
      if (LOG_LEVELS.indexOf(name) < threshold) return;
      write(`${new Date().toISOString()} ${name.toUpperCase().padEnd(5)} ${message}\n`);
    };
  return { level, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
