/**
 * Parameter values for a stack: each declared parameter takes the value given on CreateStack/UpdateStack,
 * else its previous value (UsePreviousValue), else its Default; the value is then checked against the
 * parameter's type and constraints with CloudFormation's messages. Also how DescribeStacks shows them
 * (NoEcho values masked as "****").
 */
import { isNumberText, type ParameterShape, parameterShape } from "./parameter-types.ts";
import { type Template, TemplateError, type TemplateParameter } from "./types.ts";

/** What DescribeStacks shows instead of a NoEcho parameter's value. */
export const NO_ECHO_MASK = "****";

/** The properties a parameter declaration may have. */
const PARAMETER_PROPERTIES: ReadonlySet<string> = new Set([
  "Type",
  "Default",
  "AllowedValues",
  "AllowedPattern",
  "ConstraintDescription",
  "Description",
  "MinLength",
  "MaxLength",
  "MinValue",
  "MaxValue",
  "NoEcho",
]);

/**
 * The value of every declared parameter: `given` overrides, else `previous` (UsePreviousValue on
 * update), else Default; checked against the parameter's type and constraints (TemplateError in AWS's
 * words). Values are strings, or string arrays for list types.
 */
export function resolveParameters(
  template: Template,
  given: ReadonlyMap<string, string>,
  previous?: ReadonlyMap<string, string>,
): Map<string, unknown> {
  const declared = template.Parameters ?? {};
  const undeclared = [...given.keys()].filter((key) => !Object.hasOwn(declared, key));
  if (undeclared.length > 0) {
    throw new TemplateError(`Parameters: [${undeclared.join(", ")}] do not exist in the template`);
  }
  checkParameterDeclarations(template);

  const texts = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, parameter] of Object.entries(declared)) {
    const text = given.get(name) ?? previous?.get(name) ?? defaultText(parameter.Default);
    if (text === undefined) missing.push(name);
    else texts.set(name, text);
  }
  if (missing.length > 0) throw new TemplateError(`Parameters: [${missing.join(", ")}] must have values`);

  const values = new Map<string, unknown>();
  for (const [name, text] of texts)
    values.set(name, checkedValue(name, declared[name] as TemplateParameter, text));
  return values;
}

/** The static checks on the Parameters section itself (types known, properties known). */
export function checkParameterDeclarations(template: Template): void {
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (typeof parameter !== "object" || parameter === null || parameter.Type === undefined) {
      throw new TemplateError(
        `Template format error: [/Parameters/${name}] Every Parameters object must contain a Type member.`,
      );
    }
    for (const property of Object.keys(parameter)) {
      if (!PARAMETER_PROPERTIES.has(property)) {
        throw new TemplateError(`Invalid template parameter property '${property}'`);
      }
    }
    if (parameterShape(String(parameter.Type)) === undefined) {
      throw new TemplateError(
        `Template format error: Unrecognized parameter type: ${String(parameter.Type)}`,
      );
    }
  }
}

/** A Default as the text a caller would have given (YAML numbers and lists included). */
function defaultText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(",");
  return String(value);
}

function checkedValue(name: string, parameter: TemplateParameter, text: string): unknown {
  const shape = parameterShape(parameter.Type) as ParameterShape;
  if (shape === "ssm-value") {
    throw new TemplateError(
      `Parameter '${name}' is of type ${parameter.Type}, which reads AWS Systems Manager Parameter Store: Stratus has no SSM Parameter Store yet`,
    );
  }
  if (shape === "list" || shape === "number-list") {
    // CloudFormation trims the spaces around each member of a list value.
    const members = text === "" ? [] : text.split(",").map((member) => member.trim());
    for (const member of members) checkConstraints(name, parameter, member, shape === "number-list");
    return members;
  }
  checkConstraints(name, parameter, text, shape === "number");
  return text;
}

function checkConstraints(name: string, parameter: TemplateParameter, value: string, numeric: boolean): void {
  const fail = (message: string): never => {
    const description = parameter.ConstraintDescription;
    throw new TemplateError(
      description === undefined
        ? `Parameter '${name}' ${message}`
        : `Parameter '${name}' failed to satisfy constraint: ${description}`,
    );
  };
  if (numeric && !isNumberText(value)) fail("must be a number");
  if (parameter.AllowedValues !== undefined && !parameter.AllowedValues.map(String).includes(value)) {
    fail("must be one of AllowedValues");
  }
  if (parameter.MinLength !== undefined && value.length < Number(parameter.MinLength)) {
    fail(`must contain at least ${parameter.MinLength} characters`);
  }
  if (parameter.MaxLength !== undefined && value.length > Number(parameter.MaxLength)) {
    fail(`must contain at most ${parameter.MaxLength} characters`);
  }
  if (parameter.AllowedPattern !== undefined && !matchesWhole(name, parameter.AllowedPattern, value)) {
    if (parameter.ConstraintDescription === undefined) {
      throw new TemplateError(
        `Parameter '${name}' failed to satisfy constraint: must match pattern ${parameter.AllowedPattern}`,
      );
    }
    fail("");
  }
  if (numeric && parameter.MinValue !== undefined && Number(value) < Number(parameter.MinValue)) {
    fail(`must be a number not less than ${parameter.MinValue}`);
  }
  if (numeric && parameter.MaxValue !== undefined && Number(value) > Number(parameter.MaxValue)) {
    fail(`must be a number not greater than ${parameter.MaxValue}`);
  }
}

/** AllowedPattern must match the whole value (Java's String.matches, which CloudFormation uses). */
function matchesWhole(name: string, pattern: string, value: string): boolean {
  let expression: RegExp;
  try {
    expression = new RegExp(`^(?:${pattern})$`, "s");
  } catch {
    throw new TemplateError(`Parameter '${name}' AllowedPattern must be a valid regular expression.`);
  }
  return expression.test(value);
}

export function isNoEcho(parameter: TemplateParameter): boolean {
  return parameter.NoEcho === true || String(parameter.NoEcho).toLowerCase() === "true";
}

export interface DescribedParameter {
  readonly ParameterKey: string;
  readonly ParameterValue: string;
}

/**
 * The stack's parameters as DescribeStacks lists them: declaration order, list values joined with ","
 * and NoEcho values replaced by "****".
 */
export function describeParameters(
  template: Template,
  values: ReadonlyMap<string, unknown>,
): DescribedParameter[] {
  return Object.entries(template.Parameters ?? {}).flatMap(([name, parameter]) => {
    if (!values.has(name)) return [];
    const value = values.get(name);
    const text = Array.isArray(value) ? value.join(",") : String(value);
    return [{ ParameterKey: name, ParameterValue: isNoEcho(parameter) ? NO_ECHO_MASK : text }];
  });
}
