/**
 * Routes with authorizationType AWS_IAM: the request must be SigV4-signed for the service
 * `execute-api` by a key Stratus knows; anything else is 403 `{"message":"Forbidden"}`. The caller
 * becomes `requestContext.authorizer.iam` (format 2.0), as for function URLs.
 *
 * ## Gaps
 * - No IAM policy (execute-api:Invoke) is evaluated; a valid signature is enough.
 */
import type { CredentialStore } from "../../../aws/credentials.ts";
import { verifySigV4 } from "../../../aws/sigv4/verify.ts";
import type { DataPlaneRequest } from "../../../edge/data-plane.ts";

export async function verifyExecuteApiCaller(
  request: DataPlaneRequest,
  credentials: CredentialStore,
  now: Date,
): Promise<Record<string, unknown> | undefined> {
  const outcome = await verifySigV4(
    {
      method: request.method,
      rawPath: request.signedPath,
      rawQuery: request.rawQuery,
      headers: request.headers,
      body: request.body,
    },
    { credentials, now, s3: false },
  );
  if (!outcome.ok || outcome.service !== "execute-api") return undefined;
  return {
    accessKey: outcome.accessKeyId,
    accountId: outcome.accountId,
    callerId: outcome.accountId,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:iam::${outcome.accountId}:root`,
    userId: outcome.accountId,
  };
}
