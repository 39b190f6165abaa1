/**
 * API Gateway (REST APIs) control-plane errors, word for word. Sources: LocalStack's parity snapshots
 * recorded against AWS (tests/aws/services/apigateway/test_apigateway_api.snapshot.json, 2024–2026)
 * unless a line says otherwise. API Gateway writes `{"message": ...}` with the code in
 * x-amzn-ErrorType; ValidationException and SerializationException come from its coral front end.
 */
import { AwsError } from "../../../aws/errors.ts";

export const badRequest = (message: string) => new AwsError("BadRequestException", message, 400);
export const notFound = (message: string) => new AwsError("NotFoundException", message, 404);
export const conflict = (message: string) => new AwsError("ConflictException", message, 409);

export const apiNotFound = (accountId: string, apiId: string) =>
  notFound(`Invalid API identifier specified ${accountId}:${apiId}`);
export const resourceNotFound = () => notFound("Invalid Resource identifier specified");
export const methodNotFound = () => notFound("Invalid Method identifier specified");
export const integrationNotFound = () => notFound("Invalid Integration identifier specified");
export const responseNotFound = () => notFound("Invalid Response status code specified");
export const authorizerNotFound = () => notFound("Invalid Authorizer identifier specified");
export const validatorNotFound = () => notFound("Invalid Request Validator identifier specified");
export const modelNotFound = (name: string) => notFound(`Invalid model name specified: ${name}`);
/** moto and cloudemu agree on these two texts (no AWS recording found). */
export const stageNotFound = () => notFound("Invalid Stage identifier specified");
export const deploymentNotFound = () => notFound("Invalid Deployment identifier specified");
export const apiKeyNotFound = () => notFound("Invalid API Key identifier specified");
export const usagePlanNotFound = () => notFound("Invalid Usage Plan ID specified");
export const gatewayResponseNotSet = () => notFound("Gateway response type not defined on api");
export const parameterNotFound = () => notFound("Invalid parameter name specified");
export const contentTypeNotFound = () => notFound("Content-Type specified was not found");

/** Coral's constraint message: "1 validation error detected: ..." / "N validation errors detected: ...". */
export function validationErrors(messages: string[]): AwsError {
  const count = messages.length;
  const head = `${count} validation error${count === 1 ? "" : "s"} detected: `;
  return new AwsError("ValidationException", head + messages.join("; "), 400);
}

export function enumViolation(value: string, at: string, allowed: readonly string[]): string {
  return `Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`;
}

/** The statusCode path label's constraint, "[1-5]\d\d", as a coral violation (or none). */
export function statusCodeViolations(statusCode: string): string[] {
  if (/^[1-5]\d\d$/.test(statusCode)) return [];
  return [
    `Value '${statusCode}' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`,
  ];
}

export function checkStatusCode(statusCode: string): void {
  const messages = statusCodeViolations(statusCode);
  if (messages.length > 0) throw validationErrors(messages);
}

/**
 * What a JSON member of the wrong type gets from coral: recorded for a boolean and a number where a
 * string belongs; the other classes follow the same pattern (unrecorded).
 */
export function serializationError(value: unknown): AwsError {
  const javaClass =
    typeof value === "boolean"
      ? "java.lang.Boolean"
      : typeof value === "number"
        ? "com.amazon.coral.value.json.numbers.TruncatingBigNumber"
        : typeof value === "string"
          ? "java.lang.String"
          : "java.lang.Object";
  return new AwsError("SerializationException", `class ${javaClass} can not be converted to an String`, 400);
}
