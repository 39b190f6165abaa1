/**
 * A SigV4 refusal as the error AWS gives for it, by protocol family:
 * - "awsJson"  — DynamoDB, CloudWatch Logs: 400, `…Exception` codes.
 * - "restJson" — Lambda, API Gateway control planes: the same codes, 403.
 * - "awsQuery" — STS, IAM, CloudFormation: `InvalidClientTokenId`, `SignatureDoesNotMatch`… (403;
 *   IncompleteSignature 400, AWS "Common Errors" page).
 * - "restXml"  — S3, in `s3-errors.ts`.
 *
 * Texts are AWS's, word for word, from responses quoted in public issue threads; each names its source.
 *
 * ## Does the signature error include the canonical request?
 * Yes, for all three families here: DynamoDB (boto/boto#1552, 2013; vibe-aws/vibe-aws#1, 2017;
 * amazon-archives/dynamodb-janusgraph-storage-backend#14, 2015), Lambda (aws/aws-sdk-js#168, 2015),
 * STS (boto/boto3#756, 2016) all answer "…for details.\n\nThe Canonical String for this request should
 * have been\n'…'\n\nThe String-to-Sign should have been\n'…'\n". Some DynamoDB reports quote the first
 * sentence alone (ttsuruoka/php-simple-amazon-dynamodb#1, 2016); we follow the longer, more often seen
 * form.
 *
 * ## Gaps
 * - A presigned URL missing X-Amz-* parameters outside S3: no AWS answer was found; it is answered as
 *   missing authentication.
 */
import { AwsError } from "../errors.ts";
import { formatAmzDate } from "./parse.ts";
import { s3AuthError } from "./s3-errors.ts";
import type { SigV4Failure } from "./types.ts";

export type ProtocolFamily = "awsJson" | "restJson" | "restXml" | "awsQuery";

type Kind = "missing" | "incomplete" | "token" | "signature";

const CODES: Record<"json" | "query", Record<Kind, string>> = {
  json: {
    missing: "MissingAuthenticationTokenException",
    incomplete: "IncompleteSignatureException",
    token: "UnrecognizedClientException",
    signature: "InvalidSignatureException",
  },
  query: {
    missing: "MissingAuthenticationToken",
    incomplete: "IncompleteSignature",
    token: "InvalidClientTokenId",
    signature: "SignatureDoesNotMatch",
  },
};

/** Captured: dynalite index.js (DynamoDB, 400); amzn/selling-partner-api-docs#3081 (STS, 403). */
const MISSING_TOKEN = "Request is missing Authentication Token";
/** Lambda words it differently (brefphp/bref#1250, 403 from lambda.us-east-1.amazonaws.com). */
const MISSING_TOKEN_REST = "Missing Authentication Token";
/** Captured: dynalite index.js (DynamoDB); iann0036/iamlive#58 (Lambda, 403); moto core/exceptions.py (STS). */
const INVALID_TOKEN = "The security token included in the request is invalid.";
/** Captured: boto/boto#1552, aws/aws-sdk-js#168, boto/boto3#756 (see the header). */
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

export function authError(failure: SigV4Failure, family: ProtocolFamily): AwsError {
  if (family === "restXml") return s3AuthError(failure);
  const codes = family === "awsQuery" ? CODES.query : CODES.json;
  const error = (kind: Kind, message: string) => new AwsError(codes[kind], message, statusOf(family, kind));
  switch (failure.kind) {
    case "missing":
      return error("missing", family === "restJson" ? MISSING_TOKEN_REST : MISSING_TOKEN);
    case "unknown-key":
      return error("token", INVALID_TOKEN);
    case "skew":
      return error(
        "signature",
        skewMessage(failure.requestTime, failure.serverTime, failure.direction, failure.maxSkewMinutes),
      );
    case "expired":
      // Only S3 presigned URLs expire by X-Amz-Expires; elsewhere the skew rule applies.
      return error("signature", skewMessage(failure.requestTime, failure.serverTime, "past", 15));
    case "signature-mismatch":
      return error(
        "signature",
        `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${failure.canonicalRequest}'\n\n` +
          `The String-to-Sign should have been\n'${failure.stringToSign}'\n`,
      );
    case "content-sha256-mismatch":
      return error("signature", SIGNATURE_MISMATCH);
    case "malformed":
      return malformedError(failure, error, family);
  }
}

