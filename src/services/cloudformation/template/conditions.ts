import type { ResolveScope, Template } from "./types.ts";

/** Every condition of the template, evaluated (they may only use parameters, pseudo parameters, mappings). */
export function evaluateConditions(
  _template: Template,
  _scope: Pick<ResolveScope, "parameters" | "pseudo" | "mappings">,
): Map<string, boolean> {
  throw new Error("evaluateConditions: not implemented yet");
}
