/**
 * The XML S3 reads and writes. Reading: a small strict parser for the request documents S3 takes
 * (CreateBucketConfiguration, Delete) — elements, text, entities, CDATA; namespaces are matched by
 * local name, as S3 does not insist on them. Anything not well-formed is MalformedXML. Writing:
 * response documents in S3's namespace.
 */
import { escapeXml, XML_DECLARATION } from "../../aws/protocols/xml.ts";
import { malformedXml } from "./errors.ts";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

export interface XmlElement {
  /** Local name, without a namespace prefix. */
  name: string;
  children: XmlElement[];
  /** The element's own text (concatenated), entities decoded. */
  text: string;
}

/** Elements nested deeper than this are not a document S3 takes. */
const DEPTH_MAX = 32;

export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (): never => {
    throw malformedXml();
  };
  const skipMisc = () => {
    for (;;) {
      while (at < source.length && /\s/.test(source[at] as string)) at++;
      if (source.startsWith("<?", at)) {
        const end = source.indexOf("?>", at);
        if (end < 0) fail();
        at = end + 2;
      } else if (source.startsWith("<!--", at)) {
        const end = source.indexOf("-->", at);
        if (end < 0) fail();
        at = end + 3;
      } else {
        return;
      }
    }
  };

  const parseElement = (depth: number): XmlElement => {
    if (depth > DEPTH_MAX || source[at] !== "<") fail();
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
      source.slice(at, at + 4096),
    );
    if (!open) return fail();
    const qualified = open[1] as string;
    const element: XmlElement = { name: localName(qualified), children: [], text: "" };
    at += open[0].length;
    if (open[3] === "/") return element;
    for (;;) {
      if (at >= source.length) fail();
      if (source.startsWith("</", at)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(at, at + 300));
        if (!close || close[1] !== qualified) fail();
        at += (close as RegExpExecArray)[0].length;
        return element;
      }
      if (source.startsWith("<!--", at)) {
        const end = source.indexOf("-->", at);
        if (end < 0) fail();
        at = end + 3;
      } else if (source.startsWith("<![CDATA[", at)) {
        const end = source.indexOf("]]>", at);
        if (end < 0) fail();
        element.text += source.slice(at + 9, end);
        at = end + 3;
      } else if (source[at] === "<") {
        element.children.push(parseElement(depth + 1));
      } else {
        const next = source.indexOf("<", at);
        const end = next < 0 ? source.length : next;
        element.text += decodeEntities(source.slice(at, end));
        at = end;
      }
    }
  };

  skipMisc();
  const root = parseElement(0);
  skipMisc();
  if (at !== source.length) fail();
  return root;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw malformedXml();
    const named = NAMED[name];
    if (named !== undefined) return named;
    const code = name.startsWith("#x")
      ? Number.parseInt(name.slice(2), 16)
      : name.startsWith("#")
        ? Number.parseInt(name.slice(1), 10)
        : Number.NaN;
    // Surrogates are not characters: a key made of one could not be stored.
    if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw malformedXml();
    }
    return String.fromCodePoint(code);
  });
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** A response document: declaration, then the root element in S3's namespace. */
export function xmlDocument(root: string, inner: string): string {
  return `${XML_DECLARATION}<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}

/** `<name>text</name>`, or nothing for undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** S3's timestamps in XML: ISO 8601 with milliseconds, "2009-10-12T17:50:30.000Z". */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
