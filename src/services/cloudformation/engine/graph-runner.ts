/**
 * Runs one task per node of a dependency graph, each only after the nodes it depends on succeeded,
 * independent nodes side by side (at most `concurrency` at once), as CloudFormation creates and deletes
 * a stack's resources. After a task fails (or `stop` says so) no new task starts; the ones running are waited for, so the
 * caller rolls back from a settled state.
 */

export interface GraphRun {
  /** Nodes whose task succeeded, in the order they finished. */
  readonly done: string[];
  /** Nodes whose task failed. */
  readonly failed: string[];
}

export async function runGraph(
  nodes: readonly string[],
  dependencies: (node: string) => Iterable<string>,
  task: (node: string) => Promise<boolean>,
  concurrency = 4,
  /** Checked before each task starts: true stops starting new ones (as a failure does). */
  stop: () => boolean = () => false,
): Promise<GraphRun> {
  const members = new Set(nodes);
  const pending = new Set(nodes);
  const finished = new Set<string>();
  const done: string[] = [];
  const failed: string[] = [];
  const running = new Map<string, Promise<void>>();

  const ready = (node: string) => {
    for (const needed of dependencies(node)) if (members.has(needed) && !finished.has(needed)) return false;
    return true;
  };

  for (;;) {
    if (failed.length === 0 && !stop()) {
      for (const node of [...pending]) {
        if (running.size >= concurrency) break;
        if (!ready(node)) continue;
        pending.delete(node);
        running.set(
          node,
          task(node).then(
            (ok) => {
              running.delete(node);
              if (ok) {
                finished.add(node);
                done.push(node);
              } else {
                failed.push(node);
              }
            },
            () => {
              running.delete(node);
              failed.push(node);
            },
          ),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { done, failed };
}

/** For deleting: each node waits for every node that depends on it. */
export function reversed(
  nodes: readonly string[],
  dependencies: (node: string) => Iterable<string>,
): (node: string) => string[] {
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    for (const needed of dependencies(node)) {
      const list = dependents.get(needed) ?? [];
      list.push(node);
      dependents.set(needed, list);
    }
  }
  return (node) => dependents.get(node) ?? [];
}
