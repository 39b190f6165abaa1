/**
 * Shared steps of the application-level deployment tests: read a fixture template, deploy or update
 * it through the CloudFormation API as `sam deploy` / `aws cloudformation deploy` do (capabilities
 * IAM and AUTO_EXPAND, then the SDK's own waiters), read outputs and events, upload code zips, call
 * an API over HTTP, and poll for side effects with a bound. Each scenario's test file stays about
 * what it proves, not how it drives the API.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Parameter,
  type StackEvent,
  type StackResourceSummary,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { strToU8, zipSync } from "fflate";

/** The SDK waiters' settings: poll every second, give up well before the test runner would. */
export const WAIT = { maxWaitTime: 90, minDelay: 1, maxDelay: 1 } as const;

/** What `sam deploy` grants: a SAM template creates roles and needs the transform expanded. */
export const CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"] as const;

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "cloudformation-apps");

/** A fixture file's text (a template, or a function's source), by its path under the fixtures folder. */
export function fixture(path: string): Promise<string> {
  return readFile(join(FIXTURES, path), "utf8");
}

/** Parameters as the API takes them, from a plain map. */
export function parametersOf(values: Record<string, string>): Parameter[] {
  return Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

/** CreateStack with the SAM capabilities, then the SDK's create waiter; the stack's outputs. */
export function createStack(
  cfn: CloudFormationClient,
  stackName: string,
  templateBody: string,
  parameters: Record<string, string> = {},
): Promise<Record<string, string>> {
  return applyStack(cfn, "create", stackName, templateBody, parameters);
}

/** UpdateStack with the SAM capabilities, then the SDK's update waiter; the stack's outputs. */
export function updateStack(
  cfn: CloudFormationClient,
  stackName: string,
  templateBody: string,
  parameters: Record<string, string> = {},
): Promise<Record<string, string>> {
  return applyStack(cfn, "update", stackName, templateBody, parameters);
}

async function applyStack(
  cfn: CloudFormationClient,
  kind: "create" | "update",
  stackName: string,
  templateBody: string,
  parameters: Record<string, string>,
): Promise<Record<string, string>> {
  const input = {
    StackName: stackName,
    TemplateBody: templateBody,
    Parameters: parametersOf(parameters),
    Capabilities: [...CAPABILITIES],
  };
  if (kind === "create") {
    await cfn.send(new CreateStackCommand(input));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: stackName });
  } else {
    await cfn.send(new UpdateStackCommand(input));
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: stackName });
  }
  return stackOutputs(cfn, stackName);
}

/** The stack's outputs as OutputKey → OutputValue. */
export async function stackOutputs(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries((Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]));
}

/** The stack's status now. */
export async function stackStatus(cfn: CloudFormationClient, stackName: string): Promise<string | undefined> {
  const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks[0]?.StackStatus;
}

/**
 * Polls until the stack's operation settles (its status no longer ends in _IN_PROGRESS) and returns
 * that status: for outcomes the SDK waiters treat as failures (ROLLBACK_COMPLETE, DELETE_FAILED, ...).
 */
export async function settledStatus(
  cfn: CloudFormationClient,
  stackName: string,
  timeoutMs = 60_000,
): Promise<string | undefined> {
  return pollFor(
    `stack ${stackName} to settle`,
    async () => {
      const status = await stackStatus(cfn, stackName);
      return status?.endsWith("_IN_PROGRESS") ? undefined : status;
    },
    timeoutMs,
  );
}

/** Every event of the stack, newest first as the API lists them (all pages). */
export async function stackEvents(cfn: CloudFormationClient, stackName: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken }));
    events.push(...(page.StackEvents ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
}

/**
 * The events of the stack's latest operation, oldest first: those after the newest stack-level
 * "User Initiated" event (the one each CreateStack/UpdateStack/DeleteStack starts with).
 */
export async function latestOperationEvents(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<StackEvent[]> {
  const newestFirst = await stackEvents(cfn, stackName);
  const start = newestFirst.findIndex(
    (e) => e.ResourceType === "AWS::CloudFormation::Stack" && e.ResourceStatusReason === "User Initiated",
  );
  return newestFirst.slice(0, start === -1 ? newestFirst.length : start + 1).reverse();
}

/** Every resource of the stack, by logical id. */
export async function stackResources(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<Record<string, StackResourceSummary>> {
  const resources: StackResourceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }));
    resources.push(...(page.StackResourceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return Object.fromEntries(resources.map((r) => [r.LogicalResourceId ?? "", r]));
}

/** A zip holding the given files (name → text), as a deployment package. */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

/** Creates the artifacts bucket (as `sam deploy --s3-bucket` expects it to exist). */
export async function createArtifactBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Uploads a zip to the artifacts bucket under key. */
export async function uploadZip(s3: S3Client, bucket: string, key: string, zip: Uint8Array): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip }));
}

/** The path form of an API's invoke URL on Stratus: `{url}/_aws/execute-api/{apiId}/{rest}`. */
export function invokeUrl(stratusUrl: string, apiId: string, rest: string): string {
  return `${stratusUrl}/_aws/execute-api/${apiId}/${rest.replace(/^\//, "")}`;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or the text when it is not JSON. */
  body: unknown;
}

/** One HTTP call with a bound, its body read as JSON when it is JSON. */
export async function call(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * Calls `probe` until it returns something other than undefined, at most `timeoutMs`; fails with
 * `what` when time runs out. For side effects that happen asynchronously (stream and notification
 * deliveries).
 */
export async function pollFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
