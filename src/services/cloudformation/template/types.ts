/**
 * A CloudFormation template in its JSON form: what `parseTemplate` returns for JSON and for YAML alike
 * (YAML's short-form tags become their long form: `!Ref X` → `{ "Ref": "X" }`, `!GetAtt A.B` →
 * `{ "Fn::GetAtt": ["A", "B"] }`, `!Sub s` → `{ "Fn::Sub": "s" }`). Values are plain JSON in which
 * intrinsic functions are one-key objects, resolved late (resolve.ts) once the resources they name exist.
 */

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: "Delete" | "Retain" | "Snapshot" | "RetainExceptOnCreate";
  UpdateReplacePolicy?: "Delete" | "Retain" | "Snapshot";
  Metadata?: unknown;
  CreationPolicy?: unknown;
  UpdatePolicy?: unknown;
}

export interface TemplateParameter {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  Description?: string;
  MinLength?: number | string;
  MaxLength?: number | string;
  MinValue?: number | string;
  MaxValue?: number | string;
  NoEcho?: boolean | string;
}

export interface TemplateOutput {
  Value: unknown;
  Description?: unknown;
  Condition?: string;
  Export?: { Name: unknown };
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: Record<string, unknown>;
  Transform?: string | string[] | unknown;
  Parameters?: Record<string, TemplateParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<string, unknown>;
  /** SAM only: removed by the transform. */
  Globals?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

/**
 * A template that CloudFormation refuses. `message` is AWS's text, word for word (ValidationError,
 * HTTP 400), e.g. "Template format error: Unresolved resource dependencies [Foo] in the Resources block
 * of the template".
 */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

/** The pseudo parameters (AWS::Region, ...) of one stack. */
export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly partition: string;
  /** See URL_SUFFIX in pseudo.ts (template helper owns the value). */
  readonly urlSuffix: string;
  readonly notificationArns: readonly string[];
}

/** What resolving a value needs to know. Resource lookups throw TemplateError for unknown names. */
export interface ResolveScope {
  /** Parameter values after defaults and overrides: strings, or string lists for list types. */
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly pseudo: PseudoParameters;
  readonly conditions: ReadonlyMap<string, boolean>;
  readonly mappings: NonNullable<Template["Mappings"]>;
  /** Ref of a resource: its physical id (what each provider says Ref returns). */
  ref(logicalId: string): unknown;
  /** Fn::GetAtt of a resource; attribute may be dotted (`Endpoint.Address`). */
  getAtt(logicalId: string, attribute: string): unknown;
  /** Fn::ImportValue: an export of another stack of the same account and region. */
  importValue(exportName: string): unknown;
}
