/**
 * Function names as the API takes them: a name (`my-function`), a name with a qualifier
 * (`my-function:1`), a partial ARN (`123456789012:function:my-function`) or a full ARN
 * (`arn:aws:lambda:us-east-1:123456789012:function:my-function[:qualifier]`). The patterns are the
 * AWS model's (`FunctionName` for CreateFunction, `NamespacedFunctionName` elsewhere).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { constraintText, otherRegion, qualifierMismatch, validationErrors } from "../errors.ts";

/** The model's pattern for CreateFunction's FunctionName (no dots, no `.PUBLISHED`). */
export const FUNCTION_NAME_PATTERN =
  "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
/** The model's pattern for the FunctionName of every other operation. */
export const NAMESPACED_FUNCTION_NAME_PATTERN =
  "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
export const QUALIFIER_PATTERN = "(|[a-zA-Z0-9$_-]+)";

const PARSE =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_-]+))?$/;
const CREATE_NAME = new RegExp(`^${FUNCTION_NAME_PATTERN}$`);
const QUALIFIER = new RegExp(`^${QUALIFIER_PATTERN}$`);

export interface FunctionLocator {
  name: string;
  accountId: string;
  /** The qualifier named in the ARN or the Qualifier parameter (they must agree); undefined = $LATEST. */
  qualifier: string | undefined;
}

/** The model's checks of a FunctionName member, as constraint texts (empty when it passes). */
export function functionNameConstraints(value: string, forCreate: boolean): string[] {
  const messages: string[] = [];
  const lengthMax = forCreate ? 140 : 256;
  if (value.length > lengthMax) {
    messages.push(
      constraintText("functionName", value, `Member must have length less than or equal to ${lengthMax}`),
    );
  }
  if (value.length < 1) {
    messages.push(
      constraintText("functionName", value, "Member must have length greater than or equal to 1"),
    );
  }
  const matches = forCreate ? CREATE_NAME.test(value) : PARSE.test(value);
  if (!matches) {
    const pattern = forCreate ? FUNCTION_NAME_PATTERN : NAMESPACED_FUNCTION_NAME_PATTERN;
    messages.push(
      constraintText("functionName", value, `Member must satisfy regular expression pattern: ${pattern}`),
    );
  }
  return messages;
}

export function qualifierConstraints(value: string): string[] {
  const messages: string[] = [];
  if (value.length > 128) {
    messages.push(constraintText("qualifier", value, "Member must have length less than or equal to 128"));
  }
  if (value.length < 1) {
    messages.push(constraintText("qualifier", value, "Member must have length greater than or equal to 1"));
  }
  if (!QUALIFIER.test(value)) {
    messages.push(
      constraintText(
        "qualifier",
        value,
        `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`,
      ),
    );
  }
  return messages;
}

/**
 * Resolves a FunctionName (+ Qualifier) of any operation but CreateFunction: ValidationException for
 * a malformed one, ResourceNotFoundException for an ARN of another region, InvalidParameterValue when
 * the ARN's qualifier and the Qualifier parameter differ.
 */
export function locateFunction(
  context: RequestContext,
  functionName: string,
  qualifier?: string,
): FunctionLocator {
  const messages = functionNameConstraints(functionName, false);
  if (qualifier !== undefined) messages.push(...qualifierConstraints(qualifier));
  if (messages.length > 0) throw validationErrors(messages);
  const match = PARSE.exec(functionName);
  if (!match) throw validationErrors(functionNameConstraints(functionName, false));
  const [, region, accountId, name = "", arnQualifier] = match;
  if (arnQualifier !== undefined && qualifier !== undefined && arnQualifier !== qualifier) {
    throw qualifierMismatch();
  }
  if (region !== undefined && region !== context.region) throw otherRegion(region, context.region);
  return {
    name,
    accountId: accountId ?? context.accountId,
    qualifier: arnQualifier ?? qualifier,
  };
}

/** CreateFunction's name: validated against the stricter pattern; any ARN form is reduced to the name. */
export function createFunctionName(context: RequestContext, functionName: string): string {
  const messages = functionNameConstraints(functionName, true);
  if (messages.length > 0) throw validationErrors(messages);
  const located = locateFunction(context, functionName);
  return located.name;
}
