/**
 * The OpenAPI document a RestApi or HTTP API template carries: `Body` (an object, as SAM writes
 * ServerlessRestApi/ServerlessHttpApi, or the document as text) or `BodyS3Location` (read from
 * Stratus's S3). Answers the text the import operations read, or undefined when the template gives
 * neither.
 */
import type { ProviderContext } from "../types.ts";
import { optObject, type Properties } from "./properties.ts";
import { readBodyS3Location } from "./s3-body.ts";

export async function openApiText(
  context: ProviderContext,
  props: Properties,
  fallbackTitle?: string,
): Promise<string | undefined> {
  const body = props.Body;
  if (body !== undefined && body !== null) {
    if (typeof body === "string") return body;
    if (typeof body !== "object" || Array.isArray(body)) {
      throw new Error("Properties validation failed: #/Body: expected type: JSONObject");
    }
    return JSON.stringify(withTitle(body as Properties, fallbackTitle));
  }
  const location = optObject(props, "BodyS3Location");
  if (location !== undefined) return readBodyS3Location(context, location);
  return undefined;
}

/**
 * A document without info.title cannot be imported, but CloudFormation accepts one when the template
 * names the API (the Name property wins over the title anyway).
 */
function withTitle(document: Properties, title: string | undefined): Properties {
  if (title === undefined) return document;
  const info = (document.info ?? {}) as Properties;
  if (typeof info.title === "string" && info.title !== "") return document;
  return { ...document, info: { ...info, title } };
}

/** Whether the OpenAPI source of the API changed between two property sets. */
export function bodyChanged(before: Readonly<Properties>, after: Properties): boolean {
  return (
    JSON.stringify(before.Body) !== JSON.stringify(after.Body) ||
    JSON.stringify(before.BodyS3Location) !== JSON.stringify(after.BodyS3Location)
  );
}
