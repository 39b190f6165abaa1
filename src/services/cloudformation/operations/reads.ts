/**
 * The read-only operations: stacks, their events and resources, templates (GetTemplate,
 * GetTemplateSummary, ValidateTemplate), exports and imports. A deleted stack is found only by its
 * stack id, as in AWS; by name it "does not exist".
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { CloudFormationEngine } from "../engine/engine.ts";
import { stackDoesNotExist, validationError } from "../engine/errors.ts";
import { importingStacks } from "../engine/exports.ts";
import { asValidation, parseBody } from "../engine/prepare.ts";
import type { StackRecord } from "../engine/records.ts";
import { templateText } from "../engine/template-source.ts";
import { templateSummary, validateTemplate } from "../template/validate.ts";
import { findChangeSet } from "./change-sets.ts";
import {
  eventView,
  pageOffset,
  pageToken,
  resourceDetail,
  resourceSummary,
  resourceView,
  stackSummary,
  stackView,
} from "./views.ts";

const EVENTS_PAGE = 100;
const STACKS_PAGE = 100;

export async function requireStack(
  engine: CloudFormationEngine,
  context: RequestContext,
  nameOrId: string | undefined,
): Promise<StackRecord> {
  const stack = nameOrId ? await engine.deps.store.findStack(engine.place(context), nameOrId) : undefined;
  if (!stack) throw stackDoesNotExist(nameOrId ?? "");
  return stack;
}

function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const offset = pageOffset(token);
  const slice = items.slice(offset, offset + size);
  return { items: slice, NextToken: offset + size < items.length ? pageToken(offset + size) : undefined };
}

export async function describeStacks(
  engine: CloudFormationEngine,
  input: { StackName?: string; NextToken?: string },
  context: RequestContext,
) {
  if (input.StackName) {
    return { Stacks: [stackView(await requireStack(engine, context, input.StackName))] };
  }
  const live: StackRecord[] = [];
  for await (const stack of engine.deps.store.stacks(engine.place(context))) {
    if (stack.status !== "DELETE_COMPLETE") live.push(stack);
  }
  live.sort((a, b) => b.creationTime.localeCompare(a.creationTime));
  const { items, NextToken } = page(live, input.NextToken, STACKS_PAGE);
  return { Stacks: items.map(stackView), NextToken };
}

export async function listStacks(
  engine: CloudFormationEngine,
  input: { StackStatusFilter?: string[]; NextToken?: string },
  context: RequestContext,
) {
  const filter = input.StackStatusFilter ?? [];
  const found: StackRecord[] = [];
  for await (const stack of engine.deps.store.stacks(engine.place(context))) {
    if (filter.length === 0 || filter.includes(stack.status)) found.push(stack);
  }
  found.sort((a, b) => b.creationTime.localeCompare(a.creationTime));
  const { items, NextToken } = page(found, input.NextToken, STACKS_PAGE);
  return { StackSummaries: items.map(stackSummary), NextToken };
}

export async function describeStackEvents(
  engine: CloudFormationEngine,
  input: { StackName?: string; NextToken?: string },
  context: RequestContext,
) {
  const stack = await requireStack(engine, context, input.StackName);
  const events = [];
  for await (const event of engine.deps.store.events(engine.place(context), stack.stackId))
    events.push(event);
  const { items, NextToken } = page(events, input.NextToken, EVENTS_PAGE);
  return { StackEvents: items.map(eventView), NextToken };
}

/** The resources a stack has now: a live stack's current ones, a finished one's last known. */
function currentResources(stack: StackRecord) {
  const all = Object.values(stack.resources);
  const ended = stack.status === "DELETE_COMPLETE" || stack.status === "ROLLBACK_COMPLETE";
  return ended ? all : all.filter((resource) => resource.status !== "DELETE_COMPLETE");
}

export async function describeStackResource(
  engine: CloudFormationEngine,
  input: { StackName?: string; LogicalResourceId?: string },
  context: RequestContext,
) {
  const stack = await requireStack(engine, context, input.StackName);
  const resource = currentResources(stack).find(
    (candidate) => candidate.logicalId === input.LogicalResourceId,
  );
  if (!resource) {
    throw validationError(
      `Resource ${input.LogicalResourceId ?? ""} does not exist for stack ${stack.stackName}`,
    );
  }
  return { StackResourceDetail: resourceDetail(stack, resource) };
}

