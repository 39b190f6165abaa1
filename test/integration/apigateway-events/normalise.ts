/**
 * Compares an event Stratus delivered with one AWS recorded, member by member: the same keys at
 * every level, the same value types, and the same values except where a value differs by nature
 * (ids, times, hosts, ports, addresses), which are compared by type only.
 */

/** Members whose values are per request or per account: compared by type only. */
const VOLATILE = new Set(
  [
    "accountId",
    "apiId",
    "deploymentId",
    "domainName",
    "domainPrefix",
    "extendedRequestId",
    "requestId",
    "requestTime",
    "requestTimeEpoch",
    "resourceId",
    "sourceIp",
    "time",
    "timeEpoch",
    // headers API Gateway adds or that name the host: their values depend on the network.
    "host",
    "x-amzn-trace-id",
    "x-forwarded-for",
    "x-forwarded-port",
    "x-forwarded-proto",
  ].map((key) => key.toLowerCase()),
);

/** A LocalStack snapshot placeholder such as `<uuid:1>`: the recording hides the value. */
function isPlaceholder(value: unknown): boolean {
  return typeof value === "string" && /^<[^<>]+>$/.test(value);
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Every difference between the recording and the actual event, one line each, as
 * `path: what`. `ignore` lists paths (dotted, e.g. `headers.Via`) left out of both sides.
 */
export function differences(recorded: unknown, actual: unknown, ignore: string[] = []): string[] {
  const out: string[] = [];
  walk(recorded, actual, "", false, new Set(ignore), out);
  return out;
}

function walk(
  recorded: unknown,
  actual: unknown,
  path: string,
  volatile: boolean,
  ignore: Set<string>,
  out: string[],
): void {
  if (isPlaceholder(recorded)) {
    // The recording hid the value (and for LocalStack's X-Forwarded-* even its list): only presence counts.
    if (actual === undefined) out.push(`${path}: missing`);
    return;
  }
  if (kind(recorded) !== kind(actual)) {
    out.push(`${path}: ${kind(recorded)} recorded, ${kind(actual)} sent (${JSON.stringify(actual)})`);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length !== actual.length) {
      out.push(`${path}: ${recorded.length} items recorded, ${actual.length} sent`);
      return;
    }
    recorded.forEach((item, i) => {
      walk(item, actual[i], `${path}[${i}]`, volatile, ignore, out);
    });
    return;
  }
  if (recorded !== null && typeof recorded === "object") {
    const mine = actual as Record<string, unknown>;
    const theirs = recorded as Record<string, unknown>;
    const keys = new Set([...Object.keys(theirs), ...Object.keys(mine)]);
    for (const key of [...keys].sort()) {
      const at = path === "" ? key : `${path}.${key}`;
      if (ignore.has(at)) continue;
      if (!(key in mine)) out.push(`${at}: recorded, not sent`);
      else if (!(key in theirs)) out.push(`${at}: sent (${JSON.stringify(mine[key])}), not recorded`);
      else walk(theirs[key], mine[key], at, volatile || VOLATILE.has(key.toLowerCase()), ignore, out);
    }
    return;
  }
  if (!volatile && recorded !== actual) {
    out.push(`${path}: ${JSON.stringify(recorded)} recorded, ${JSON.stringify(actual)} sent`);
  }
}
