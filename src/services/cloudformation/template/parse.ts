import type { Template } from "./types.ts";

/** A template body, JSON or YAML (short-form tags to long form), checked for its basic structure. */
export function parseTemplate(_body: string): Template {
  throw new Error("parseTemplate: not implemented yet");
}