export async function describeStackResources(
  engine: CloudFormationEngine,
  input: { StackName?: string; LogicalResourceId?: string; PhysicalResourceId?: string },
  context: RequestContext,
) {
  let stack: StackRecord | undefined;
  if (input.StackName) {
    stack = await requireStack(engine, context, input.StackName);
  } else if (input.PhysicalResourceId) {
    for await (const candidate of engine.deps.store.stacks(engine.place(context))) {
      if (candidate.status === "DELETE_COMPLETE") continue;
      if (Object.values(candidate.resources).some((r) => r.physicalId === input.PhysicalResourceId)) {
        stack = candidate;
        break;
      }
    }
    if (!stack) throw validationError(`Stack for ${input.PhysicalResourceId} does not exist`);
  } else {
    throw validationError("Either StackName or PhysicalResourceId must be specified.");
  }
  const resources = currentResources(stack).filter(
    (resource) =>
      (input.LogicalResourceId === undefined || resource.logicalId === input.LogicalResourceId) &&
      (input.PhysicalResourceId === undefined || resource.physicalId === input.PhysicalResourceId),
  );
  return { StackResources: resources.map((resource) => resourceView(stack, resource)) };
}

export async function listStackResources(
  engine: CloudFormationEngine,
  input: { StackName?: string; NextToken?: string },
  context: RequestContext,
) {
  const stack = await requireStack(engine, context, input.StackName);
  const { items, NextToken } = page(currentResources(stack), input.NextToken, 100);
  return { StackResourceSummaries: items.map(resourceSummary), NextToken };
}

export async function getTemplate(
  engine: CloudFormationEngine,
  input: { StackName?: string; ChangeSetName?: string; TemplateStage?: string },
  context: RequestContext,
) {
  let settings: { templateBody: string; processedTemplate: string } = await requireStack(
    engine,
    context,
    input.StackName,
  );
  if (input.ChangeSetName) {
    settings = (await findChangeSet(engine, context, input.ChangeSetName, input.StackName)).changeSet
      .settings;
  }
  const processed = input.TemplateStage === "Processed";
  return {
    TemplateBody: processed ? settings.processedTemplate : settings.templateBody,
    StagesAvailable: ["Original", "Processed"],
  };
}

export async function getTemplateSummary(
  engine: CloudFormationEngine,
  input: { TemplateBody?: string; TemplateURL?: string; StackName?: string },
  context: RequestContext,
) {
  const body = input.StackName
    ? (await requireStack(engine, context, input.StackName)).templateBody
    : await templateText(input, engine.deps.callerFor(engine.place(context)));
  const template = parseBody(body);
  return asValidation(() => templateSummary(template));
}

export async function validateTemplateAction(
  engine: CloudFormationEngine,
  input: { TemplateBody?: string; TemplateURL?: string },
  context: RequestContext,
) {
  const body = await templateText(input, engine.deps.callerFor(engine.place(context)));
  const template = parseBody(body);
  const summary = asValidation(() => {
    if (template.Transform === undefined) validateTemplate(template);
    return templateSummary(template);
  });
  return {
    Parameters: summary.Parameters.map((parameter) => ({
      ParameterKey: parameter.ParameterKey,
      DefaultValue: parameter.DefaultValue,
      NoEcho: parameter.NoEcho,
      Description: parameter.Description,
    })),
    Description: summary.Description,
    Capabilities: summary.Capabilities,
    CapabilitiesReason: summary.CapabilitiesReason,
    DeclaredTransforms: summary.DeclaredTransforms,
  };
}

export async function listExports(
  engine: CloudFormationEngine,
  input: { NextToken?: string },
  context: RequestContext,
) {
  const exports = await engine.deps.store.exports(engine.place(context));
  const { items, NextToken } = page(exports, input.NextToken, 100);
  return {
    Exports: items.map((record) => ({
      ExportingStackId: record.stackId,
      Name: record.name,
      Value: record.value,
    })),
    NextToken,
  };
}

export async function listImports(
  engine: CloudFormationEngine,
  input: { ExportName?: string; NextToken?: string },
  context: RequestContext,
) {
  const name = input.ExportName ?? "";
  const importers = await importingStacks(engine.deps.store, engine.place(context), name);
  if (importers.length === 0) throw validationError(`Export '${name}' is not imported by any stack.`);
  const { items, NextToken } = page(importers.sort(), input.NextToken, 100);
  return { Imports: items, NextToken };
}
