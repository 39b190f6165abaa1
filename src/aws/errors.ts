/**
 * An error as AWS puts it on the wire: HTTP status, error code and message, plus the extra fields some
 * errors carry (S3's `<Resource>`, `<ServerTime>`; DynamoDB's `CancellationReasons`...).
 *
 * Operations throw these; the protocol encoder of the request's service turns them into bytes. Every
 * service keeps its own catalogue of factories in its `errors.ts` with AWS's texts word for word.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra top-level fields, in the order AWS writes them. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Extra response headers (e.g. `x-amz-bucket-region`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;
  /** awsQuery's `<Type>`: Sender for the caller's fault, Receiver for the service's. */
  readonly fault: "Sender" | "Receiver";

  constructor(
    code: string,
    message: string,
    status: number,
    options: {
      fields?: Record<string, unknown>;
      headers?: Record<string, string>;
      fault?: "Sender" | "Receiver";
    } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
    this.fault = options.fault ?? (status >= 500 ? "Receiver" : "Sender");
  }
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError;
}
