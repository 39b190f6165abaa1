/**
 * Errors of versioned reads and writes. Texts: S3 API reference "List of error codes" (NoSuchVersion,
 * MethodNotAllowed) and S3 answers recorded in moto's and LocalStack's test snapshots.
 */
import { AwsError } from "../../../aws/errors.ts";
import type { DeleteMarkerRecord } from "../store.ts";

export function noSuchVersion(key: string, versionId: string): AwsError {
  return new AwsError("NoSuchVersion", "The specified version does not exist.", 404, {
    fields: { Key: key, VersionId: versionId },
  });
}

/** A key whose latest version is a delete marker: 404 NoSuchKey, with the marker's headers. */
export function noSuchKeyDeleted(key: string, marker: DeleteMarkerRecord): AwsError {
  return new AwsError("NoSuchKey", "The specified key does not exist.", 404, {
    fields: { Key: key },
    headers: { "x-amz-delete-marker": "true", "x-amz-version-id": marker.versionId ?? "null" },
  });
}

/**
 * GET or HEAD of a delete marker by version id: 405, naming the method and the resource type, with
 * `Allow: DELETE` and the marker's headers (an S3 answer recorded in a public conformance report).
 */
export function deleteMarkerMethodNotAllowed(method: string, marker: DeleteMarkerRecord): AwsError {
  return new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, {
    fields: { Method: method, ResourceType: "DeleteMarker" },
    headers: {
      "x-amz-delete-marker": "true",
      "x-amz-version-id": marker.versionId ?? "null",
      Allow: "DELETE",
    },
  });
}

/** CopyObject / UploadPartCopy naming a delete marker by version id. */
export function copyFromDeleteMarker(): AwsError {
  return new AwsError(
    "InvalidRequest",
    "The source of a copy request may not specifically refer to a delete marker by version id.",
    400,
  );
}
