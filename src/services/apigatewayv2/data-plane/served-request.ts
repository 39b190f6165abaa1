/**
 * What the data plane learns about one request as it goes through its steps (stage, route, authorizer,
 * integration, answer): the `$context` variables of identity sources and access logs are read from
 * here.
 */
import type { DataPlaneRequest } from "../../../edge/data-plane.ts";
import type { ApiIdOwner } from "../../execute-api/api-ids.ts";
import type { HttpApiStageSnapshot } from "../snapshot.ts";
import type { RouteMatch } from "./route-match.ts";

export interface ServedRequest {
  readonly request: DataPlaneRequest;
  readonly owner: ApiIdOwner;
  readonly apiId: string;
  readonly requestId: string;
  /** `{apiId}.execute-api.localhost` (path form) or the Host header's name. */
  readonly domainName: string;
  readonly domainPrefix: string;
  snapshot?: HttpApiStageSnapshot;
  stageName?: string;
  /** The path below the stage, percent-encoded. */
  path?: string;
  match?: RouteMatch;
  /** What the authorizer added: `$context.authorizer.*`. */
  authorizer?: {
    principalId?: string;
    claims?: Record<string, unknown>;
    scopes?: string[];
    context?: Record<string, unknown>;
    /** An AWS_IAM route's signer. */
    iam?: Record<string, unknown>;
    error?: string;
  };
  integration?: {
    status?: number;
    latencyMs?: number;
    requestId?: string;
    error?: string;
  };
  /** The answer's status and body length, once known. */
  status?: number;
  responseLength?: number;
  /** An API Gateway error's message (`$context.error.message`). */
  errorMessage?: string;
  /** A Lambda authorizer / integration that needs a response type (`$context.error.responseType`). */
  errorResponseType?: string;
  doneAt?: Date;
}
