/**
 * Model-driven input validation for awsJson services, in AWS's (coral's) order and words:
 * SerializationException for values of the wrong JSON type, then ValidationException
 * "N validation error(s) detected: Value X at 'member' failed to satisfy constraint: ..." for the
 * model's required/length/range/pattern/enum constraints.
 *
 * Placeholder until the generator emits input shapes: accepts every input unchanged.
 */
import type { ModelName } from "../models/index.ts";

export function validateInput(_service: ModelName, _operation: string, input: Record<string, unknown>): void {
  void input;
}
