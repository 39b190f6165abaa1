/**
 * The model's constraints on Function URL requests, in Lambda's ValidationException envelope:
 * AuthType and InvokeMode enums, the Qualifier pattern (an alias name: versions, and `$LATEST`, which
 * is the URL without a qualifier, do not match it), Cors list sizes and member lengths, MaxAge range.
 *
 * Enum texts: InvokeMode's was recorded from Lambda (LocalStack snapshot, 2025-11-24: "[RESPONSE_STREAM,
 * BUFFERED]", not the model's order); AuthType's order is unconfirmed and written the same way.
 */
import { constraintText, serializationError, validationErrors } from "../errors.ts";
import type { UrlCors } from "./url-store.ts";

export const QUALIFIER_PATTERN = "((?!^\\d+$)^[0-9a-zA-Z-_]+$)";
const QUALIFIER = /^(?!\d+$)[0-9a-zA-Z_-]+$/;
const AUTH_TYPES = ["NONE", "AWS_IAM"] as const;
const INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];
export type InvokeMode = (typeof INVOKE_MODES)[number];
/** ListFunctionUrlConfigs' MaxItems (model: 1–50). */
export const URL_LIST_MAX = 50;
const MAX_AGE_MAX = 86400;

/** Collects constraint texts; `check()` throws them as one ValidationException. */
export class Constraints {
  readonly messages: string[] = [];

  qualifier(value: string | undefined): void {
    if (value === undefined) return;
    if (value.length > 128) this.add("qualifier", value, "Member must have length less than or equal to 128");
    if (value.length < 1) this.add("qualifier", value, "Member must have length greater than or equal to 1");
    if (!QUALIFIER.test(value)) {
      this.add("qualifier", value, `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`);
    }
  }

  authType(value: unknown, required: boolean): AuthType | undefined {
    if (value === undefined || value === null) {
      if (required) this.messages.push(constraintText("authType", undefined, "Member must not be null"));
      return undefined;
    }
    if (typeof value !== "string") throw serializationError("AuthType");
    if ((AUTH_TYPES as readonly string[]).includes(value)) return value as AuthType;
    this.add("authType", value, "Member must satisfy enum value set: [AWS_IAM, NONE]");
    return undefined;
  }

  invokeMode(value: unknown): InvokeMode | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw serializationError("InvokeMode");
    if ((INVOKE_MODES as readonly string[]).includes(value)) return value as InvokeMode;
    this.add("invokeMode", value, "Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]");
    return undefined;
  }

  cors(value: unknown): UrlCors | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) throw serializationError("Cors");
    const given = value as Record<string, unknown>;
    const cors: UrlCors = {};
    if (given.AllowCredentials !== undefined && given.AllowCredentials !== null) {
      if (typeof given.AllowCredentials !== "boolean") throw serializationError("Cors.AllowCredentials");
      cors.AllowCredentials = given.AllowCredentials;
    }
    const lists: [keyof UrlCors, string, number, number, number][] = [
      // member, constraint name, items max, item length min, item length max (model)
      ["AllowHeaders", "cors.allowHeaders", 100, 0, 1024],
      ["AllowMethods", "cors.allowMethods", 6, 0, 6],
      ["AllowOrigins", "cors.allowOrigins", 100, 1, 253],
      ["ExposeHeaders", "cors.exposeHeaders", 100, 0, 1024],
    ];
    for (const [member, name, itemsMax, lengthMin, lengthMax] of lists) {
      const list = given[member];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
        throw serializationError(`Cors.${member}`);
      }
      const items = list as string[];
      const shown = `[${items.join(", ")}]`;
      if (items.length > itemsMax) {
        this.add(name, shown, `Member must have length less than or equal to ${itemsMax}`);
      }
      if (items.some((item) => item.length > lengthMax || item.length < lengthMin)) {
        const bound =
          lengthMin > 0
            ? `Member must have length less than or equal to ${lengthMax}, Member must have length greater than or equal to ${lengthMin}`
            : `Member must have length less than or equal to ${lengthMax}`;
        this.add(name, shown, `Member must satisfy constraint: [${bound}]`);
      }
      (cors as Record<string, unknown>)[member] = [...items];
    }
    if (given.MaxAge !== undefined && given.MaxAge !== null) {
      if (typeof given.MaxAge !== "number" || !Number.isInteger(given.MaxAge)) {
        throw serializationError("Cors.MaxAge");
      }
      if (given.MaxAge > MAX_AGE_MAX) {
        this.add(
          "cors.maxAge",
          String(given.MaxAge),
          `Member must have value less than or equal to ${MAX_AGE_MAX}`,
        );
      }
      if (given.MaxAge < 0) {
        this.add("cors.maxAge", String(given.MaxAge), "Member must have value greater than or equal to 0");
      }
      cors.MaxAge = given.MaxAge;
    }
    return cors;
  }

  maxItems(value: unknown): number {
    if (value === undefined) return URL_LIST_MAX;
    if (typeof value !== "number" || !Number.isInteger(value)) throw serializationError("MaxItems");
    if (value > URL_LIST_MAX) {
      this.add("maxItems", String(value), `Member must have value less than or equal to ${URL_LIST_MAX}`);
    }
    if (value < 1) this.add("maxItems", String(value), "Member must have value greater than or equal to 1");
    return value;
  }

  check(): void {
    if (this.messages.length > 0) throw validationErrors(this.messages);
  }

  private add(member: string, value: string, constraint: string): void {
    this.messages.push(constraintText(member, value, constraint));
  }
}
