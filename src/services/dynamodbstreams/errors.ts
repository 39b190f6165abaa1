/**
 * DynamoDB Streams' error catalogue: codes and texts as DynamoDB Streams answers them. The `__type`
 * namespace of each code is chosen by the service's error style in src/services/registry.ts (the same
 * `com.amazonaws.dynamodb.v20120810` as DynamoDB's).
 *
 * Sources, per text:
 * - "Requested resource not found: Stream: <arn> not found": DynamoDB's answer to DescribeStream of a
 *   stream that does not exist, recorded against eu-west-1 (a test asserting the full text for
 *   `arn:aws:dynamodb:eu-west-1:733578946173:table/no-existant-table/stream/2017-10-05T14:36:01.514`)
 *   and in user reports (localstack/localstack#1655, #2543).
 * - "Requested resource not found: Shard does not exist": GetShardIterator of a shard the stream does
 *   not have, reported from DynamoDB through @aws-sdk/client-dynamodb-streams
 *   (ironSource/node-dynamodb-stream#16, 2021).
 * - "Invalid StreamArn" (ValidationException): the AWS SDK for JavaScript's integration test of
 *   DescribeStream with a malformed ARN, run against AWS (aws/aws-sdk-js test/integration, matched
 *   case-insensitively). ScyllaDB's Alternator tests, run against DynamoDB, confirm ValidationException
 *   for malformed ARNs in ListStreams, DescribeStream and GetShardIterator.
 * - "The data you are trying to access has been trimmed": TrimmedDataAccessException as DynamoDB
 *   answered it (ironSource/node-dynamodb-stream#13, 2019); the API reference documents the same words.
 * - "The provided iterator exceeds the maximum age allowed.": the message the API reference documents
 *   for ExpiredIteratorException (GetRecords, Errors). Not recorded from a live response.
 * - Limits above the documented maxima (ListStreams and DescribeStream 100, GetRecords 1000) answer
 *   ValidationException (Alternator's tests against DynamoDB: "ValidationException.*[Ll]imit"); the
 *   text is coral's constraint wording, which the public model cannot produce because it lost the
 *   maxima.
 * - Invalid shard iterators and sequence numbers answer ValidationException (Alternator's tests
 *   against DynamoDB); AWS's texts for them are not recorded, so the texts below marked "Stratus's
 *   words" are ours.
 */
import { AwsError } from "../../aws/errors.ts";
import { validationException, violation, violationsMessage } from "../../aws/validation/errors.ts";

export function streamNotFound(streamArn: string): AwsError {
  return new AwsError(
    "ResourceNotFoundException",
    `Requested resource not found: Stream: ${streamArn} not found`,
    400,
  );
}

export function shardNotFound(): AwsError {
  return new AwsError("ResourceNotFoundException", "Requested resource not found: Shard does not exist", 400);
}

export function invalidStreamArn(): AwsError {
  return validationException("Invalid StreamArn");
}

export function trimmedDataAccess(): AwsError {
  return new AwsError(
    "TrimmedDataAccessException",
    "The data you are trying to access has been trimmed",
    400,
  );
}

export function expiredIterator(): AwsError {
  return new AwsError(
    "ExpiredIteratorException",
    "The provided iterator exceeds the maximum age allowed.",
    400,
  );
}

/** A Limit over the documented maximum, in coral's words ("Value '101' at 'limit' ..."). */
export function limitTooHigh(value: number, max: number): AwsError {
  return validationException(
    violationsMessage([
      violation(`'${value}'`, "limit", `Member must have value less than or equal to ${max}`),
    ]),
  );
}

/** Stratus's words: a ShardIterator that no GetShardIterator of Stratus produced. */
export function invalidShardIterator(): AwsError {
  return validationException("Invalid ShardIterator");
}

/** Stratus's words: AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER without a SequenceNumber. */
export function sequenceNumberRequired(iteratorType: string): AwsError {
  return validationException(`A SequenceNumber is required for ShardIteratorType ${iteratorType}`);
}

/** Stratus's words: TRIM_HORIZON or LATEST with a SequenceNumber. */
export function sequenceNumberNotAllowed(iteratorType: string): AwsError {
  return validationException(`A SequenceNumber is not allowed for ShardIteratorType ${iteratorType}`);
}

/** Stratus's words: a SequenceNumber this shard never handed out. */
export function invalidSequenceNumber(sequenceNumber: string, shardId: string): AwsError {
  return validationException(`Invalid SequenceNumber ${sequenceNumber} for shard ${shardId}`);
}
