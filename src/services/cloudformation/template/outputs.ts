/**
 * The stack's Outputs as DescribeStacks reports them: those whose Condition holds, each Value resolved
 * to text, with its Export name. CloudFormation wants an output to evaluate to a string: a Map, a
 * removed value (AWS::NoValue) or a list built in the template (`Ref` of a list parameter, Fn::Split,
 * Fn::GetAZs...) is refused in its words; a list-valued resource attribute read by Fn::GetAtt (a load
 * balancer's SecurityGroups, say) is written joined with ",".
 */
import { intrinsicName, resolveValue } from "./resolve.ts";
import { type ResolveScope, type Template, TemplateError } from "./types.ts";

export interface StackOutput {
  readonly OutputKey: string;
  readonly OutputValue: string;
  readonly Description?: string;
  readonly ExportName?: string;
}

/** What an Export name may be made of. */
export const EXPORT_NAME = /^[A-Za-z0-9:-]+$/;

export function malformedExportNameError(outputKey: string): TemplateError {
  return new TemplateError(
    `Template format error: Output ${outputKey} is malformed. The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.`,
  );
}

/** The stack's Outputs (those whose Condition holds), values resolved and turned into strings as AWS does. */
export function resolveOutputs(template: Template, scope: ResolveScope): StackOutput[] {
  const outputs: StackOutput[] = [];
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && scope.conditions.get(output.Condition) !== true) continue;
    const resolved = resolveValue(output.Value, scope);
    const value = outputText(resolved, intrinsicName(output.Value) === "Fn::GetAtt");
    const description =
      output.Description === undefined ? undefined : resolveValue(output.Description, scope);
    let exportName: string | undefined;
    if (output.Export !== undefined) {
      const name = resolveValue(output.Export.Name, scope);
      if (typeof name !== "string" || !EXPORT_NAME.test(name)) throw malformedExportNameError(key);
      exportName = name;
    }
    outputs.push({
      OutputKey: key,
      OutputValue: value,
      ...(description === undefined ? {} : { Description: String(description) }),
      ...(exportName === undefined ? {} : { ExportName: exportName }),
    });
  }
  return outputs;
}

const NOT_A_STRING =
  "Template format error: The Value field of every Outputs member must evaluate to a String";

/** An output value as text; `fromGetAtt` lets a resource attribute's list through, joined with ",". */
export function outputText(value: unknown, fromGetAtt = false): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (!fromGetAtt) throw new TemplateError(`${NOT_A_STRING} and not a List.`);
    return value.map((item) => outputText(item)).join(",");
  }
  if (typeof value === "object" && value !== null) throw new TemplateError(`${NOT_A_STRING} and not a Map.`);
  throw new TemplateError(`${NOT_A_STRING}.`);
}
