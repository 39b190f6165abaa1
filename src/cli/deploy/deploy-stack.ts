/**
 * One deployment of a packaged template, the way `sam deploy` drives CloudFormation: CreateChangeSet
 * (CREATE when the stack does not exist or is only REVIEW_IN_PROGRESS, else UPDATE; capabilities IAM,
 * NAMED_IAM and AUTO_EXPAND granted), wait for the change set, show it, ExecuteChangeSet, follow the
 * stack's events to a terminal status, then print the outputs and the local URLs of its APIs. An empty
 * change set is "No changes to deploy", not a failure.
 */
import type { Change, Parameter } from "@aws-sdk/client-cloudformation";
import type { Template } from "../../services/cloudformation/template/types.ts";
import type { DeployClients } from "./clients.ts";
import { sleep } from "./clients.ts";
import { findLocalEndpoints, lambdaFunctionUrl, renderEndpoints, sdkStageLister } from "./endpoints.ts";
import { followStack, isStackMissing, snapshotEvents } from "./stack-events.ts";
import { CHANGESET_COLUMNS, renderOutputs, tableLayout } from "./table.ts";

export const CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"] as const;
const SUCCESS_STATUSES = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"]);
const CHANGE_SET_POLL_MS = 500;
const CHANGE_SET_WAIT_MS = 5 * 60_000;
/** CloudFormation's limit on TemplateBody; a larger template goes through S3 (TemplateURL), as with sam. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
/** `sam deploy` waits an hour for a stack (720 polls of 5 s). */
const STACK_WAIT_MS = 60 * 60_000;

export interface DeployRequest {
  readonly stackName: string;
  readonly template: Template;
  readonly parameters: readonly Parameter[];
  readonly endpoint: string;
  readonly region: string;
  readonly width: number;
  readonly print: (text: string) => void;
  readonly signal?: AbortSignal;
  /** Stores a template too large for TemplateBody and returns its TemplateURL. */
  readonly templateUrlFor?: (body: string) => Promise<string>;
}

export type DeployOutcome =
  | { readonly kind: "deployed"; readonly stackId: string }
  | { readonly kind: "no-changes"; readonly stackId: string }
  | { readonly kind: "failed"; readonly message: string };

/** What `sam deploy` says when CloudFormation reports an empty change set. */
export function isEmptyChangeSetReason(reason: string | undefined): boolean {
  return (
    reason !== undefined &&
    (reason.includes("The submitted information didn't contain changes.") ||
      reason.includes("No updates are to be performed"))
  );
}

