/**
 * The floor of the dynamodb benchmark: the least any DynamoDB server built on node:http must do for
 * the benchmark's requests, and nothing more. It reads the body, parses the JSON, and answers from a
 * Map: GetItem looks the key up, PutItem stores the item, Query returns the partition's items in sort
 * key order. It checks no signature, validates nothing, computes no checksum header and keeps nothing
 * on disk. Its requests per second are the machine's ceiling for this workload and load generator: no
 * server that does DynamoDB's work can pass it here.
 *
 * It answers just enough of CreateTable and DescribeTable for the benchmark's setup (bench/dynamodb-
 * client.ts) to pass, and the workloads' checks pass against it as they do against a real server.
 *
 * Prints `  Endpoint:    http://127.0.0.1:<port>` once listening (the line Stratus prints); SIGTERM or
 * SIGINT stops it with exit code 0.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

type AttributeValue = Readonly<Record<string, unknown>>;
type Item = Readonly<Record<string, AttributeValue>>;

interface Request {
  Key?: Item;
  Item?: Item;
  ExpressionAttributeValues?: Readonly<Record<string, AttributeValue>>;
}

/** Items by partition key, each partition's items by sort key. */
const partitions = new Map<string, Map<string, Item>>();

function stringOf(value: AttributeValue | undefined): string {
  return String(value?.S ?? value?.N ?? "");
}

function partitionOf(pk: string): Map<string, Item> {
  let partition = partitions.get(pk);
  if (!partition) {
    partition = new Map();
    partitions.set(pk, partition);
  }
  return partition;
}

function answer(operation: string, input: Request): unknown {
  switch (operation) {
    case "GetItem": {
      const item = partitions.get(stringOf(input.Key?.pk))?.get(stringOf(input.Key?.sk));
      return item ? { Item: item } : {};
    }
    case "PutItem":
      if (input.Item) partitionOf(stringOf(input.Item.pk)).set(stringOf(input.Item.sk), input.Item);
      return {};
    case "Query": {
      const partition = partitions.get(stringOf(input.ExpressionAttributeValues?.[":pk"]));
      const items = [...(partition?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, i]) => i);
      return { Items: items, Count: items.length, ScannedCount: items.length };
    }
    case "CreateTable":
    case "DescribeTable":
      return { Table: { TableStatus: "ACTIVE" }, TableDescription: { TableStatus: "ACTIVE" } };
    default:
      return {};
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.slice(target.indexOf(".") + 1);
    let body: string;
    try {
      body = JSON.stringify(answer(operation, JSON.parse(Buffer.concat(chunks).toString("utf8")) as Request));
    } catch {
      res.writeHead(400, { "Content-Type": "application/x-amz-json-1.0" });
      res.end('{"__type":"com.amazon.coral.service#SerializationException"}');
      return;
    }
    res.writeHead(200, {
      "Content-Type": "application/x-amz-json-1.0",
      "Content-Length": String(Buffer.byteLength(body)),
    });
    res.end(body);
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`dynamodb-floor is running.\n  Endpoint:    http://127.0.0.1:${port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
