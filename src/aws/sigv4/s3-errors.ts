/**
 * SigV4 refusals as S3 words them (restXml). S3 differs from every other service: its own codes,
 * extra XML fields (`<AWSAccessKeyId>`, `<StringToSign>`, `<ServerTime>`…, in the order S3 writes
 * them), and separate errors for header and query-string authentication.
 *
 * Texts are copied from S3 responses quoted in public issue threads; each names its source. Where only
 * another emulator's table was found, that is said.
 */
import { AwsError } from "../errors.ts";
import { contentSha256Mismatch } from "./body-errors.ts";
import { MAX_PRESIGNED_EXPIRES_SECONDS, type SigV4Failure } from "./types.ts";

/** Captured: aws/aws-cli#4356 (with all six fields), versity/versitygw#1056. */
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
const CREDENTIAL_SHAPE = `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`;
/** Captured: hubrick/vertx-s3-client#5, gaul/s3proxy#29 (ceph s3-tests); 403 per indix/gocd-s3-artifacts#16. */
const NEEDS_DATE = "AWS authentication requires a valid Date or x-amz-date header";

export function s3AuthError(failure: SigV4Failure): AwsError {
  switch (failure.kind) {
    case "missing":
      // What ceph s3-tests expect of AWS for an unsigned request to a private resource (scality/Arsenal#182).
      return new AwsError("AccessDenied", "Access Denied", 403);
    case "unknown-key":
      // Captured: raster-foundry/raster-foundry#289.
      return new AwsError(
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        403,
        {
          fields: { AWSAccessKeyId: failure.accessKeyId },
        },
      );
    case "skew":
      if (failure.presigned) {
        // Captured: minio/minio#2638 — X-Amz-Date is echoed in epoch milliseconds.
        const expiresAt = failure.requestTime.getTime() + (failure.expiresSeconds ?? 0) * 1000;
        return new AwsError("AccessDenied", "Request is not yet valid", 403, {
          fields: {
            "X-Amz-Date": String(failure.requestTime.getTime()),
            Expires: isoSeconds(new Date(expiresAt)),
            ServerTime: isoSeconds(failure.serverTime),
          },
        });
      }
      // Captured: versity/versitygw#1514, ex-aws/ex_aws#159.
      return new AwsError(
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        403,
        {
          fields: {
            RequestTime: failure.requestTimeRaw,
            ServerTime: isoSeconds(failure.serverTime),
            MaxAllowedSkewMilliseconds: String(failure.maxSkewMinutes * 60_000),
          },
        },
      );
    case "expired":
      // Captured: aws/aws-sdk-php#1333, lukejacksonn/react-slack-clone#27.
      return new AwsError("AccessDenied", "Request has expired", 403, {
        fields: {
          "X-Amz-Expires": String(failure.expiresSeconds),
          Expires: isoSeconds(failure.expiresAt),
          ServerTime: isoSeconds(failure.serverTime),
        },
      });
    case "signature-mismatch":
      return new AwsError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403, {
        fields: {
          AWSAccessKeyId: failure.accessKeyId,
          StringToSign: failure.stringToSign,
          SignatureProvided: failure.signatureProvided,
          StringToSignBytes: hexBytes(failure.stringToSign),
          CanonicalRequest: failure.canonicalRequest,
          CanonicalRequestBytes: hexBytes(failure.canonicalRequest),
        },
      });
    case "content-sha256-mismatch":
      return contentSha256Mismatch(failure.clientComputed, failure.computed);
    case "malformed":
      return failure.presigned ? queryError(failure) : headerError(failure);
  }
}

type Malformed = Extract<SigV4Failure, { kind: "malformed" }>;

/** AuthorizationHeaderMalformed is a 400 (deliciousbrains/wp-amazon-s3-and-cloudfront#460). */
function headerMalformed(detail: string): AwsError {
  return new AwsError(
    "AuthorizationHeaderMalformed",
    `The authorization header is malformed; ${detail}`,
    400,
  );
}

function headerError(failure: Malformed): AwsError {
  switch (failure.reason) {
    case "missing-components":
      if (failure.missing.length === 0) return new AwsError("AccessDenied", NEEDS_DATE, 403);
      // Captured: ex-aws/ex_aws#537.
      return headerMalformed(
        "the authorization header requires three components: Credential, SignedHeaders, and Signature.",
      );
    case "key-value-pair":
      // Captured: zendesk/apt-s3#10.
      return headerMalformed(`the authorization component "${failure.component}" is malformed.`);
    case "date":
      return new AwsError("AccessDenied", NEEDS_DATE, 403);
    case "algorithm":
      // S3's answer to SigV2 where it is retired; text per minio and versitygw error tables.
      return new AwsError(
        "InvalidRequest",
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
        400,
      );
    case "credential":
      // Captured: deliciousbrains/wp-amazon-s3-and-cloudfront#460.
      return headerMalformed(CREDENTIAL_SHAPE);
    case "terminator":
      // Text per versity/versitygw s3err/sigv4.go.
      return headerMalformed(
        `incorrect terminal "${failure.terminator}". This endpoint uses "aws4_request".`,
      );
    case "credential-date":
      return headerMalformed("Invalid credential date. Date is not the same as X-Amz-Date.");
    default:
      return commonError(failure);
  }
}

/** AuthorizationQueryParametersError texts per versity/versitygw s3err/presigned-urls.go. */
function queryError(failure: Malformed): AwsError {
  const error = (message: string) => new AwsError("AuthorizationQueryParametersError", message, 400);
  switch (failure.reason) {
    case "query-parameters":
      return error(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      );
    case "algorithm":
      return error(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`);
    case "credential":
      return error(`Error parsing the X-Amz-Credential parameter; ${CREDENTIAL_SHAPE}`);
    case "terminator":
      return error(
        `Error parsing the X-Amz-Credential parameter; incorrect terminal "${failure.terminator}". This endpoint uses "aws4_request".`,
      );
    case "credential-date":
      return error(
        `Invalid credential date "${failure.credentialDate}". This date is not the same as X-Amz-Date: "${failure.requestDate.slice(0, 8)}".`,
      );
    case "date":
      return error(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
    case "expires-not-number":
      return error("X-Amz-Expires should be a number");
    case "expires-negative":
      return error("X-Amz-Expires must be non-negative");
    case "expires-too-large":
      return error(
        `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_EXPIRES_SECONDS} seconds`,
      );
    default:
      return commonError(failure);
  }
}

function commonError(failure: Malformed): AwsError {
  switch (failure.reason) {
    case "content-sha256-missing":
      // Captured: avi-wish/aws4-signature-php#1, aws/aws-cli#2134.
      return new AwsError(
        "InvalidRequest",
        "Missing required header for this request: x-amz-content-sha256",
        400,
      );
    case "content-sha256-invalid":
      // Captured: versity/versitygw#1352.
      return new AwsError(
        "InvalidArgument",
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
        400,
        { fields: { ArgumentName: "x-amz-content-sha256", ArgumentValue: failure.value } },
      );
    default:
      return headerMalformed(CREDENTIAL_SHAPE);
  }
}

/** "2018-03-29T11:17:34Z": S3's ServerTime and Expires. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "41 57 53 34": S3's StringToSignBytes / CanonicalRequestBytes (UTF-8, lower-case hex, spaced). */
export function hexBytes(text: string): string {
  return Array.from(Buffer.from(text, "utf8"), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
}
