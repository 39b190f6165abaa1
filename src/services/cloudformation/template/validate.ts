import type { Template } from "./types.ts";

export interface TemplateParameterSummary {
  readonly ParameterKey: string;
  readonly DefaultValue?: string;
  readonly ParameterType: string;
  readonly NoEcho: boolean;
  readonly Description?: string;
  readonly ParameterConstraints?: { readonly AllowedValues?: string[] };
}

/** What ValidateTemplate and GetTemplateSummary report. */
export interface TemplateSummary {
  readonly Parameters: TemplateParameterSummary[];
  readonly Description?: string;
  readonly Capabilities: string[];
  readonly CapabilitiesReason?: string;
  readonly DeclaredTransforms: string[];
  readonly ResourceTypes: string[];
  readonly Version?: string;
  readonly Metadata?: string;
}

/** The static checks CloudFormation runs on a template before anything is created (TemplateError). */
export function validateTemplate(_template: Template): void {
  throw new Error("validateTemplate: not implemented yet");
}

export function templateSummary(_template: Template): TemplateSummary {
  throw new Error("templateSummary: not implemented yet");
}
