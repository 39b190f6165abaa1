/**
 * Query strings as AWS reads them: `%XX` escapes are decoded, but `+` stays a plus sign (AWS clients
 * encode spaces as `%20`; S3 keys may contain `+`). A key may repeat; a key without `=` has value "".
 */
export function parseQuery(raw: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  if (raw === "") return query;
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
    const values = query.get(key);
    if (values) values.push(value);
    else query.set(key, [value]);
  }
  return query;
}

/** Form bodies (awsQuery) do use `+` for spaces, as application/x-www-form-urlencoded says. */
export function parseForm(raw: string): Map<string, string[]> {
  return parseQuery(raw.replace(/\+/g, "%20"));
}

export function decodeComponent(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape is kept as written rather than failing the whole request.
    return text;
  }
}

export function firstValue(query: ReadonlyMap<string, string[]>, key: string): string | undefined {
  return query.get(key)?.[0];
}
