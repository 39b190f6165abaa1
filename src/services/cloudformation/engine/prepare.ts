/**
 * Turns a submitted template into what a stack operation runs: parsed, SAM-transformed when it
 * declares SAM's transform, checked, its parameters, conditions and resource order worked out. Every
 * template problem comes out as CloudFormation's 400 ValidationError, before anything is created.
 */
import { hasSamTransform, transformSam } from "../sam/transform.ts";
import { evaluateConditions } from "../template/conditions.ts";
import { creationOrder, resourceDependencies } from "../template/graph.ts";
import { isNoEcho, resolveParameters } from "../template/parameters.ts";
import { parseTemplate } from "../template/parse.ts";
import { partitionOf, pseudoParameters } from "../template/pseudo.ts";
import type { PseudoParameters, Template } from "../template/types.ts";
import { TemplateError } from "../template/types.ts";
import { validateTemplate } from "../template/validate.ts";
import { validationError } from "./errors.ts";
import type { ParameterValue } from "./records.ts";

export interface PrepareInput {
  readonly body: string;
  /** Parameters the request gives a value for. */
  readonly given: ReadonlyMap<string, string>;
  /** Parameters the request keeps (UsePreviousValue), with the stack's current values. */
  readonly previous?: ReadonlyMap<string, string>;
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns?: readonly string[];
}

export interface PreparedTemplate {
  /** The template as submitted. */
  readonly body: string;
  /** After transforms: what the stack runs and GetTemplate's Processed stage. */
  readonly template: Template;
  readonly usesSam: boolean;
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly pseudo: PseudoParameters;
  readonly conditions: ReadonlyMap<string, boolean>;
  /** For each resource whose condition holds: the resources it needs first. */
  readonly dependencies: ReadonlyMap<string, ReadonlySet<string>>;
  /** Logical ids in creation order. */
  readonly order: readonly string[];
}

/** Runs `work`, turning a TemplateError into CloudFormation's ValidationError. */
export function asValidation<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TemplateError) throw validationError(error.message);
    throw error;
  }
}

export function parseBody(body: string): Template {
  return asValidation(() => parseTemplate(body));
}

export function prepareTemplate(input: PrepareInput): PreparedTemplate {
  return asValidation(() => {
    const parsed = parseTemplate(input.body);
    const usesSam = hasSamTransform(parsed);
    let parameters = resolveParameters(parsed, input.given, input.previous);
    const template = usesSam
      ? transformSam(parsed, {
          region: input.region,
          accountId: input.accountId,
          partition: partitionOf(input.region),
          stackName: input.stackName,
          parameters,
        })
      : parsed;
    validateTemplate(template);
    if (usesSam) parameters = resolveParameters(template, input.given, input.previous);
    const pseudo = pseudoParameters({
      region: input.region,
      accountId: input.accountId,
      stackName: input.stackName,
      stackId: input.stackId,
      notificationArns: input.notificationArns,
    });
    const conditions = evaluateConditions(template, {
      parameters,
      pseudo,
      mappings: template.Mappings ?? {},
    });
    const dependencies = resourceDependencies(template, conditions);
    const order = creationOrder(dependencies);
    return { body: input.body, template, usesSam, parameters, pseudo, conditions, dependencies, order };
  });
}

/** Parameter values as DescribeStacks shows them: strings, list types joined with commas. */
export function parameterValues(prepared: PreparedTemplate): ParameterValue[] {
  return [...prepared.parameters].map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: Array.isArray(value) ? value.join(",") : String(value),
  }));
}

export function noEchoKeys(template: Template): string[] {
  return Object.entries(template.Parameters ?? {})
    .filter(([, parameter]) => isNoEcho(parameter))
    .map(([key]) => key);
}

/** Every export name the template imports with a literal Fn::ImportValue (ListImports). */
export function importedNames(value: unknown, scopeResolve: (value: unknown) => unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, child] of Object.entries(node)) {
      if (key === "Fn::ImportValue") {
        try {
          const name = scopeResolve(child);
          if (typeof name === "string") found.add(name);
        } catch {
          // A name made from a resource attribute cannot be known here; the import still resolves.
        }
      } else {
        walk(child);
      }
    }
  };
  walk(value);
  return [...found];
}
