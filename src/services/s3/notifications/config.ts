/**
 * Bucket notification configurations (PutBucketNotificationConfiguration's document): parsing,
 * S3's validation, and the XML GetBucketNotificationConfiguration answers.
 *
 * Validation texts: S3's as recorded in moto's and LocalStack's notification tests.
 *
 * Wire names (botocore's S3 model): `<CloudFunctionConfiguration>` entries (flattened) with `<Id>`,
 * `<CloudFunction>` (the function ARN), `<Event>` (flattened) and `<Filter><S3Key><FilterRule>`.
 * Only Lambda destinations are emulated: Stratus has no SQS, SNS or EventBridge, so a configuration
 * naming them is refused with NotImplemented rather than stored and never delivered.
 */
import { randomUUID } from "node:crypto";
import { AwsError } from "../../../aws/errors.ts";
import { malformedXml } from "../errors.ts";
import { child, el, parseXml, type XmlElement } from "../xml.ts";

export interface FunctionConfiguration {
  id: string;
  functionArn: string;
  /** As given: `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`... */
  events: string[];
  prefix?: string;
  suffix?: string;
}

export interface NotificationConfig {
  v: number;
  functions: FunctionConfiguration[];
}

/** The event types of botocore's S3 model (`Event` enum). */
const EVENT_TYPES = new Set([
  "s3:ReducedRedundancyLostObject",
  "s3:ObjectCreated:*",
  "s3:ObjectCreated:Put",
  "s3:ObjectCreated:Post",
  "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload",
  "s3:ObjectRemoved:*",
  "s3:ObjectRemoved:Delete",
  "s3:ObjectRemoved:DeleteMarkerCreated",
  "s3:ObjectRestore:*",
  "s3:ObjectRestore:Post",
  "s3:ObjectRestore:Completed",
  "s3:ObjectRestore:Delete",
  "s3:Replication:*",
  "s3:Replication:OperationFailedReplication",
  "s3:Replication:OperationNotTracked",
  "s3:Replication:OperationMissedThreshold",
  "s3:Replication:OperationReplicatedAfterThreshold",
  "s3:LifecycleTransition",
  "s3:IntelligentTiering",
  "s3:ObjectAcl:Put",
  "s3:LifecycleExpiration:*",
  "s3:LifecycleExpiration:Delete",
  "s3:LifecycleExpiration:DeleteMarkerCreated",
  "s3:ObjectTagging:*",
  "s3:ObjectTagging:Put",
  "s3:ObjectTagging:Delete",
]);

function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError("InvalidArgument", message, 400, {
    fields: { ArgumentName: name, ArgumentValue: value },
  });
}

/** Parses and checks the document (everything but whether the functions exist: see notifier.ts). */
export function parseNotificationConfig(body: string): NotificationConfig {
  const root = parseXml(body.trim() === "" ? "<NotificationConfiguration/>" : body.trim());
  if (root.name !== "NotificationConfiguration") throw malformedXml();
  const functions: FunctionConfiguration[] = [];
  for (const entry of root.children) {
    if (entry.name === "CloudFunctionConfiguration") functions.push(functionConfig(entry));
    else if (
      entry.name === "QueueConfiguration" ||
      entry.name === "TopicConfiguration" ||
      entry.name === "EventBridgeConfiguration"
    ) {
      throw new AwsError(
        "NotImplemented",
        `Stratus does not emulate ${entry.name === "QueueConfiguration" ? "SQS" : entry.name === "TopicConfiguration" ? "SNS" : "EventBridge"} notification destinations; only LambdaFunctionConfigurations are delivered.`,
        501,
      );
    } else throw malformedXml();
  }
  checkOverlaps(functions);
  const ids = new Set<string>();
  for (const config of functions) {
    if (ids.has(config.id))
      throw invalidArgument("Same ID used for multiple configurations", "Id", config.id);
    ids.add(config.id);
  }
  return { v: 1, functions };
}

