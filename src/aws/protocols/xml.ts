/** Just enough XML writing for error documents and small results; S3 bodies use a real parser/builder. */
/** Escapes text content as S3 does: `&`, `<`, `>` and `"` (S3 writes ETags as `&quot;…&quot;`), not `'`. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c);
}

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `<Name>value</Name>` for each field, in order; nested objects become nested elements. */
export function xmlFields(fields: Readonly<Record<string, unknown>>): string {
  let out = "";
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    const inner =
      typeof value === "object" && !(value instanceof Date)
        ? xmlFields(value as Record<string, unknown>)
        : escapeXml(value instanceof Date ? value.toISOString() : String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}
