/**
 * Adapts a typed awsQuery operation — `(input, context) => output` — to the edge's handler shape.
 * (Stub: the body is being written; the signature is fixed.)
 *
 * Input: the form parameters (`Action=CreateStack&StackName=s&Parameters.member.1.ParameterKey=K...`)
 * decoded into the operation's input structure by the AWS model: structures by member name, lists
 * as `Name.member.N`, maps as `Name.entry.N.key`/`.value`, scalars converted to the member's type.
 * Output: the returned object written as the inside of `<{Operation}Result>`: fields in object order,
 * arrays as `<member>` elements, Dates as ISO 8601, booleans as true/false, undefined/null left out;
 * `undefined` output gives an empty result element.
 */
import type { OperationHandler } from "../../services/service.ts";
import type { RequestContext } from "../context.ts";
import type { ServiceModel } from "../models/index.ts";

export type QueryOperation<Input, Output> = (input: Input, context: RequestContext) => Promise<Output> | Output;

export function queryHandler<Input, Output extends object | undefined>(
  _model: ServiceModel,
  _operation: string,
  _xmlNamespace: string | undefined,
  _run: QueryOperation<Input, Output>,
): OperationHandler {
  throw new Error("queryHandler: not implemented yet");
}