/** CREATE for a stack that does not exist yet (or only holds a change set), UPDATE otherwise. */
export async function changeSetType(clients: DeployClients, stackName: string): Promise<"CREATE" | "UPDATE"> {
  const { cloudformation: cfn, sdk } = clients;
  try {
    const answer = await cfn.send(new sdk.cloudformation.DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    return stack === undefined || stack.StackStatus === "REVIEW_IN_PROGRESS" ? "CREATE" : "UPDATE";
  } catch (error) {
    if (isStackMissing(error)) return "CREATE";
    throw error;
  }
}

export async function deployStack(clients: DeployClients, request: DeployRequest): Promise<DeployOutcome> {
  const { cloudformation: cfn, sdk } = clients;
  const cf = sdk.cloudformation;
  const { stackName, print } = request;
  const type = await changeSetType(clients, stackName);
  let created: { Id?: string | undefined; StackId?: string | undefined };
  const body = JSON.stringify(request.template);
  try {
    const template =
      Buffer.byteLength(body) > TEMPLATE_BODY_MAX_BYTES && request.templateUrlFor
        ? { TemplateURL: await request.templateUrlFor(body) }
        : { TemplateBody: body };
    created = await cfn.send(
      new cf.CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: `stratus-deploy${Date.now()}`,
        ChangeSetType: type,
        ...template,
        Parameters: [...request.parameters],
        Capabilities: [...CAPABILITIES],
        Description: `Created by Stratus CLI at ${new Date().toISOString().replace("Z", "")} UTC`,
      }),
    );
  } catch (error) {
    const { message } = error as Error;
    const hint = /ROLLBACK_COMPLETE state/.test(message)
      ? ` (delete it first: stratus destroy ${stackName})`
      : "";
    return {
      kind: "failed",
      message: `Failed to create changeset for the stack: ${stackName}, ${message}${hint}`,
    };
  }
  const changeSetId = created.Id ?? "";
  const stackId = created.StackId ?? stackName;

  print("\nWaiting for changeset to be created..\n");
  const changeSet = await waitForChangeSet(clients, changeSetId, stackName, request.signal);
  if (changeSet.status === "FAILED") {
    if (isEmptyChangeSetReason(changeSet.reason)) {
      print(`\nNo changes to deploy. Stack ${stackName} is up to date\n`);
      return { kind: "no-changes", stackId };
    }
    return {
      kind: "failed",
      message: `Failed to create changeset for the stack: ${stackName}, Status: FAILED. Reason: ${changeSet.reason ?? "-"}`,
    };
  }
  if (changeSet.status !== "CREATE_COMPLETE") {
    return {
      kind: "failed",
      message: `Failed to create changeset for the stack: ${stackName}, still ${changeSet.status}`,
    };
  }
  print(`\n${renderChangeSet(changeSet.changes, request.width)}\n`);
  print(`\nChangeset created successfully. ${changeSetId}\n`);

  const cursor = await snapshotEvents(cfn, cf, stackId);
  try {
    await cfn.send(new cf.ExecuteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName }));
  } catch (error) {
    return {
      kind: "failed",
      message: `Failed to create/update the stack: ${stackName}, ${(error as Error).message}`,
    };
  }
  print(
    `\n${new Date().toISOString().slice(0, 19).replace("T", " ")} - Waiting for stack create/update to complete\n\n`,
  );
  const result = await followStack({
    cfn,
    sdk: cf,
    stackId,
    cursor,
    width: request.width,
    print,
    deadlineMs: Date.now() + STACK_WAIT_MS,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  if (!SUCCESS_STATUSES.has(result.status)) {
    const why = result.timedOut
      ? `still ${result.status || "not started"} after waiting`
      : `stack status ${result.status}${result.firstFailure ? ` (${result.firstFailure})` : ""}`;
    return { kind: "failed", message: `Failed to create/update the stack: ${stackName}, ${why}` };
  }
  await printStackSummary(clients, request, stackId);
  print(`\nSuccessfully created/updated stack - ${stackName} in ${request.region}\n\n`);
  return { kind: "deployed", stackId };
}

interface ChangeSetState {
  status: string;
  reason: string | undefined;
  changes: Change[];
}

async function waitForChangeSet(
  clients: DeployClients,
  changeSetId: string,
  stackName: string,
  signal: AbortSignal | undefined,
): Promise<ChangeSetState> {
  const cf = clients.sdk.cloudformation;
  const deadline = Date.now() + CHANGE_SET_WAIT_MS;
  for (;;) {
    const changes: Change[] = [];
    let nextToken: string | undefined;
    let status = "";
    let reason: string | undefined;
    do {
      const page = await clients.cloudformation.send(
        new cf.DescribeChangeSetCommand({
          ChangeSetName: changeSetId,
          StackName: stackName,
          NextToken: nextToken,
        }),
      );
      status = page.Status ?? "";
      reason = page.StatusReason;
      changes.push(...(page.Changes ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    if (status === "CREATE_COMPLETE" || status === "FAILED" || status === "DELETE_COMPLETE") {
      return { status, reason, changes };
    }
    if (Date.now() > deadline || !(await sleep(CHANGE_SET_POLL_MS, signal)))
      return { status, reason, changes };
  }
}

/** `sam deploy`'s change set table: + Add, * Modify, - Delete rows (a "-" row when it holds none). */
export function renderChangeSet(changes: readonly Change[], width: number): string {
  const layout = tableLayout(CHANGESET_COLUMNS, width);
  const shown: Record<string, string> = {
    Add: "+ Add",
    Modify: "* Modify",
    Remove: "- Delete",
    Dynamic: "* Dynamic",
  };
  const order = ["Add", "Modify", "Remove", "Dynamic"];
  const rows = changes
    .map((change) => change.ResourceChange)
    .filter((change) => change !== undefined)
    .sort((a, b) => order.indexOf(a.Action ?? "") - order.indexOf(b.Action ?? ""))
    .map((change) =>
      layout.row([
        shown[change.Action ?? ""] ?? change.Action ?? "-",
        change.LogicalResourceId ?? "-",
        change.ResourceType ?? "-",
      ]),
    );
  return [
    layout.header("CloudFormation stack changeset"),
    ...(rows.length ? rows : [layout.row(["-", "-", "-"])]),
    layout.rule(),
  ].join("\n");
}

/** The outputs table, then the local URLs of the stack's APIs and function URLs. */
async function printStackSummary(
  clients: DeployClients,
  request: DeployRequest,
  stackId: string,
): Promise<void> {
  const { cloudformation: cfn, sdk } = clients;
  const described = await cfn.send(new sdk.cloudformation.DescribeStacksCommand({ StackName: stackId }));
  const outputs = described.Stacks?.[0]?.Outputs ?? [];
  if (outputs.length > 0) request.print(`\n${renderOutputs(outputs, request.width)}\n`);
  const resources = await cfn.send(
    new sdk.cloudformation.DescribeStackResourcesCommand({ StackName: stackId }),
  );
  const endpoints = await findLocalEndpoints(
    request.endpoint,
    resources.StackResources ?? [],
    sdkStageLister(request.endpoint, request.region),
    lambdaFunctionUrl(sdk.lambda, clients.lambda),
  );
  if (endpoints.length > 0) request.print(`\n${renderEndpoints(endpoints, request.width)}\n`);
}
