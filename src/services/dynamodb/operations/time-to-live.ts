/**
 * UpdateTimeToLive and DescribeTimeToLive: the TTL setting of a table. The status is ENABLED or DISABLED
 * at once (DynamoDB shows the settled status within about 2 s; ENABLING/DISABLING were never observed at
 * 1 s polling). DynamoDB refuses a second change within about 30 minutes ("Time to live has been
 * modified multiple times within a fixed interval"); Stratus does not, so tests can toggle TTL freely.
 *
 * Expiry itself (deleting expired items with a service-identity stream record) is the TTL sweeper's
 * job (../ttl.ts), which reads this setting on every pass.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { tableNotFound, ttlAlreadyDisabled, ttlAlreadyEnabled, ttlOtherAttribute } from "../errors.ts";
import type { DynamoDbStore } from "../store.ts";
import { bool, type Json, obj, resolveTableName, str } from "../tables/input.ts";

export function describeTimeToLive(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "DescribeTimeToLive", input);
    const name = resolveTableName(input.TableName, context);
    const table = await store.tables.get(store.storage, context.accountId, context.region, name);
    if (!table) throw tableNotFound(name);
    const ttl = table.record.ttl;
    return {
      TimeToLiveDescription: ttl
        ? { TimeToLiveStatus: "ENABLED", AttributeName: ttl.attributeName }
        : { TimeToLiveStatus: "DISABLED" },
    };
  };
}

export function updateTimeToLive(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "UpdateTimeToLive", input);
    const name = resolveTableName(input.TableName, context);
    const specification = obj(input.TimeToLiveSpecification) ?? {};
    const enabled = bool(specification.Enabled) ?? false;
    const attributeName = str(specification.AttributeName) ?? "";
    await store.storage.transaction(async (tx) => {
      const table = await store.tables.get(tx, context.accountId, context.region, name);
      if (!table) throw tableNotFound(name);
      const current = table.record.ttl;
      if (current && current.attributeName !== attributeName) throw ttlOtherAttribute(current.attributeName);
      if (current && enabled) throw ttlAlreadyEnabled();
      if (!current && !enabled) throw ttlAlreadyDisabled();
      const { ttl: _previous, ...rest } = table.record;
      store.tables.put(tx, enabled ? { ...rest, ttl: { attributeName } } : rest);
    });
    return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attributeName } };
  };
}
