/**
 * The Conditions section, evaluated. A condition may use parameters, pseudo parameters, mappings and
 * other conditions (evaluated first; a cycle is an error), never resources: CloudFormation decides
 * conditions before it creates anything.
 */

import { evaluateBoolean } from "./boolean-functions.ts";
import { PSEUDO_PARAMETER_NAMES } from "./pseudo.ts";
import { collectReferences } from "./references.ts";
import { resolveValue } from "./resolve.ts";
import { type ResolveScope, type Template, TemplateError } from "./types.ts";

/**
 * The static checks on the Conditions section: no reference to a resource (or to anything that is not
 * a parameter), every condition named exists, no cycle. Returns, for each condition, the conditions it
 * uses, in a working evaluation order.
 */
export function conditionEvaluationOrder(template: Template): string[] {
  const declared = template.Conditions ?? {};
  const parameters = template.Parameters ?? {};
  const notParameters = new Set<string>();
  const unknownConditions = new Set<string>();
  const uses = new Map<string, string[]>();
  for (const [name, expression] of Object.entries(declared)) {
    const references = collectReferences(expression, undefined, undefined, true);
    for (const ref of references.refs) {
      if (!PSEUDO_PARAMETER_NAMES.has(ref) && !Object.hasOwn(parameters, ref)) notParameters.add(ref);
    }
    for (const resource of references.getAtts) notParameters.add(resource);
    for (const condition of references.conditions) {
      if (!Object.hasOwn(declared, condition)) unknownConditions.add(condition);
    }
    uses.set(name, [...references.conditions]);
  }
  if (notParameters.size > 0) {
    throw new TemplateError(
      `Template format error: Unresolved dependencies [${[...notParameters].join(", ")}]. Cannot reference resources in the Conditions block of the template`,
    );
  }
  if (unknownConditions.size > 0) {
    throw new TemplateError(
      `Template format error: Unresolved condition dependencies [${[...unknownConditions].join(", ")}] in the Conditions block of the template`,
    );
  }

  const order: string[] = [];
  const placed = new Set<string>();
  const visiting: string[] = [];
  const visit = (name: string): void => {
    if (placed.has(name)) return;
    const cycleStart = visiting.indexOf(name);
    if (cycleStart >= 0) {
      throw new TemplateError(
        `Template format error: Circular dependency between conditions: [${visiting.slice(cycleStart).join(", ")}]`,
      );
    }
    visiting.push(name);
    for (const used of uses.get(name) ?? []) visit(used);
    visiting.pop();
    placed.add(name);
    order.push(name);
  };
  for (const name of Object.keys(declared)) visit(name);
  return order;
}

/** Every condition of the template, evaluated (they may only use parameters, pseudo parameters, mappings). */
export function evaluateConditions(
  template: Template,
  scope: Pick<ResolveScope, "parameters" | "pseudo" | "mappings">,
): Map<string, boolean> {
  const results = new Map<string, boolean>();
  const conditionScope: ResolveScope = {
    ...scope,
    conditions: results,
    ref: (name) => {
      throw new TemplateError(
        `Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`,
      );
    },
    getAtt: (name) => {
      throw new TemplateError(
        `Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`,
      );
    },
    importValue: () => {
      throw new TemplateError(
        "Template error: Fn::ImportValue cannot be used in the Conditions block of the template",
      );
    },
  };
  const declared = template.Conditions ?? {};
  for (const name of conditionEvaluationOrder(template)) {
    results.set(name, evaluateBoolean(declared[name], conditionScope, resolveValue));
  }
  // Declaration order, as callers list them.
  return new Map(Object.keys(declared).map((name) => [name, results.get(name) as boolean]));
}
