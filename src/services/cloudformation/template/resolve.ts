import type { ResolveScope } from "./types.ts";

/** `value` with every intrinsic function evaluated and AWS::NoValue removed. */
export function resolveValue(_value: unknown, _scope: ResolveScope): unknown {
  throw new Error("resolveValue: not implemented yet");
}
