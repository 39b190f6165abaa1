/**
 * Destinations of asynchronous invocations: the checks PutFunctionEventInvokeConfig and
 * UpdateFunctionEventInvokeConfig make on DestinationConfig, and where a record goes.
 *
 * Lambda takes function ARNs, SQS queues, SNS topics, EventBridge buses and (on failure only) S3
 * buckets. Stratus delivers to functions (the record is the payload of an asynchronous invocation of
 * the destination, as on AWS) and to S3 buckets (an object, s3-destination.ts), and refuses the other
 * services with an InvalidParameterValueException that says Stratus does not run them, rather than
 * accept records it would drop. A bucket is not checked for existence when the config is stored (AWS
 * checks the function role's permissions, which Stratus does not enforce).
 *
 * Texts from LocalStack's snapshots recorded against Lambda: the pattern error (its pattern text,
 * which predates the model's `kafka://` alternative), "The destination ARN X is invalid.", "You can't
 * specify the function as a destination for itself.", "The provided destination config
 * DestinationConfig(onSuccess=…, onFailure=…) is invalid." (a service that takes no records).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { KvReader } from "../../../storage/kv.ts";
import {
  constraintText,
  destinationArnInvalid,
  destinationConfigInvalid,
  destinationIsItself,
  destinationServiceNotRun,
  serializationError,
  validationErrors,
} from "../errors.ts";
import { parseBucketArn } from "../s3-destination.ts";
import { LATEST, type LambdaStore } from "../store.ts";

/** The destination pattern as Lambda quotes it in its ValidationException. */
export const DESTINATION_PATTERN =
  "^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
const DESTINATION =
  /^(?:|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d)?:(\d{12})?:(.*))$/;
export const DESTINATION_LENGTH_MAX = 350;
const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** Services Lambda delivers records to that Stratus does not run (yet). */
const NOT_RUN: Readonly<Record<string, string>> = {
  sqs: "Amazon SQS",
  sns: "Amazon SNS",
  events: "Amazon EventBridge",
};

/** DestinationConfig as given: undefined = absent; each side undefined = absent, "" = no destination. */
export interface DestinationsInput {
  onSuccess?: string | undefined;
  onFailure?: string | undefined;
  /** Which sides the request named (UpdateFunctionEventInvokeConfig replaces only those). */
  hasOnSuccess: boolean;
  hasOnFailure: boolean;
}

/** Reads DestinationConfig's shape and checks each ARN against the model (ValidationException). */
export function readDestinations(value: unknown): DestinationsInput | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError("DestinationConfig");
  const config = value as Record<string, unknown>;
  const side = (name: "OnSuccess" | "OnFailure"): { present: boolean; arn?: string } => {
    const raw = config[name];
    if (raw === undefined || raw === null) return { present: false };
    if (typeof raw !== "object" || Array.isArray(raw)) throw serializationError(`DestinationConfig.${name}`);
    const destination = (raw as Record<string, unknown>).Destination;
    if (destination === undefined || destination === null) return { present: true };
    if (typeof destination !== "string") throw serializationError(`DestinationConfig.${name}.Destination`);
    return { present: true, arn: destination };
  };
  const success = side("OnSuccess");
  const failure = side("OnFailure");
  const messages: string[] = [];
  for (const [member, arn] of [
    ["destinationConfig.onSuccess.destination", success.arn],
    ["destinationConfig.onFailure.destination", failure.arn],
  ] as const) {
    if (arn === undefined) continue;
    if (arn.length > DESTINATION_LENGTH_MAX) {
      messages.push(
        constraintText(
          member,
          arn,
          `Member must have length less than or equal to ${DESTINATION_LENGTH_MAX}`,
        ),
      );
    }
    if (!DESTINATION.test(arn)) {
      messages.push(
        constraintText(member, arn, `Member must satisfy regular expression pattern: ${DESTINATION_PATTERN}`),
      );
    }
  }
  if (messages.length > 0) throw validationErrors(messages);
  return {
    ...(success.arn !== undefined && success.arn !== "" ? { onSuccess: success.arn } : {}),
    ...(failure.arn !== undefined && failure.arn !== "" ? { onFailure: failure.arn } : {}),
    hasOnSuccess: success.present,
    hasOnFailure: failure.present,
  };
}

/** A function a record is delivered to. */
export interface FunctionDestination {
  accountId: string;
  region: string;
  name: string;
  qualifier?: string;
}

export function parseFunctionDestination(arn: string): FunctionDestination | undefined {
  const match = FUNCTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, region = "", accountId = "", name = "", qualifier] = match;
  return { accountId, region, name, ...(qualifier !== undefined ? { qualifier } : {}) };
}

/**
 * Lambda's checks of the destinations a config is about to store, for the function `functionName`:
 * a function destination must exist (with its qualifier) and not be the function itself; other
 * services are refused as described above.
 */
export async function checkDestinations(
  store: LambdaStore,
  reader: KvReader,
  context: RequestContext,
  functionName: string,
  destinations: { onSuccess?: string | undefined; onFailure?: string | undefined },
): Promise<void> {
  for (const [side, arn] of [
    ["OnSuccess", destinations.onSuccess],
    ["OnFailure", destinations.onFailure],
  ] as const) {
    if (arn === undefined) continue;
    const service = arn.split(":")[2] ?? "";
    if (service === "lambda") {
      const target = parseFunctionDestination(arn);
      if (!target) throw destinationConfigInvalid(destinations.onSuccess, destinations.onFailure);
      if (!(await functionExists(store, reader, context, target))) throw destinationArnInvalid(arn);
      if (target.name === functionName) throw destinationIsItself();
      continue;
    }
    // S3 buckets take failure records only; an OnSuccess bucket is an invalid config.
    if (service === "s3" && side === "OnFailure" && parseBucketArn(arn) !== undefined) continue;
    const notRun = NOT_RUN[service];
    if (notRun !== undefined) throw destinationServiceNotRun(notRun, arn);
    throw destinationConfigInvalid(destinations.onSuccess, destinations.onFailure);
  }
}

async function functionExists(
  store: LambdaStore,
  reader: KvReader,
  context: RequestContext,
  target: FunctionDestination,
): Promise<boolean> {
  if (target.accountId !== context.accountId || target.region !== context.region) return false;
  const record = await store.get(reader, target.accountId, target.region, target.name);
  if (!record) return false;
  const qualifier = target.qualifier;
  if (qualifier === undefined || qualifier === LATEST) return true;
  if (/^[0-9]+$/.test(qualifier)) {
    return (
      /^[1-9][0-9]{0,15}$/.test(qualifier) &&
      (await store.getVersion(reader, record, Number(qualifier))) !== undefined
    );
  }
  return (await store.getAlias(reader, record, qualifier)) !== undefined;
}