/**
 * Captured: aws/aws-sdk-js#254 (DynamoDB), aws/aws-cli#6676 (STS): "Signature expired: 20220127T001427Z
 * is now earlier than 20220127T014428Z (20220127T015928Z - 15 min.)"; QT-DevOps/DevOpsIssues#989 (STS):
 * "Signature not yet current: 20210112T194419Z is still later than 20210112T072625Z (20210112T071125Z + 15 min.)".
 */
export function skewMessage(
  requestTime: Date,
  now: Date,
  direction: "past" | "future",
  minutes: number,
): string {
  const request = formatAmzDate(requestTime);
  const server = formatAmzDate(now);
  if (direction === "past") {
    const limit = formatAmzDate(new Date(now.getTime() - minutes * 60_000));
    return `Signature expired: ${request} is now earlier than ${limit} (${server} - ${minutes} min.)`;
  }
  const limit = formatAmzDate(new Date(now.getTime() + minutes * 60_000));
  return `Signature not yet current: ${request} is still later than ${limit} (${server} + ${minutes} min.)`;
}

function statusOf(family: ProtocolFamily, kind: Kind): number {
  if (family === "awsJson") return 400;
  if (family === "awsQuery" && kind === "incomplete") return 400;
  return 403;
}

/** Texts captured from DynamoDB in dynalite's index.js notes unless said otherwise. */
function malformedError(
  failure: Extract<SigV4Failure, { kind: "malformed" }>,
  error: (kind: Kind, message: string) => AwsError,
  family: ProtocolFamily,
): AwsError {
  const auth = failure.authorization;
  switch (failure.reason) {
    case "missing-components": {
      const parts = failure.missing.map((name) => `Authorization header requires '${name}' parameter. `);
      if (failure.missingDate)
        parts.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
      return error("incomplete", `${parts.join("")}Authorization=${auth}`);
    }
    case "key-value-pair":
      // Also seen from STS: jenkinsci/aws-credentials-plugin#72.
      return error(
        "incomplete",
        `'${failure.component}' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth}'.`,
      );
    case "date":
      return error(
        "incomplete",
        `Date must be in ISO-8601 'basic format'. Got '${failure.date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    case "algorithm":
      // dynalite: a header not starting with "AWS4-" counts as no authentication at all.
      if (!failure.algorithm.startsWith("AWS4-")) {
        return error("missing", family === "restJson" ? MISSING_TOKEN_REST : MISSING_TOKEN);
      }
      return error(
        "incomplete",
        `Unsupported AWS 'algorithm': '${failure.algorithm}' (only AWS4-HMAC-SHA256 for now). `,
      );
    case "credential":
      return error(
        "incomplete",
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${failure.credential}'`,
      );
    case "terminator":
      // The trailing space is AWS's (arnemolland/sigv4#15 shows it on the sibling "scoped to" text).
      return error(
        "signature",
        `Credential should be scoped with a valid terminator: 'aws4_request', not '${failure.terminator}'. `,
      );
    case "credential-date":
      return error(
        "signature",
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${failure.credentialDate}' != '${failure.requestDate.slice(0, 8)}', from '${failure.requestDate}'. `,
      );
    case "query-parameters":
      return error("missing", family === "restJson" ? MISSING_TOKEN_REST : MISSING_TOKEN);
    case "expires-not-number":
    case "expires-negative":
    case "expires-too-large":
    case "content-sha256-missing":
    case "content-sha256-invalid":
      // S3-only checks; verifySigV4 never reports them for other services.
      return error("incomplete", SIGNATURE_MISMATCH);
  }
}
