/**
 * DynamoDB (awsJson1_0, X-Amz-Target DynamoDB_20120810.*): the operations Stratus implements, over one
 * DynamoDbStore (store.ts). Each operation is in operations/; every other operation of the model answers
 * AWS's "unknown operation" error with Stratus's not-implemented message.
 *
 * ## Gaps
 * - Each operation family lists its own gaps at the top of its folder's index.ts; docs/dynamodb.md
 *   has the whole table.
 * - Tables are ACTIVE (and UPDATING ends) at once by default: see store.ts for why.
 * - DeleteTable removes the table at once (no DELETING phase visible to DescribeTable).
 * - TTL expiry sweeps every item of each TTL table once a second (ttl.ts): fine for development data.
 * - No quotas on table count or account throughput; NumberOfDecreasesToday never resets.
 * - Global tables, backups, PITR, imports/exports, resource policies, Kinesis destinations,
 *   contributor insights, warm throughput: not implemented.
 *
 * ## By design
 * - UpdateTimeToLive may change the setting again at once (DynamoDB refuses for about 30 minutes).
 * - DescribeEndpoints names the address the client used, so endpoint discovery stays on Stratus.
 */
import { jsonHandler } from "../../aws/protocols/json-operation.ts";
import type { OperationHandler, ServiceDeps } from "../service.ts";
import { batchOperations } from "./operations/batch/index.ts";
import { createTable } from "./operations/create-table.ts";
import { deleteTable } from "./operations/delete-table.ts";
import { describeTableOperation, listTables } from "./operations/describe-table.ts";
import { itemsOperations } from "./operations/items/index.ts";
import { describeEndpoints, describeLimits } from "./operations/limits-endpoints.ts";
import { partiqlOperations } from "./operations/partiql/index.ts";
import { readsOperations } from "./operations/reads/index.ts";
import { listTagsOfResource, tagResource, untagResource } from "./operations/tags.ts";
import { describeTimeToLive, updateTimeToLive } from "./operations/time-to-live.ts";
import { updateTable } from "./operations/update-table.ts";
import { DynamoDbStore, type DynamoDbStoreOptions } from "./store.ts";

export interface DynamoDbService {
  store: DynamoDbStore;
  operations: Record<string, OperationHandler>;
}

export function createDynamoDbService(
  deps: ServiceDeps,
  options: DynamoDbStoreOptions = {},
): DynamoDbService {
  const store = new DynamoDbStore(deps, options);
  store.start();
  deps.onClose(() => store.stop());
  return {
    store,
    operations: {
      CreateTable: jsonHandler(createTable(store)),
      DescribeTable: jsonHandler(describeTableOperation(store)),
      ListTables: jsonHandler(listTables(store)),
      UpdateTable: jsonHandler(updateTable(store)),
      DeleteTable: jsonHandler(deleteTable(store)),
      DescribeLimits: jsonHandler(describeLimits()),
      DescribeEndpoints: describeEndpoints,
      TagResource: jsonHandler(tagResource(store)),
      UntagResource: jsonHandler(untagResource(store)),
      ListTagsOfResource: jsonHandler(listTagsOfResource(store)),
      UpdateTimeToLive: jsonHandler(updateTimeToLive(store)),
      DescribeTimeToLive: jsonHandler(describeTimeToLive(store)),
      // Each family registers its own operations in its folder's index.ts.
      ...itemsOperations(store),
      ...readsOperations(store),
      ...batchOperations(store),
      ...partiqlOperations(store),
    },
  };
}
