/** The port of an invoke URL's Host header, shared by REST and HTTP APIs' events. */

/** The digits after the last ":" of a host or URL ("…:4566"), or undefined; no regular expression per request. */
export function portOf(text: string): string | undefined {
  const colon = text.lastIndexOf(":");
  if (colon < 0 || colon === text.length - 1) return undefined;
  for (let i = colon + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
  }
  return text.slice(colon + 1);
}
