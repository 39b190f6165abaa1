/**
 * The checks CreateFunction and the Update* operations make on configuration members, with Lambda's
 * texts: model constraints aggregated into one ValidationException ("1 validation error detected:
 * Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to
 * 900", recorded from Lambda through CloudFormation errors), then Lambda's own
 * InvalidParameterValueException checks (runtime, environment variables).
 *
 * Lambda enforces tighter limits than its public model: Timeout at most 900, MemorySize at most 10240.
 */
import { loadModel } from "../../../aws/models/index.ts";
import {
  constraintText,
  environmentTooLarge,
  invalidRuntime,
  reservedEnvironmentKeys,
  runtimeNotSupported,
  serializationError,
  validationErrors,
} from "../errors.ts";

export const TIMEOUT_SECONDS_MAX = 900;
export const MEMORY_MB_MIN = 128;
export const MEMORY_MB_MAX = 10240;
export const HANDLER_LENGTH_MAX = 128;
export const DESCRIPTION_LENGTH_MAX = 256;
/** Lambda's quota on the environment variables of one function (serialized). */
export const ENVIRONMENT_BYTES_MAX = 4096;

export const ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
const ROLE = new RegExp(`^(?:${ROLE_PATTERN})$`);
const HANDLER_PATTERN = "[^\\s]+";
const HANDLER = /^[^\s]+$/;
const ENV_NAME_PATTERN = "[a-zA-Z]([a-zA-Z0-9_])+";
const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;
const ARCHITECTURES = ["x86_64", "arm64"];

/** Every runtime of the AWS model, in the model's order (Lambda lists them in its enum error). */
const runtimeShape = loadModel("lambda").shapes.Runtime;
export const MODEL_RUNTIMES: readonly string[] = runtimeShape?.enum ?? [];

/**
 * Runtimes Lambda no longer lets anyone create or update functions with, and the runtime it suggests
 * instead (the suggestion is unconfirmed for each family).
 */
const BLOCKED_RUNTIMES: Readonly<Record<string, string>> = {
  nodejs: "nodejs22.x",
  "nodejs4.3": "nodejs22.x",
  "nodejs4.3-edge": "nodejs22.x",
  "nodejs6.10": "nodejs22.x",
  "nodejs8.10": "nodejs22.x",
  "nodejs10.x": "nodejs22.x",
  "nodejs12.x": "nodejs22.x",
  "nodejs14.x": "nodejs22.x",
  "nodejs16.x": "nodejs22.x",
  "python2.7": "python3.13",
  "python3.6": "python3.13",
  "python3.7": "python3.13",
  "python3.8": "python3.13",
  "dotnetcore1.0": "dotnet8",
  "dotnetcore2.0": "dotnet8",
  "dotnetcore2.1": "dotnet8",
  "dotnetcore3.1": "dotnet8",
  dotnet6: "dotnet8",
  "ruby2.5": "ruby3.3",
  "ruby2.7": "ruby3.3",
  "go1.x": "provided.al2023",
  provided: "provided.al2023",
  java8: "java21",
};

/** The runtimes Stratus itself runs (other current runtimes can be created, not invoked). */
export const RUNNABLE_RUNTIMES: readonly string[] = [
  "nodejs18.x",
  "nodejs20.x",
  "nodejs22.x",
  "nodejs24.x",
  "python3.9",
  "python3.10",
  "python3.11",
  "python3.12",
  "python3.13",
  "python3.14",
  "provided.al2",
  "provided.al2023",
];

/** Lambda's reserved environment variable names ("Defined runtime environment variables"). */
const RESERVED_ENV = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);

/** The configuration members the control plane reads, as they arrive (types not yet checked). */
export interface ConfigMembers {
  Runtime?: unknown;
  Role?: unknown;
  Handler?: unknown;
  Description?: unknown;
  Timeout?: unknown;
  MemorySize?: unknown;
  Environment?: unknown;
  Architectures?: unknown;
}

export function optionalString(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw serializationError(member);
  return value;
}

export function optionalInteger(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw serializationError(member);
  return value;
}

export function optionalBoolean(value: unknown, member: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw serializationError(member);
  return value;
}

export function optionalStringMap(value: unknown, member: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError(member);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== "string") throw serializationError(member);
    out[key] = item;
  }
  return out;
}

export function optionalStringList(value: unknown, member: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw serializationError(member);
  return value as string[];
}

/** Environment.Variables as given; `null` Environment means no change. */
export function environmentVariables(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError("Environment");
  return optionalStringMap((value as { Variables?: unknown }).Variables, "Environment.Variables") ?? {};
}

