// Error payloads Lambda itself writes when an environment fails, with AWS's text. Sources: AWS
// responses recorded by LocalStack (shared/fixtures/aws-recorded/lambda-invoke-errors...json) for
// Sandbox.Timedout and Runtime.ExitError; AWS's runtime interface emulator for the 413 texts.
// Runtime.OutOfMemory's text is from AWS's documentation and user reports, not a recording.

/** Seconds with two decimals, as in "Task timed out after 3.00 seconds". */
export function timeoutMessage(requestId: string, timeoutMs: number): string {
  return `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

export function timeoutPayload(requestId: string, timeoutMs: number): Buffer {
  return json({ errorType: "Sandbox.Timedout", errorMessage: timeoutMessage(requestId, timeoutMs) });
}

/** Go's ExitError wording, which AWS's agent reproduces. */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `Runtime exited with error: signal: ${signalWords[signal] ?? signal.toLowerCase()}`;
  if (code === 0 || code === null) return "Runtime exited without providing a reason";
  return `Runtime exited with error: exit status ${code}`;
}

export function exitPayload(requestId: string, code: number | null, signal: NodeJS.Signals | null): Buffer {
  return json({
    errorType: "Runtime.ExitError",
    errorMessage: `RequestId: ${requestId} Error: ${exitReason(code, signal)}`,
  });
}

export function outOfMemoryPayload(requestId: string): Buffer {
  return json({
    errorType: "Runtime.OutOfMemory",
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  });
}

export function responseTooLargePayload(sizeBytes: number, bytesMax: number): Buffer {
  return json({
    errorMessage: `Response payload size (${sizeBytes} bytes) exceeded maximum allowed payload size (${bytesMax} bytes).`,
    errorType: "Function.ResponseSizeTooLarge",
  });
}

const signalWords: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: "killed",
  SIGTERM: "terminated",
  SIGSEGV: "segmentation fault",
  SIGABRT: "aborted",
  SIGINT: "interrupt",
  SIGBUS: "bus error",
  SIGFPE: "floating point exception",
  SIGILL: "illegal instruction",
};

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
