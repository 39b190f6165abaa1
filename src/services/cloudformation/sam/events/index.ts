/**
 * Dispatches a function's Events to the event sources Stratus supports (Api, HttpApi, DynamoDB, S3).
 * Any other SAM event type is refused with an honest message in SAM's error format; a type SAM itself
 * does not know gets SAM's own message.
 */
import { invalidEvent } from "../errors.ts";
import type { Expansion } from "../expansion.ts";
import { isObject, type JsonObject } from "../json.ts";
import { checkProperties } from "../schema.ts";
import { expandApiEvent } from "./api.ts";
import { expandDynamoDbEvent } from "./dynamodb.ts";
import { expandHttpApiEvent } from "./http-api.ts";
import { expandS3Event } from "./s3.ts";
import type { FunctionTarget } from "./target.ts";

const SAM_EVENT_TYPES = new Set([
  "S3",
  "SNS",
  "Kinesis",
  "MSK",
  "MQ",
  "SelfManagedKafka",
  "SQS",
  "DynamoDB",
  "DocumentDB",
  "Api",
  "Schedule",
  "ScheduleV2",
  "CloudWatchEvent",
  "EventBridgeRule",
  "CloudWatchLogs",
  "IoTRule",
  "AlexaSkill",
  "Cognito",
  "HttpApi",
]);

type EventExpander = (
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  properties: JsonObject,
) => void;

const EXPANDERS: Record<string, EventExpander> = {
  Api: expandApiEvent,
  HttpApi: expandHttpApiEvent,
  DynamoDB: expandDynamoDbEvent,
  S3: expandS3Event,
};

/** Checks every event's type first, so an unsupported one fails before anything is generated. */
export function validateEvents(functionId: string, events: unknown): [string, string, JsonObject][] {
  if (events === undefined) return [];
  if (!isObject(events)) throw invalidEvent(functionId, "Events", "Property 'Events' should be a map.");
  const checked: [string, string, JsonObject][] = [];
  for (const [eventId, event] of Object.entries(events)) {
    const type = isObject(event) ? event.Type : undefined;
    if (typeof type !== "string" || !SAM_EVENT_TYPES.has(type)) {
      throw invalidEvent(
        functionId,
        eventId,
        `Resource dict has missing or invalid value for key Type. Event Type is: ${String(type)}.`,
      );
    }
    if (EXPANDERS[type] === undefined) {
      throw invalidEvent(
        functionId,
        eventId,
        `Stratus does not support event type '${type}' yet (supported: Api, HttpApi, DynamoDB, S3).`,
      );
    }
    const properties = isObject(event) && event.Properties !== undefined ? event.Properties : {};
    if (!isObject(properties))
      throw invalidEvent(functionId, eventId, "Properties of a resource must be an object.");
    checkProperties(`${functionId}${eventId}`, type, properties);
    checked.push([eventId, type, properties]);
  }
  return checked;
}

export function expandEvent(
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  type: string,
  properties: JsonObject,
): void {
  const expander = EXPANDERS[type];
  if (expander !== undefined) expander(expansion, target, eventId, properties);
}
