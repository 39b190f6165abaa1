/**
 * DescribeLimits and DescribeEndpoints: fixed answers. The limits are DynamoDB's default quotas for a
 * Region (DynamoDB developer guide, "Service, account, and table quotas": 80,000 read and write capacity
 * units per account, 40,000 per table). DescribeEndpoints names the address the client reached, so that
 * a client following it (endpoint discovery) comes back to this Stratus; DynamoDB caches it a day.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { parseJsonBody } from "../../../aws/protocols/json-operation.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import type { OperationHandler } from "../../service.ts";
import type { Json } from "../tables/input.ts";

const ACCOUNT_CAPACITY_UNITS_MAX = 80_000;
const TABLE_CAPACITY_UNITS_MAX = 40_000;
const ENDPOINT_CACHE_MINUTES = 1440;

export function describeLimits() {
  return (input: Json, _context: RequestContext) => {
    validateInput("dynamodb", "DescribeLimits", input);
    return {
      AccountMaxReadCapacityUnits: ACCOUNT_CAPACITY_UNITS_MAX,
      AccountMaxWriteCapacityUnits: ACCOUNT_CAPACITY_UNITS_MAX,
      TableMaxReadCapacityUnits: TABLE_CAPACITY_UNITS_MAX,
      TableMaxWriteCapacityUnits: TABLE_CAPACITY_UNITS_MAX,
    };
  };
}

/** A raw handler, not `jsonHandler`: the answer depends on the Host header. */
export const describeEndpoints: OperationHandler = async (request) => {
  const input = Buffer.isBuffer(request.body) ? parseJsonBody(request.body) : {};
  validateInput("dynamodb", "DescribeEndpoints", input);
  const host = request.headers.host ?? `dynamodb.${request.context.region}.amazonaws.com`;
  return { body: { Endpoints: [{ Address: host, CachePeriodInMinutes: ENDPOINT_CACHE_MINUTES }] } };
};
