/**
 * AuthType AWS_IAM: the request must be SigV4-signed for the service `lambda` by a key Stratus knows
 * (Stratus's own verifier, as every signed API call). The caller becomes the event's
 * `requestContext.authorizer.iam`. Anything else is refused with the URL's 403 (data-plane.ts).
 *
 * ## Gaps
 * - IAM does not exist yet: callerId/userId are the account id and userArn its root ARN for every key;
 *   no identity or resource policy (lambda:InvokeFunctionUrl) is evaluated.
 */
import type { CredentialStore } from "../../../aws/credentials.ts";
import { verifySigV4 } from "../../../aws/sigv4/verify.ts";
import type { DataPlaneRequest } from "../../../edge/data-plane.ts";

export interface IamCaller {
  accessKey: string;
  accountId: string;
}

/** The signer of a request, or undefined when it is unsigned, wrongly signed or not signed for Lambda. */
export async function verifyIamCaller(
  request: DataPlaneRequest,
  credentials: CredentialStore,
  now: Date,
): Promise<IamCaller | undefined> {
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
  if (!outcome.ok || outcome.service !== "lambda") return undefined;
  return { accessKey: outcome.accessKeyId, accountId: outcome.accountId };
}

/** `requestContext.authorizer` for an IAM caller, members as Lambda's developer guide lists them. */
export function iamAuthorizer(caller: IamCaller): Record<string, unknown> {
  return {
    iam: {
      accessKey: caller.accessKey,
      accountId: caller.accountId,
      callerId: caller.accountId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:iam::${caller.accountId}:root`,
      userId: caller.accountId,
    },
  };
}
