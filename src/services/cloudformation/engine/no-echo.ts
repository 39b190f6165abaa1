/**
 * NoEcho parameters: CloudFormation masks their values with `****` wherever it describes the stack
 * (DescribeStacks, stack events' ResourceProperties, change set property values).
 */
import type { ParameterValue } from "./records.ts";

export const NO_ECHO_MASK = "****";

/** `text` (JSON text, or plain) with every NoEcho parameter value replaced by the mask. */
export function maskNoEcho(
  text: string,
  parameters: readonly ParameterValue[],
  noEchoKeys: readonly string[],
): string {
  let masked = text;
  for (const parameter of parameters) {
    if (!noEchoKeys.includes(parameter.ParameterKey) || parameter.ParameterValue === "") continue;
    // As the value appears inside JSON text (quotes and backslashes escaped); the same for plain text
    // that has none of those.
    const secret = JSON.stringify(parameter.ParameterValue).slice(1, -1);
    masked = masked.split(secret).join(NO_ECHO_MASK);
  }
  return masked;
}
