/**
 * STS (awsQuery). The smallest service, and the template for the others: index.ts registers the
 * service's operations; each operation lives in operations/.
 *
 * ## Gaps
 * AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken and the rest answer InvalidAction until the
 * IAM/STS issue; GetCallerIdentity knows only account-root identities.
 */
import type { OperationHandler } from "../service.ts";
import { getCallerIdentity } from "./operations/get-caller-identity.ts";

export { STS_XML_NAMESPACE } from "./namespace.ts";

export const stsOperations: Record<string, OperationHandler> = {
  GetCallerIdentity: getCallerIdentity,
};
