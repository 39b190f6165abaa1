/**
 * The members of Create/UpdateEventSourceMapping, checked in Lambda's order: the model's constraints
 * first (one ValidationException listing them, coral's words), then Lambda's own rules for DynamoDB
 * streams (InvalidParameterValueException).
 *
 * The StartingPosition enum is listed in the order Lambda writes it ("[LATEST, AT_TIMESTAMP,
 * TRIM_HORIZON]", recorded in LocalStack's event_source_mapping/test_api snapshot), not the model's.
 */

import { optionalBoolean, optionalInteger, optionalString } from "../control/validate.ts";
import {
  constraintText,
  invalidFilterPattern,
  mappingDestinationNotSupported,
  recordAgeOutOfRange,
  serializationError,
  tooManyFilters,
  tumblingWindowNotSupported,
  validationErrors,
} from "../errors.ts";
import { parseBucketArn } from "../s3-destination.ts";
import { compilePattern } from "./filter-pattern.ts";

/** Lambda's quota of filters per event source mapping. */
export const FILTERS_MAX = 5;
const STARTING_POSITIONS = ["LATEST", "AT_TIMESTAMP", "TRIM_HORIZON"];
const RESPONSE_TYPES = ["ReportBatchItemFailures"];
const ARN_PATTERN =
  "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
const ARN = new RegExp(`^${ARN_PATTERN}$`);

/** The settings both operations take; undefined = not given. */
export interface MappingSettings {
  enabled?: boolean;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  parallelizationFactor?: number;
  maximumRecordAgeInSeconds?: number;
  maximumRetryAttempts?: number;
  bisectBatchOnFunctionError?: boolean;
  functionResponseTypes?: string[];
  /** [] = FilterCriteria given without filters (clears them on update). */
  filterPatterns?: string[];
  /** DestinationConfig.OnFailure.Destination: "" = DestinationConfig given without one (clears it). */
  onFailureDestination?: string;
}

export interface CreateSettings extends MappingSettings {
  eventSourceArn?: string;
  startingPosition?: string;
  startingPositionTimestamp?: unknown;
}

const RANGES: [keyof MappingSettings, string, number, number][] = [
  ["batchSize", "batchSize", 1, 10000],
  ["maximumBatchingWindowInSeconds", "maximumBatchingWindowInSeconds", 0, 300],
  ["parallelizationFactor", "parallelizationFactor", 1, 10],
  ["maximumRecordAgeInSeconds", "maximumRecordAgeInSeconds", -1, 604800],
  ["maximumRetryAttempts", "maximumRetryAttempts", -1, 10000],
];

function stringList(value: unknown, member: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw serializationError(member);
  return value as string[];
}

function filterPatternsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError("FilterCriteria");
  const filters = (value as { Filters?: unknown }).Filters;
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters)) throw serializationError("FilterCriteria.Filters");
  return filters.map((filter) => {
    if (typeof filter !== "object" || filter === null) throw serializationError("FilterCriteria.Filters");
    const pattern = (filter as { Pattern?: unknown }).Pattern;
    if (typeof pattern !== "string") throw invalidFilterPattern();
    return pattern;
  });
}

/** Reads and checks the members both operations share; model constraints go into `messages`. */
function readSettings(input: Record<string, unknown>, messages: string[]): MappingSettings {
  const settings: MappingSettings = {};
  const enabled = optionalBoolean(input.Enabled, "Enabled");
  if (enabled !== undefined) settings.enabled = enabled;
  const bisect = optionalBoolean(input.BisectBatchOnFunctionError, "BisectBatchOnFunctionError");
  if (bisect !== undefined) settings.bisectBatchOnFunctionError = bisect;
  const integers: Record<string, unknown> = {
    batchSize: input.BatchSize,
    maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds,
    parallelizationFactor: input.ParallelizationFactor,
    maximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds,
    maximumRetryAttempts: input.MaximumRetryAttempts,
  };
  for (const [key, member, min, max] of RANGES) {
    const value = optionalInteger(integers[key], member);
    if (value === undefined) continue;
    if (value < min) {
      messages.push(
        constraintText(member, String(value), `Member must have value greater than or equal to ${min}`),
      );
    } else if (value > max) {
      messages.push(
        constraintText(member, String(value), `Member must have value less than or equal to ${max}`),
      );
    }
    (settings as Record<string, number>)[key] = value;
  }
  const responseTypes = stringList(input.FunctionResponseTypes, "FunctionResponseTypes");
  if (responseTypes !== undefined) {
    if (responseTypes.length > 1) {
      messages.push(
        constraintText(
          "functionResponseTypes",
          `[${responseTypes.join(", ")}]`,
          "Member must have length less than or equal to 1",
        ),
      );
    }
    if (responseTypes.some((t) => !RESPONSE_TYPES.includes(t))) {
      messages.push(
        constraintText(
          "functionResponseTypes",
          `[${responseTypes.join(", ")}]`,
          `Member must satisfy constraint: [Member must satisfy enum value set: [${RESPONSE_TYPES.join(", ")}]]`,
        ),
      );
    }
    settings.functionResponseTypes = responseTypes;
  }
  const patterns = filterPatternsOf(input.FilterCriteria);
  if (patterns !== undefined) settings.filterPatterns = patterns;
  return settings;
}

