/**
 * The canonical request of the commonest signed request — to `/` without a query string (every
 * awsJson and awsQuery call: DynamoDB, Logs, STS...) — written directly, without smithy's general
 * machinery (two sorts, a regular-expression test per header, path normalisation and escaping, query
 * sorting), which cost about as much as the three hashes of a verification together.
 *
 * It produces exactly what @smithy/signature-v4 does for such a request (compute.ts takes smithy's path
 * for everything else): the path `/` canonicalises to `/` in both escaping modes, an empty query to an
 * empty line; a header's value goes through smithy's own three replacements (canonicalValue); names
 * sort as smithy sorts them (Array#sort, UTF-16 order). Which headers are in is decided by the caller
 * as for smithy: every name here was signed, since smithy keeps an "unsignable" header (user-agent,
 * proxy-*, sec-*...) whenever the client listed it in SignedHeaders.
 */

/** True for a path and query this file canonicalises (`""` is sent as `/`). */
export function isRootRequest(rawPath: string, queryPairs: number): boolean {
  return queryPairs === 0 && (rawPath === "/" || rawPath === "");
}

/**
 * `method \n / \n (empty query) \n name:value lines \n \n names;joined \n payloadHash`, over `headers`
 * (lower-case names to raw values), leaving out `skip` when given.
 */
export function rootCanonicalRequest(
  method: string,
  headers: Readonly<Record<string, string>>,
  skip: string | undefined,
  payloadHash: string,
): string {
  const names = Object.keys(headers);
  if (skip !== undefined) {
    const at = names.indexOf(skip);
    if (at >= 0) names.splice(at, 1);
  }
  names.sort();
  let lines = "";
  for (const name of names) {
    lines += `${name}:${canonicalValue(headers[name] as string)}\n`;
  }
  return `${method}\n/\n\n${lines}\n${names.join(";")}\n${payloadHash}`;
}

/** A CR, LF or tab, two spaces in a row, or a space at either end: what the replacements change. */
const NEEDS_CANONICALISING = /[\r\n\t]| {2}|^ | $/;

/**
 * smithy's getCanonicalHeaders on a value: CR and LF become spaces, runs of spaces and tabs one space,
 * then one space off each end (not String#trim, which also takes other Unicode spaces).
 */
function canonicalValue(value: string): string {
  // Nearly every value is already canonical; one test instead of three replacing passes per header.
  if (!NEEDS_CANONICALISING.test(value)) return value;
  return value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");
}
