// POST /items creates an item, GET /items/{id} reads one: an HTTP API (payload format 2.0) handler
// over the DynamoDB table named by TABLE_NAME. The AWS SDK v3 is provided by the runtime, as on AWS.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

const table = process.env.TABLE_NAME;
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  if (event.routeKey === "POST /items") return createItem(event);
  if (event.routeKey === "GET /items/{id}") return getItem(event.pathParameters.id);
  return reply(404, { message: `no route ${event.routeKey}` });
};

async function createItem(event) {
  let body;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString() : event.body;
    body = JSON.parse(text ?? "{}");
  } catch {
    return reply(400, { message: "the body must be JSON" });
  }
  if (typeof body.name !== "string" || body.name === "") {
    return reply(400, { message: 'give the item a "name"' });
  }
  const item = { id: randomUUID(), name: body.name, createdAt: new Date().toISOString(), createdBy: "node" };
  await documents.send(new PutCommand({ TableName: table, Item: item }));
  return reply(201, item);
}

async function getItem(id) {
  const { Item } = await documents.send(new GetCommand({ TableName: table, Key: { id } }));
  return Item ? reply(200, Item) : reply(404, { message: `no item ${id}` });
}

function reply(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
