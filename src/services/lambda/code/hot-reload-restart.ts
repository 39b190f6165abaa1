/**
 * What a hot-reload change does to running functions: the environments of every function version
 * that runs from the changed directory are retired, so the next invoke starts a fresh one with the
 * new code. A version's environments are retired only once none of them is running an invoke (checked
 * and retired in the same tick, so no invoke can start in between); until then the check is retried.
 */
import type { InvokePools } from "../invoke/pools.ts";
import type { HotReloadUser, HotReloadWatchers } from "./hot-reload.ts";

/** How often a busy version is checked again, and for how long at most. */
const RETRY_MS = 100;
const RETRY_FOR_MS = 15 * 60_000;

function retireVersionWhenIdle(
  pools: InvokePools,
  user: HotReloadUser,
  version: string,
  deadline: number,
): void {
  const ofVersion = pools
    .poolsOf(user.accountId, user.region, user.name)
    .filter((pool) => pool.config.functionVersion === version);
  if (ofVersion.every((pool) => pool.busyCount === 0)) {
    void pools.disposeFunction(user.accountId, user.region, user.name, version);
  } else if (Date.now() < deadline) {
    const timer = setTimeout(() => retireVersionWhenIdle(pools, user, version, deadline), RETRY_MS);
    timer.unref();
  }
}

/** The versions of `user` whose environments run from `dir`. */
function versionsRunningFrom(pools: InvokePools, dir: string, user: HotReloadUser): Set<string> {
  const affected = pools
    .poolsOf(user.accountId, user.region, user.name)
    .filter((pool) => pool.config.codeDir === dir);
  return new Set(affected.map((pool) => pool.config.functionVersion));
}

export function restartEnvironmentsOnChange(watchers: HotReloadWatchers, pools: InvokePools): void {
  watchers.onChange((dir, users) => {
    const deadline = Date.now() + RETRY_FOR_MS;
    for (const user of users) {
      for (const version of versionsRunningFrom(pools, dir, user)) {
        retireVersionWhenIdle(pools, user, version, deadline);
      }
    }
  });
}
