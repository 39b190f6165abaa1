/**
 * The resource dependency graph: which resources each resource needs created first (DependsOn plus
 * every Ref, Fn::GetAtt and Fn::Sub reference in its Properties, both Fn::If branches included), and an
 * order to create them in. Resources whose Condition is false are not part of the stack; referring to
 * one from a resource that is (outside an Fn::If branch not taken) is the error AWS gives for an
 * unknown name.
 */
import { PSEUDO_PARAMETER_NAMES } from "./pseudo.ts";
import { collectReferences, dependsOnList } from "./references.ts";
import { undefinedGetAttResourceError, unresolvedDependencyError } from "./resolve.ts";
import { type Template, TemplateError } from "./types.ts";

/** Whether a resource is part of the stack given the evaluated conditions. */
export function resourceIncluded(condition: unknown, conditions: ReadonlyMap<string, boolean>): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== "string")
    throw new TemplateError("Template format error: Every Condition member must be a string.");
  const value = conditions.get(condition);
  if (value === undefined) {
    throw new TemplateError(
      `Template format error: Unresolved condition dependencies [${condition}] in the Resources block of the template`,
    );
  }
  return value;
}

/**
 * For each resource whose Condition holds (all when it has none), the resources it depends on:
 * DependsOn plus every Ref, Fn::GetAtt and Fn::Sub reference to another resource. Unknown names are a
 * TemplateError ("Template format error: Unresolved resource dependencies [X] in the Resources block
 * of the template").
 */
export function resourceDependencies(
  template: Template,
  conditions: ReadonlyMap<string, boolean>,
): Map<string, Set<string>> {
  const resources = template.Resources;
  const parameters = template.Parameters ?? {};
  const included = new Set(
    Object.entries(resources)
      .filter(([, resource]) => resourceIncluded(resource.Condition, conditions))
      .map(([logicalId]) => logicalId),
  );
  const isResource = (name: string) => Object.hasOwn(resources, name);
  const unresolved = new Set<string>();
  const dependencies = new Map<string, Set<string>>();

  for (const logicalId of included) {
    const resource = resources[logicalId] as Template["Resources"][string];
    const everyBranch = collectReferences(resource.Properties);
    const takenBranches = collectReferences(resource.Properties, conditions);
    const needs = new Set<string>();

    for (const target of dependsOnList(resource.DependsOn)) {
      if (included.has(target)) needs.add(target);
      else unresolved.add(target);
    }
    for (const ref of everyBranch.refs) {
      if (PSEUDO_PARAMETER_NAMES.has(ref) || Object.hasOwn(parameters, ref)) continue;
      if (!isResource(ref)) unresolved.add(ref);
      else if (included.has(ref)) needs.add(ref);
      else if (takenBranches.refs.has(ref)) unresolved.add(ref);
    }
    for (const target of everyBranch.getAtts) {
      if (!isResource(target)) throw undefinedGetAttResourceError(target);
      if (included.has(target)) needs.add(target);
      else if (takenBranches.getAtts.has(target)) unresolved.add(target);
    }
    needs.delete(logicalId);
    dependencies.set(logicalId, needs);
  }
  if (unresolved.size > 0) throw unresolvedDependencyError([...unresolved]);
  return dependencies;
}

/** Logical ids in an order where each comes after everything it depends on; a cycle is a TemplateError. */
export function creationOrder(dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const waiting = new Set(dependencies.keys());
  // Stable: each round places the earliest (template-order) resource whose dependencies are placed.
  while (waiting.size > 0) {
    let next: string | undefined;
    for (const logicalId of waiting) {
      const needs = dependencies.get(logicalId) ?? new Set<string>();
      if ([...needs].every((need) => placed.has(need) || !dependencies.has(need))) {
        next = logicalId;
        break;
      }
    }
    if (next === undefined) {
      throw new TemplateError(`Circular dependency between resources: [${[...waiting].join(", ")}]`);
    }
    waiting.delete(next);
    placed.add(next);
    order.push(next);
  }
  return order;
}

/** The reverse of creationOrder: each resource before those it depends on (the order to delete in). */
export function deletionOrder(dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return creationOrder(dependencies).reverse();
}
