/**
 * SAM's error messages, word for word. The translator collects its errors into one
 * "Invalid Serverless Application Specification document" and CloudFormation prefixes the transform's
 * name; we stop at the first error, so the count is always 1. Thrown as TemplateError so the stack
 * operation answers ValidationError like AWS.
 */
import { TemplateError } from "../template/types.ts";

const PREFIX =
  "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1.";

/** "Resource with id [X] is invalid. <reason>" — SAM's InvalidResourceException. */
export function invalidResource(logicalId: string, reason: string): TemplateError {
  return new TemplateError(`${PREFIX} Resource with id [${logicalId}] is invalid. ${reason}`);
}

/** SAM's InvalidEventException inside a function: "... Event with id [E] is invalid. <reason>". */
export function invalidEvent(functionId: string, eventId: string, reason: string): TemplateError {
  return invalidResource(functionId, `Event with id [${eventId}] is invalid. ${reason}`);
}

/** "'Globals' section is invalid. <reason>" — SAM's InvalidGlobalsSectionException. */
export function invalidGlobals(reason: string): TemplateError {
  return new TemplateError(`${PREFIX} 'Globals' section is invalid. ${reason}`);
}

/** A template-structure error (SAM's InvalidTemplateException). */
export function invalidTemplate(reason: string): TemplateError {
  return new TemplateError(`${PREFIX} Structure of the SAM template is invalid. ${reason}`);
}
