/**
 * Adapts a typed restJson1 operation — `(input, context) => {status, body}` — to the edge's handler
 * shape. The input is assembled as the AWS model binds it: members located in the URI from the routed
 * path labels, `querystring` members from the query (converted to the member's scalar type), `header`
 * members from the headers, and every other member from the JSON body. Used by Lambda; meant for the
 * API Gateway control planes too.
 */
import type { OperationHandler, ServiceRequest } from "../../services/service.ts";
import type { RequestContext } from "../context.ts";
import { AwsError } from "../errors.ts";
import type { ServiceModel, Shape } from "../models/index.ts";
import { parseJsonBody } from "./json-operation.ts";

export interface RestJsonResult<Output = unknown> {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A JSON-able value; undefined for an empty body. */
  body?: Output;
}

/** `request` is there for what no input member carries (the Host a URL in the answer must name). */
export type RestJsonOperation<Input, Output = unknown> = (
  input: Input,
  context: RequestContext,
  request: ServiceRequest,
) => Promise<RestJsonResult<Output>> | RestJsonResult<Output>;

/** A query or header value that does not convert to its member's type. */
function badValue(value: string, member: string): AwsError {
  return new AwsError("SerializationException", `Cannot convert '${value}' for '${member}'`, 400);
}

function convert(shape: Shape | undefined, member: string, values: readonly string[]): unknown {
  const first = values[0] ?? "";
  switch (shape?.type) {
    case "integer":
    case "long": {
      if (!/^-?[0-9]+$/.test(first)) throw badValue(first, member);
      return Number(first);
    }
    case "float":
    case "double": {
      const n = Number(first);
      if (first === "" || Number.isNaN(n)) throw badValue(first, member);
      return n;
    }
    case "boolean":
      if (first !== "true" && first !== "false") throw badValue(first, member);
      return first === "true";
    case "list":
      return [...values];
    default:
      return first;
  }
}

/** The operation's input as the model binds it (members absent from the request are left out). */
export function restJsonInput(
  model: ServiceModel,
  operation: string,
  request: ServiceRequest,
): Record<string, unknown> {
  const shapeName = model.operations[operation]?.input;
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  const members = shape?.type === "structure" ? shape.members : {};
  const hasBodyMembers = Object.values(members).some((m) => m.location === undefined);
  const body = request.body;
  if (!Buffer.isBuffer(body)) throw new Error("restJson operations take buffered bodies");
  const input: Record<string, unknown> = hasBodyMembers ? parseJsonBody(body) : {};
  for (const [name, member] of Object.entries(members)) {
    const key = member.locationName ?? name;
    switch (member.location) {
      case "uri": {
        const value = request.pathParams[key];
        if (value !== undefined) input[name] = value;
        break;
      }
      case "querystring": {
        const values = request.query.get(key);
        if (values !== undefined) input[name] = convert(model.shapes[member.shape], key, values);
        break;
      }
      case "header": {
        const value = request.headers[key.toLowerCase()];
        if (value !== undefined) {
          input[name] = convert(model.shapes[member.shape], key, Array.isArray(value) ? value : [value]);
        }
        break;
      }
      default:
        break;
    }
  }
  return input;
}

export function restJsonHandler<Input, Output>(
  model: ServiceModel,
  operation: string,
  run: RestJsonOperation<Input, Output>,
): OperationHandler {
  return async (request) => {
    const input = restJsonInput(model, operation, request) as Input;
    const result = await run(input, request.context, request);
    return { status: result.status ?? 200, headers: result.headers, body: result.body };
  };
}
