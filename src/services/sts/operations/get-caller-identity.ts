/**
 * GetCallerIdentity: who the caller is. Stratus's access keys belong to the account root (IAM users
 * and assumed roles come with the IAM/STS issue), so the answer is the root of the key's account, the
 * shape AWS gives for root credentials: UserId = account id, Arn = arn:aws:iam::<account>:root.
 */
import { encodeQueryResult } from "../../../aws/protocols/aws-query.ts";
import { xmlFields } from "../../../aws/protocols/xml.ts";
import type { ServiceRequest, ServiceResponse } from "../../service.ts";
import { STS_XML_NAMESPACE } from "../namespace.ts";

export async function getCallerIdentity(request: ServiceRequest): Promise<ServiceResponse> {
  const { accountId, requestId } = request.context;
  const result = xmlFields({ UserId: accountId, Account: accountId, Arn: `arn:aws:iam::${accountId}:root` });
  return encodeQueryResult("GetCallerIdentity", result, STS_XML_NAMESPACE, requestId);
}