function functionConfig(entry: XmlElement): FunctionConfiguration {
  const arn = child(entry, "CloudFunction")?.text.trim();
  if (!arn) throw malformedXml();
  if (!arn.startsWith("arn:aws:lambda:"))
    throw invalidArgument("The ARN is not well formed", "LambdaFunctionArn", arn);
  const events = entry.children.filter((c) => c.name === "Event").map((c) => c.text.trim());
  if (events.length === 0) throw malformedXml();
  for (const event of events) {
    if (!EVENT_TYPES.has(event))
      throw invalidArgument("The event is not supported for notifications", event, event);
  }
  const config: FunctionConfiguration = {
    // S3 assigns an id when none is given (NotificationConfiguration API reference).
    id: child(entry, "Id")?.text || randomUUID(),
    functionArn: arn,
    events: [...new Set(events)],
  };
  const filter = child(entry, "Filter");
  const key = filter && child(filter, "S3Key");
  for (const rule of key?.children.filter((c) => c.name === "FilterRule") ?? []) {
    const name = child(rule, "Name")?.text.trim().toLowerCase();
    const value = child(rule, "Value")?.text ?? "";
    if (name !== "prefix" && name !== "suffix")
      throw invalidArgument(
        "filter rule name must be either prefix or suffix",
        "FilterRule.Name",
        name ?? "",
      );
    if (value === "") throw invalidArgument("filter value cannot be empty", name, value);
    if (config[name] !== undefined)
      throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, "FilterRule", name);
    config[name] = value;
  }
  return config;
}

/** `s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`; two types overlap when one covers the other. */
function eventsOverlap(a: string, b: string): boolean {
  return a === b || covers(a, b) || covers(b, a);
}

function covers(pattern: string, event: string): boolean {
  return pattern.endsWith(":*") && event.startsWith(pattern.slice(0, -1));
}

/**
 * S3 refuses two configurations for overlapping event types whose prefixes overlap (one starts the
 * other) and whose suffixes overlap (one ends the other): an event could match both (user guide,
 * "Configuring event notifications using object key name filtering").
 */
function checkOverlaps(configs: FunctionConfiguration[]): void {
  for (let i = 0; i < configs.length; i++) {
    for (let j = i + 1; j < configs.length; j++) {
      const a = configs[i] as FunctionConfiguration;
      const b = configs[j] as FunctionConfiguration;
      const sameEvent = a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)));
      const pa = a.prefix ?? "";
      const pb = b.prefix ?? "";
      const sa = a.suffix ?? "";
      const sb = b.suffix ?? "";
      const prefixes = pa.startsWith(pb) || pb.startsWith(pa);
      const suffixes = sa.endsWith(sb) || sb.endsWith(sa);
      if (sameEvent && prefixes && suffixes) {
        throw new AwsError(
          "InvalidArgument",
          "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.",
          400,
          { fields: { ArgumentName: "Event", ArgumentValue: a.events[0] } },
        );
      }
    }
  }
}

export function notificationConfigXml(config: NotificationConfig | undefined): string {
  return (config?.functions ?? [])
    .map((f) => {
      const rules = [
        f.prefix !== undefined
          ? `<FilterRule>${el("Name", "Prefix")}${el("Value", f.prefix)}</FilterRule>`
          : "",
        f.suffix !== undefined
          ? `<FilterRule>${el("Name", "Suffix")}${el("Value", f.suffix)}</FilterRule>`
          : "",
      ].join("");
      const filter = rules === "" ? "" : `<Filter><S3Key>${rules}</S3Key></Filter>`;
      return `<CloudFunctionConfiguration>${el("Id", f.id)}${el("CloudFunction", f.functionArn)}${f.events.map((e) => el("Event", e)).join("")}${filter}</CloudFunctionConfiguration>`;
    })
    .join("");
}

/** Whether an event (`ObjectCreated:Put`) is one the configuration asked for, for this key. */
export function configMatches(config: FunctionConfiguration, eventName: string, key: string): boolean {
  const full = `s3:${eventName}`;
  if (!config.events.some((e) => e === full || covers(e, full))) return false;
  if (config.prefix !== undefined && !key.startsWith(config.prefix)) return false;
  if (config.suffix !== undefined && !key.endsWith(config.suffix)) return false;
  return true;
}
