/**
 * Answers requests whose destination has nothing behind it: a signed call to an AWS service Stratus
 * does not emulate, or an unsigned data-plane address whose service is not built yet. The answer is
 * shaped like the caller's protocol (awsJson when it sent X-Amz-Target, XML otherwise) so SDKs report
 * a readable error instead of a parse failure.
 */

import { uuid } from "../../aws/ids.ts";
import type { EncodedResponse } from "../../aws/protocols/protocol.ts";
import { escapeXml, XML_DECLARATION } from "../../aws/protocols/xml.ts";
import type { Exchange } from "../exchange.ts";

export function answerUnserved(exchange: Exchange): void {
  const destination = exchange.destination;
  if (destination?.kind === "unknown-service") {
    exchange.response = unknownService(exchange, destination.signingName);
  } else if (destination?.kind === "no-data-plane") {
    const body = JSON.stringify({ message: `Stratus serves nothing at ${destination.what} yet.` });
    exchange.response = {
      status: 404,
      headers: { "Content-Type": "application/json", "x-amzn-RequestId": uuid() },
      body,
    };
  }
}

function unknownService(exchange: Exchange, signingName: string): EncodedResponse {
  const requestId = uuid();
  const message = `Stratus does not emulate the AWS service '${signingName}'.`;
  if (exchange.headers["x-amz-target"]) {
    return {
      status: 400,
      headers: { "Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": requestId },
      body: JSON.stringify({ __type: "com.amazon.coral.service#UnknownOperationException", message }),
    };
  }
  return {
    status: 501,
    headers: {
      "Content-Type": "text/xml",
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": "NotImplemented",
    },
    body: `${XML_DECLARATION}<ErrorResponse><Error><Type>Receiver</Type><Code>NotImplemented</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
