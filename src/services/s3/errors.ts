/**
 * S3's error catalogue: codes, statuses, messages word for word and the extra XML fields S3 adds
 * (`<BucketName>`, `<Key>`, `<Condition>`...), in the order S3 writes them.
 *
 * Sources: the S3 API reference's "List of error codes" (docs.aws.amazon.com/AmazonS3/latest/API/
 * ErrorResponses.html) for codes and statuses; wire texts as quoted from real S3 responses in public
 * issue threads (each named below) where the docs' description differs from what S3 sends.
 */
import { AwsError } from "../../aws/errors.ts";

/** Keys are at most 1024 bytes of UTF-8 (S3 user guide, "Naming Amazon S3 objects"). */
export const KEY_BYTES_MAX = 1024;
/** User-defined metadata is at most 2 KB (S3 user guide, "Working with object metadata"). */
export const USER_METADATA_BYTES_MAX = 2048;

/** Wire text without a final period; captured: awslabs/amazon-pollexy#7, electron/apps#2157 (with BucketName). */
export function noSuchBucket(bucket: string): AwsError {
  return new AwsError("NoSuchBucket", "The specified bucket does not exist", 404, {
    fields: { BucketName: bucket },
  });
}

/** Wire text ends with a period, unlike NoSuchBucket; `<Key>` follows (S3 responses quoted in client test suites). */
export function noSuchKey(key: string): AwsError {
  return new AwsError("NoSuchKey", "The specified key does not exist.", 404, { fields: { Key: key } });
}

/** Captured (with BucketName) from an S3 answer to a listing of bucket "a", quoted in a client's test fixtures. */
export function invalidBucketName(bucket: string): AwsError {
  return new AwsError("InvalidBucketName", "The specified bucket is not valid.", 400, {
    fields: { BucketName: bucket },
  });
}

export function bucketAlreadyExists(bucket: string): AwsError {
  return new AwsError(
    "BucketAlreadyExists",
    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
    409,
    { fields: { BucketName: bucket } },
  );
}

export function bucketAlreadyOwnedByYou(bucket: string): AwsError {
  return new AwsError(
    "BucketAlreadyOwnedByYou",
    "Your previous request to create the named bucket succeeded and you already own it.",
    409,
    { fields: { BucketName: bucket } },
  );
}

/**
 * Wire text without the docs' final period, as S3 answers for an unversioned bucket (captured:
 * yaybu/touchdown#135); a versioned one adds "You must delete all versions in the bucket."
 */
export function bucketNotEmpty(bucket: string): AwsError {
  return new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, {
    fields: { BucketName: bucket },
  });
}

/**
 * No LocationConstraint sent to a regional endpoint other than us-east-1, or one naming another
 * region. Captured: aws/aws-cli#3510 family ("The unspecified location constraint..."), boto/boto3#3055
 * ("The ap-east-1 location constraint is incompatible...").
 */
