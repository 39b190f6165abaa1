import type { PseudoParameters } from "./types.ts";

export interface PseudoInput {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns?: readonly string[];
}

export function pseudoParameters(_input: PseudoInput): PseudoParameters {
  throw new Error("pseudoParameters: not implemented yet");
}
