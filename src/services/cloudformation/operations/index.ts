/**
 * CloudFormation's API operations, each an awsQuery adapter (form input decoded and checked against
 * the model, result written as XML) around one action: stacks.ts (CreateStack, UpdateStack,
 * DeleteStack, CancelUpdateStack, UpdateTerminationProtection), change-sets.ts, reads.ts (describe, list, templates, exports). Calls that change
 * stacks run one at a time (their checks and first writes must not interleave); the stack operations
 * they start run in the background (engine/).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { ServiceModel } from "../../../aws/models/index.ts";
import { queryHandler } from "../../../aws/protocols/query-operation.ts";
import type { OperationHandler } from "../../service.ts";
import type { CloudFormationEngine } from "../engine/engine.ts";
import {
  createChangeSet,
  deleteChangeSet,
  describeChangeSet,
  executeChangeSet,
  listChangeSets,
} from "./change-sets.ts";
import {
  describeStackEvents,
  describeStackResource,
  describeStackResources,
  describeStacks,
  getTemplate,
  getTemplateSummary,
  listExports,
  listImports,
  listStackResources,
  listStacks,
  validateTemplateAction,
} from "./reads.ts";
import {
  cancelUpdateStack,
  createStack,
  deleteStack,
  updateStack,
  updateTerminationProtection,
} from "./stacks.ts";

export const CLOUDFORMATION_XML_NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

type Action<Input, Output> = (
  engine: CloudFormationEngine,
  input: Input,
  context: RequestContext,
) => Promise<Output>;

export function cloudFormationOperations(
  engine: CloudFormationEngine,
  model: ServiceModel,
): Record<string, OperationHandler> {
  const operation = <Input, Output extends object | undefined>(
    name: string,
    action: Action<Input, Output>,
    changes = false,
  ) =>
    queryHandler<Input, Output>(model, name, CLOUDFORMATION_XML_NAMESPACE, async (input, context) => {
      // Start-up recovery first: no request sees a stack a restart interrupted as still in progress.
      await engine.ready;
      return changes
        ? engine.exclusive(() => action(engine, input, context))
        : action(engine, input, context);
    });
  const changing = <Input, Output extends object | undefined>(name: string, action: Action<Input, Output>) =>
    operation(name, action, true);
  return {
    CreateStack: changing("CreateStack", createStack),
    UpdateStack: changing("UpdateStack", updateStack),
    DeleteStack: changing("DeleteStack", deleteStack),
    CancelUpdateStack: changing("CancelUpdateStack", cancelUpdateStack),
    UpdateTerminationProtection: changing("UpdateTerminationProtection", updateTerminationProtection),
    DescribeStacks: operation("DescribeStacks", describeStacks),
    ListStacks: operation("ListStacks", listStacks),
    DescribeStackEvents: operation("DescribeStackEvents", describeStackEvents),
    DescribeStackResource: operation("DescribeStackResource", describeStackResource),
    DescribeStackResources: operation("DescribeStackResources", describeStackResources),
    ListStackResources: operation("ListStackResources", listStackResources),
    GetTemplate: operation("GetTemplate", getTemplate),
    GetTemplateSummary: operation("GetTemplateSummary", getTemplateSummary),
    ValidateTemplate: operation("ValidateTemplate", validateTemplateAction),
    CreateChangeSet: changing("CreateChangeSet", createChangeSet),
    DescribeChangeSet: operation("DescribeChangeSet", describeChangeSet),
    ExecuteChangeSet: changing("ExecuteChangeSet", executeChangeSet),
    DeleteChangeSet: changing("DeleteChangeSet", deleteChangeSet),
    ListChangeSets: operation("ListChangeSets", listChangeSets),
    ListExports: operation("ListExports", listExports),
    ListImports: operation("ListImports", listImports),
  };
}
