/** Step, assign request ids in the style of the destination service (S3 also gets its host id). */
import { dynamoRequestId, s3HostId, s3RequestId, uuid } from "../../aws/ids.ts";
import type { Exchange } from "../exchange.ts";

export function assignRequestIds(exchange: Exchange): void {
  switch (exchange.service?.requestIdStyle) {
    case "dynamodb":
      exchange.ids = { requestId: dynamoRequestId() };
      return;
    case "s3":
      exchange.ids = { requestId: s3RequestId(), hostId: s3HostId() };
      return;
    default:
      exchange.ids = { requestId: uuid() };
  }
}