export function illegalLocationConstraint(constraint: string | undefined): AwsError {
  return new AwsError(
    "IllegalLocationConstraintException",
    `The ${constraint ?? "unspecified"} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    400,
  );
}

/** Captured: minio/minio-py#166 (with the `<LocationConstraint>` field), velero-io/velero#284. */
export function invalidLocationConstraint(constraint: string): AwsError {
  return new AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, {
    fields: { LocationConstraint: constraint },
  });
}

export function malformedXml(): AwsError {
  return new AwsError(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
    400,
  );
}

/** `Condition` names the header that failed (LocalStack's parity snapshots; moto). */
export function preconditionFailed(condition: string): AwsError {
  return new AwsError(
    "PreconditionFailed",
    "At least one of the pre-conditions you specified did not hold",
    412,
    {
      fields: { Condition: condition },
    },
  );
}

/** Field order as captured in versity/versitygw#2069. S3 also sends `Content-Range: bytes * /size`. */
export function invalidRange(requested: string, size: number): AwsError {
  return new AwsError("InvalidRange", "The requested range is not satisfiable", 416, {
    fields: { RangeRequested: requested, ActualObjectSize: String(size) },
    headers: { "Content-Range": `bytes */${size}` },
  });
}

/** Content-MD5 not matching the body. Fields as LocalStack's parity tests record them. */
export function badContentMd5(expected: string, calculated: string): AwsError {
  return new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400, {
    fields: { ExpectedDigest: expected, CalculatedDigest: calculated },
  });
}

/** Content-MD5 that is not base64 of 16 bytes. */
export function invalidDigest(contentMd5: string): AwsError {
  return new AwsError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400, {
    fields: { "Content-MD5": contentMd5 },
  });
}

/** An `x-amz-checksum-*` header that is not base64 of the algorithm's digest size (versity/versitygw#1165). */
export function invalidChecksumHeader(headerName: string): AwsError {
  return new AwsError("InvalidRequest", `Value for ${headerName} header is invalid.`, 400);
}

/** More than one `x-amz-checksum-*` header (versity/versitygw s3err "multiple checksum headers"). */
export function multipleChecksums(): AwsError {
  return new AwsError(
    "InvalidRequest",
    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    400,
  );
}

export function keyTooLong(size: number): AwsError {
  return new AwsError("KeyTooLongError", "Your key is too long", 400, {
    fields: { Size: String(size), MaxSizeAllowed: String(KEY_BYTES_MAX) },
  });
}

export function metadataTooLarge(size: number): AwsError {
  return new AwsError(
    "MetadataTooLarge",
    "Your metadata headers exceed the maximum allowed metadata size",
    400,
    {
      fields: { Size: String(size), MaxSizeAllowed: String(USER_METADATA_BYTES_MAX) },
    },
  );
}

/** A PUT without Content-Length (nor x-amz-decoded-content-length). */
export function missingContentLength(): AwsError {
  return new AwsError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411);
}

export function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError("InvalidArgument", message, 400, {
    fields: { ArgumentName: name, ArgumentValue: value },
  });
}

/** `max-keys` and friends (moto's and LocalStack's texts for S3's answer). */
export function notAnInteger(name: string, value: string): AwsError {
  return invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
}

export function invalidContinuationToken(token: string): AwsError {
  return invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
}

export function invalidEncodingType(value: string): AwsError {
  return invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", value);
}

/** Captured: peak/s5cmd#711, aws/aws-sdk-php#274. */
export function copyToItself(): AwsError {
  return new AwsError(
    "InvalidRequest",
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    400,
  );
}

export function invalidCopySource(value: string): AwsError {
  return invalidArgument(
    "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
    "x-amz-copy-source",
    value,
  );
}

export function invalidMetadataDirective(value: string): AwsError {
  return invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", value);
}

/** Text modelled on the metadata directive's; S3's own answer was not found. */
export function invalidTaggingDirective(value: string): AwsError {
  return invalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", value);
}

/** Captured (with BucketName) from S3 in a client's recorded fixtures. */
export function noSuchTagSet(bucket: string): AwsError {
  return new AwsError("NoSuchTagSet", "The TagSet does not exist", 404, { fields: { BucketName: bucket } });
}

/** Versioning is not emulated: only the `null` version of an object exists. */
export function invalidVersionId(versionId: string): AwsError {
  return invalidArgument("Invalid version id specified", "versionId", versionId);
}

/** A header S3 would act on in a way Stratus does not emulate (S3's own 501 text). */
export function headerNotImplemented(header: string): AwsError {
  return new AwsError(
    "NotImplemented",
    "A header you provided implies functionality that is not implemented.",
    501,
    {
      fields: { Header: header },
    },
  );
}

/** Captured text: moto, LocalStack (`<UploadId>` field). */
export function noSuchUpload(uploadId: string): AwsError {
  return new AwsError(
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    404,
    { fields: { UploadId: uploadId } },
  );
}

/** A part other than the last under 5 MiB. Captured: apache/arrow-rs-object-store#211 (all four fields). */
export function entityTooSmall(proposedSize: number, partNumber: number, etag: string): AwsError {
  return new AwsError(
    "EntityTooSmall",
    "Your proposed upload is smaller than the minimum allowed size",
    400,
    {
      fields: {
        ProposedSize: String(proposedSize),
        MinSizeAllowed: String(PART_BYTES_MIN),
        PartNumber: String(partNumber),
        ETag: etag,
      },
    },
  );
}

/** Multipart parts are at least 5 MiB, except the last (S3 multipart upload limits). */
export const PART_BYTES_MIN = 5 * 1024 * 1024;
/** Part numbers run from 1 to 10,000 (S3 multipart upload limits). */
export const PART_NUMBER_MAX = 10_000;

/**
 * The double space is S3's (an SDK stack trace quoting S3, and minio's and LocalStack's tables);
 * `ETag` and `PartNumber` name the part, as LocalStack's parity tests record.
 */
export function invalidPart(partNumber: number, etag: string): AwsError {
  return new AwsError(
    "InvalidPart",
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { fields: { ETag: etag, PartNumber: String(partNumber) } },
  );
}

export function invalidPartOrder(): AwsError {
  return new AwsError(
    "InvalidPartOrder",
    "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
    400,
  );
}

/** Text per moto (InvalidMaxPartNumberArgument). */
export function invalidPartNumber(value: string): AwsError {
  return invalidArgument(
    "Part number must be an integer between 1 and 10000, inclusive",
    "partNumber",
    value,
  );
}

/**
 * A part checksum of another algorithm than the upload was created with. Text per LocalStack's
 * provider (not captured from S3 by us).
 */
export function checksumTypeMismatch(expected: string, actual: string): AwsError {
  return new AwsError(
    "InvalidRequest",
    `Checksum Type mismatch occurred, expected checksum Type: ${expected}, actual checksum Type: ${actual}`,
    400,
  );
}

/** A single CopyObject copies at most 5 GB (S3 quotas); larger sources go through UploadPartCopy. */
export const COPY_SOURCE_BYTES_MAX = 5 * 1024 * 1024 * 1024;

export function copySourceTooLarge(): AwsError {
  return new AwsError(
    "InvalidRequest",
    `The specified copy source is larger than the maximum allowable size for a copy source: ${COPY_SOURCE_BYTES_MAX}`,
    400,
  );
}

/** Texts per LocalStack's provider, whose parity tests record S3's answers. */
export function invalidCopySourceRange(value: string): AwsError {
  return invalidArgument(
    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
    "x-amz-copy-source-range",
    value,
  );
}

export function copySourceRangeOutside(value: string, size: number): AwsError {
  return invalidArgument(
    `Range specified is not valid for source object of size: ${size}`,
    "x-amz-copy-source-range",
    value,
  );
}