/** Lambda's rules after the model's: record age, filters, and what Stratus cannot do. */
function checkRules(input: Record<string, unknown>, settings: MappingSettings): void {
  const age = settings.maximumRecordAgeInSeconds;
  if (age !== undefined && age !== -1 && age < 60) throw recordAgeOutOfRange();
  if (settings.filterPatterns !== undefined) {
    if (settings.filterPatterns.length > FILTERS_MAX) throw tooManyFilters(FILTERS_MAX);
    for (const pattern of settings.filterPatterns) compilePattern(pattern);
  }
  const tumbling = optionalInteger(input.TumblingWindowInSeconds, "TumblingWindowInSeconds");
  if (tumbling !== undefined && tumbling !== 0) throw tumblingWindowNotSupported();
  const onFailure = onFailureOf(input.DestinationConfig);
  if (onFailure !== undefined) settings.onFailureDestination = onFailure;
}

/**
 * DestinationConfig's OnFailure destination: undefined when DestinationConfig is absent, "" when it
 * names none ({"OnFailure": {}} is what Lambda answers). Only S3 buckets are taken: Stratus does not
 * run SQS or SNS, and OnSuccess is for Kafka sources only; both are refused rather than dropped.
 */
function onFailureOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError("DestinationConfig");
  const destinationOf = (target: unknown): string => {
    if (target === undefined || target === null) return "";
    const destination = (target as { Destination?: unknown }).Destination;
    return typeof destination === "string" ? destination : "";
  };
  const config = value as Record<string, unknown>;
  if (destinationOf(config.OnSuccess) !== "") throw mappingDestinationNotSupported();
  const onFailure = destinationOf(config.OnFailure);
  if (onFailure !== "" && parseBucketArn(onFailure) === undefined) throw mappingDestinationNotSupported();
  return onFailure;
}

function checkTumblingRange(input: Record<string, unknown>, messages: string[]): void {
  const tumbling = optionalInteger(input.TumblingWindowInSeconds, "TumblingWindowInSeconds");
  if (tumbling === undefined) return;
  if (tumbling < 0) {
    messages.push(
      constraintText(
        "tumblingWindowInSeconds",
        String(tumbling),
        "Member must have value greater than or equal to 0",
      ),
    );
  } else if (tumbling > 900) {
    messages.push(
      constraintText(
        "tumblingWindowInSeconds",
        String(tumbling),
        "Member must have value less than or equal to 900",
      ),
    );
  }
}

export function readCreateSettings(
  input: Record<string, unknown>,
  functionNameMessages: string[],
): CreateSettings {
  const messages = [...functionNameMessages];
  const eventSourceArn = optionalString(input.EventSourceArn, "EventSourceArn");
  if (eventSourceArn !== undefined && !ARN.test(eventSourceArn)) {
    messages.push(
      constraintText(
        "eventSourceArn",
        eventSourceArn,
        `Member must satisfy regular expression pattern: ${ARN_PATTERN}`,
      ),
    );
  }
  const startingPosition = optionalString(input.StartingPosition, "StartingPosition");
  if (startingPosition !== undefined && !STARTING_POSITIONS.includes(startingPosition)) {
    messages.push(
      constraintText(
        "startingPosition",
        startingPosition,
        `Member must satisfy enum value set: [${STARTING_POSITIONS.join(", ")}]`,
      ),
    );
  }
  const settings: CreateSettings = readSettings(input, messages);
  checkTumblingRange(input, messages);
  if (messages.length > 0) throw validationErrors(messages);
  checkRules(input, settings);
  if (eventSourceArn !== undefined) settings.eventSourceArn = eventSourceArn;
  if (startingPosition !== undefined) settings.startingPosition = startingPosition;
  if (input.StartingPositionTimestamp !== undefined && input.StartingPositionTimestamp !== null) {
    settings.startingPositionTimestamp = input.StartingPositionTimestamp;
  }
  return settings;
}

export function readUpdateSettings(
  input: Record<string, unknown>,
  functionNameMessages: string[],
): MappingSettings {
  const messages = [...functionNameMessages];
  const settings = readSettings(input, messages);
  checkTumblingRange(input, messages);
  if (messages.length > 0) throw validationErrors(messages);
  checkRules(input, settings);
  return settings;
}
