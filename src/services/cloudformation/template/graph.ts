import type { Template } from "./types.ts";

/**
 * For each resource whose Condition holds (all when it has none), the resources it depends on:
 * DependsOn plus every Ref, Fn::GetAtt and Fn::Sub reference to another resource. Unknown names are a
 * TemplateError ("Template format error: Unresolved resource dependencies [X] in the Resources block
 * of the template").
 */
export function resourceDependencies(
  _template: Template,
  _conditions: ReadonlyMap<string, boolean>,
): Map<string, Set<string>> {
  throw new Error("resourceDependencies: not implemented yet");
}

/** Logical ids in an order where each comes after everything it depends on; a cycle is a TemplateError. */
export function creationOrder(_dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  throw new Error("creationOrder: not implemented yet");
}
