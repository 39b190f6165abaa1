/**
 * OpenAPI documents as text, for both API Gateway APIs: imports take JSON or YAML (one parser — YAML
 * 1.2 is a superset of JSON), exports are JSON or YAML written the way API Gateway writes it: string
 * values double-quoted, keys plain, no line folding.
 */
import { parse, stringify } from "yaml";

const AWS_YAML_STYLE = { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 } as const;

/** The parsed document; throws on text that is neither JSON nor YAML. */
export function parseOpenApiText(text: string): unknown {
  return parse(text);
}

export function openApiYaml(document: unknown): string {
  return stringify(document, AWS_YAML_STYLE);
}
