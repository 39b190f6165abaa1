/**
 * Each error family of the control plane, with Lambda's codes, statuses and texts.
 */
import { describe, it } from "node:test";
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { MODEL_RUNTIMES } from "../../../src/services/lambda/control/validate.ts";
import { useStratus } from "../../support/stratus.ts";
import { nodeZip, ROLE, rejects, uniqueName } from "./helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
const ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";

function fn(name: string, extra: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return {
    FunctionName: name,
    Runtime: "nodejs20.x",
    Role: ROLE,
    Handler: "index.handler",
    Code: { ZipFile: nodeZip() },
    ...extra,
  };
}

describe("Lambda control-plane errors", () => {
  const stratus = useStratus({ inMemory: true });

  it("ResourceNotFoundException names the function's ARN (qualified when a qualifier was given)", async () => {
    const lambda = stratus.lambda();
    const message = `Function not found: ${ARN_PREFIX}missing`;
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: "missing" })),
      "ResourceNotFoundException",
      message,
      404,
    );
    await rejects(
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${ARN_PREFIX}missing` })),
      "ResourceNotFoundException",
      message,
      404,
    );
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: "missing", Qualifier: "3" })),
      "ResourceNotFoundException",
      `${message}:3`,
      404,
    );
    await rejects(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "missing", Timeout: 5 })),
      "ResourceNotFoundException",
      message,
      404,
    );
    await rejects(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "missing", ZipFile: nodeZip() })),
      "ResourceNotFoundException",
      message,
      404,
    );
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: "missing" })),
      "ResourceNotFoundException",
      message,
      404,
    );
  });

  it("an ARN of another region is not reachable", async () => {
    await rejects(
      stratus.lambda().send(
        new GetFunctionCommand({
          FunctionName: "arn:aws:lambda:eu-west-1:000000000000:function:somewhere",
        }),
      ),
      "ResourceNotFoundException",
      "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
      404,
    );
  });

  it("ResourceConflictException for a name in use", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(new CreateFunctionCommand(fn(name)));
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(name))),
      "ResourceConflictException",
      `Function already exist: ${name}`,
      409,
    );
  });

  it("ValidationException for model constraints: name, role, timeout, memory, handler, description", async () => {
    const lambda = stratus.lambda();
    await rejects(
      lambda.send(new CreateFunctionCommand(fn("bad name"))),
      "ValidationException",
      "1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Role: "not-a-role" }))),
      "ValidationException",
      `1 validation error detected: Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ROLE_PATTERN}`,
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Timeout: 901 }))),
      "ValidationException",
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Timeout: 0 }))),
      "ValidationException",
      "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { MemorySize: 10241 }))),
      "ValidationException",
      "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { MemorySize: 64, Timeout: 1000 }))),
      "ValidationException",
      "2 validation errors detected: Value '1000' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Handler: "has space" }))),
      "ValidationException",
      "1 validation error detected: Value 'has space' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+",
      400,
    );
    const long = "d".repeat(257);
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Description: long }))),
      "ValidationException",
      `1 validation error detected: Value '${long}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
      400,
    );
    await rejects(
      lambda.send(new ListFunctionsCommand({ MaxItems: 10001 })),
      "ValidationException",
      "1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000",
      400,
    );
  });

  it("the same constraints on UpdateFunctionConfiguration", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(new CreateFunctionCommand(fn(name)));
    await rejects(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 901 })),
      "ValidationException",
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      400,
    );
    await rejects(
      lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, Runtime: "cobol1.0" as never }),
      ),
      "InvalidParameterValueException",
      /* the enum listing is checked by the next test */ runtimeMessage("cobol1.0"),
      400,
    );
  });

  it("InvalidParameterValueException for runtime, handler, code and environment", async () => {
    const lambda = stratus.lambda();
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Runtime: "cobol1.0" as never }))),
      "InvalidParameterValueException",
      runtimeMessage("cobol1.0"),
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Runtime: "python3.6" }))),
      "InvalidParameterValueException",
      "The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (python3.13) while creating or updating functions.",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Handler: undefined }))),
      "InvalidParameterValueException",
      "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Code: {} }))),
      "InvalidParameterValueException",
      "Please provide a source for function code.",
      400,
    );
    await rejects(
      lambda.send(
        new CreateFunctionCommand(fn(uniqueName(), { Environment: { Variables: { AWS_REGION: "x" } } })),
      ),
      "InvalidParameterValueException",
      "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION",
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand(fn(uniqueName(), { Environment: { Variables: { A: "x" } } }))),
      "ValidationException",
      "1 validation error detected: Value '{A=x}' at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
      400,
    );
  });

  it("a qualifier in the ARN must agree with the Qualifier parameter; $LATEST cannot be deleted alone", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(new CreateFunctionCommand(fn(name)));
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: `${name}:1`, Qualifier: "2" })),
      "InvalidParameterValueException",
      "The derived qualifier from the function name does not match the specified qualifier.",
      400,
    );
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "$LATEST" })),
      "InvalidParameterValueException",
      "$LATEST version cannot be deleted without deleting the function.",
      400,
    );
  });
});

/** Lambda's runtime enum error, listing the model's runtimes. */
/** Synchronous, so that a test never awaits it while an SDK call's rejection is still unhandled. */
function runtimeMessage(runtime: string): string {
  return `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${MODEL_RUNTIMES.join(", ")}] or be a valid ARN`;
}
