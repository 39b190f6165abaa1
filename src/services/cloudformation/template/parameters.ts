import type { Template } from "./types.ts";

/**
 * The value of every declared parameter: `given` overrides, else `previous` (UsePreviousValue on
 * update), else Default; checked against the parameter's type and constraints (TemplateError in AWS's
 * words). Values are strings, or string arrays for list types.
 */
export function resolveParameters(
  _template: Template,
  _given: ReadonlyMap<string, string>,
  _previous?: ReadonlyMap<string, string>,
): Map<string, unknown> {
  throw new Error("resolveParameters: not implemented yet");
}
