/**
 * `stratus destroy STACK [--endpoint URL] [--region R]`: DeleteStack, then the stack's events as they
 * happen until DELETE_COMPLETE (exit 0) or DELETE_FAILED (exit 1). The stack is followed by its id,
 * since a deleted stack can no longer be described by name. Artifacts `stratus deploy` uploaded stay
 * in the deploy bucket (shared by every stack; they are small and keyed by content).
 */
import { DESTROY_USAGE, optionsOrExitCode, parseDestroyArgs } from "./deploy/args.ts";
import { connect, type DeployClients, describeFailure } from "./deploy/clients.ts";
import type { CommandIo } from "./deploy/command.ts";
import { followStack, isStackMissing, snapshotEvents } from "./deploy/stack-events.ts";
import { terminalWidth } from "./deploy/table.ts";

/** Deletion of a few resources takes seconds; this bounds a stuck one. */
const DELETE_WAIT_MS = 30 * 60_000;

export async function runDestroy(argv: string[], io: CommandIo): Promise<number> {
  const options = optionsOrExitCode("destroy", DESTROY_USAGE, () => parseDestroyArgs(argv), io);
  if (typeof options === "number") return options;

  let clients: DeployClients | undefined;
  try {
    clients = await connect(options);
    const cf = clients.sdk.cloudformation;
    const cfn = clients.cloudformation;
    let stackId: string;
    try {
      const answer = await cfn.send(new cf.DescribeStacksCommand({ StackName: options.stackName }));
      stackId = answer.Stacks?.[0]?.StackId ?? options.stackName;
    } catch (error) {
      if (!isStackMissing(error)) throw error;
      io.stderr(`Error: The input stack ${options.stackName} does not exist on Cloudformation\n`);
      return 1;
    }
    const cursor = await snapshotEvents(cfn, cf, stackId);
    await cfn.send(new cf.DeleteStackCommand({ StackName: stackId }));
    io.stdout(`\nDeleting stack ${options.stackName} (${stackId})\n\n`);
    const result = await followStack({
      cfn,
      sdk: cf,
      stackId,
      cursor,
      width: terminalWidth(io.columns),
      print: io.stdout,
      deadlineMs: Date.now() + DELETE_WAIT_MS,
      signal: io.signal,
      statusWhenGone: "DELETE_COMPLETE",
      title: "CloudFormation events from stack deletion",
    });
    if (result.status === "DELETE_COMPLETE") {
      io.stdout(`\nDeleted successfully\n`);
      return 0;
    }
    if (io.signal.aborted) return 1;
    const why = result.firstFailure ? ` (${result.firstFailure})` : "";
    io.stderr(
      `\nError: Failed to delete the stack: ${options.stackName}, stack status ${result.status}${why}\n`,
    );
    return 1;
  } catch (error) {
    io.stderr(`\nError: ${describeFailure(error, options.endpoint)}\n`);
    return 1;
  } finally {
    clients?.destroy();
  }
}