/** Java's Map.toString(), as coral renders a map value in a constraint text. */
function javaMap(map: Record<string, string>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}}`;
}

/**
 * The model constraint texts of the configuration members present (in the model's member order), plus
 * `required` members that are missing. Callers add FunctionName's own texts first.
 */
export function configConstraints(
  members: ConfigMembers,
  required: readonly ("Role" | "Code")[] = [],
): string[] {
  const out: string[] = [];
  const role = optionalString(members.Role, "Role");
  if (role === undefined && required.includes("Role")) {
    out.push(constraintText("role", undefined, "Member must not be null"));
  }
  if (role !== undefined && !ROLE.test(role)) {
    out.push(constraintText("role", role, `Member must satisfy regular expression pattern: ${ROLE_PATTERN}`));
  }
  const handler = optionalString(members.Handler, "Handler");
  if (handler !== undefined) {
    if (handler.length > HANDLER_LENGTH_MAX) {
      out.push(
        constraintText(
          "handler",
          handler,
          `Member must have length less than or equal to ${HANDLER_LENGTH_MAX}`,
        ),
      );
    }
    if (!HANDLER.test(handler)) {
      out.push(
        constraintText(
          "handler",
          handler,
          `Member must satisfy regular expression pattern: ${HANDLER_PATTERN}`,
        ),
      );
    }
  }
  const description = optionalString(members.Description, "Description");
  if (description !== undefined && description.length > DESCRIPTION_LENGTH_MAX) {
    out.push(
      constraintText(
        "description",
        description,
        `Member must have length less than or equal to ${DESCRIPTION_LENGTH_MAX}`,
      ),
    );
  }
  const timeout = optionalInteger(members.Timeout, "Timeout");
  if (timeout !== undefined && timeout < 1) {
    out.push(constraintText("timeout", String(timeout), "Member must have value greater than or equal to 1"));
  }
  if (timeout !== undefined && timeout > TIMEOUT_SECONDS_MAX) {
    out.push(
      constraintText(
        "timeout",
        String(timeout),
        `Member must have value less than or equal to ${TIMEOUT_SECONDS_MAX}`,
      ),
    );
  }
  const memory = optionalInteger(members.MemorySize, "MemorySize");
  if (memory !== undefined && memory < MEMORY_MB_MIN) {
    out.push(
      constraintText(
        "memorySize",
        String(memory),
        `Member must have value greater than or equal to ${MEMORY_MB_MIN}`,
      ),
    );
  }
  if (memory !== undefined && memory > MEMORY_MB_MAX) {
    out.push(
      constraintText(
        "memorySize",
        String(memory),
        `Member must have value less than or equal to ${MEMORY_MB_MAX}`,
      ),
    );
  }
  const variables = environmentVariables(members.Environment);
  if (variables !== undefined && Object.keys(variables).some((key) => !ENV_NAME.test(key))) {
    out.push(
      constraintText(
        "environment.variables",
        javaMap(variables),
        `Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENV_NAME_PATTERN}]`,
      ),
    );
  }
  const architectures = optionalStringList(members.Architectures, "Architectures");
  if (architectures !== undefined) {
    const rendered = `[${architectures.join(", ")}]`;
    if (architectures.length > 1) {
      out.push(constraintText("architectures", rendered, "Member must have length less than or equal to 1"));
    }
    if (architectures.length < 1) {
      out.push(
        constraintText("architectures", rendered, "Member must have length greater than or equal to 1"),
      );
    }
    if (architectures.some((a) => !ARCHITECTURES.includes(a))) {
      out.push(
        constraintText(
          "architectures",
          rendered,
          `Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(", ")}]]`,
        ),
      );
    }
  }
  return out;
}

export function throwIfAny(messages: readonly string[]): void {
  if (messages.length > 0) throw validationErrors(messages.slice(0, 10));
}

/** Lambda's own runtime checks (after the model's): unknown, then blocked runtimes. */
export function checkRuntime(runtime: string): void {
  if (!MODEL_RUNTIMES.includes(runtime)) throw invalidRuntime(runtime, MODEL_RUNTIMES);
  const suggestion = BLOCKED_RUNTIMES[runtime];
  if (suggestion !== undefined) throw runtimeNotSupported(runtime, suggestion);
}

/** Lambda's own environment checks: reserved names, then the 4 KB quota. */
export function checkEnvironment(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((key) => RESERVED_ENV.has(key));
  if (reserved.length > 0) throw reservedEnvironmentKeys(reserved);
  if (Buffer.byteLength(JSON.stringify(variables)) > ENVIRONMENT_BYTES_MAX) throw environmentTooLarge();
}
