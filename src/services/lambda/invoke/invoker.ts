/**
 * Runs a function from inside Stratus, without an HTTP request: the async queue's retries and
 * destinations, Function URLs, event source mappings and (later) S3 notifications and API Gateway
 * integrations all invoke through here, so every path resolves, checks and runs a function the same way
 * the Invoke operation does.
 *
 * The caller is an account (the one that owns the function): the environments get that account's
 * credentials, as Invoke gives them its caller's.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../aws/context.ts";
import { type CredentialStore, ROOT_CREDENTIAL } from "../../../aws/credentials.ts";
import type { InvokeOptions, InvokeResult } from "../environments/environment.ts";
import { functionPending } from "../errors.ts";
import { LATEST, type LambdaStore, type ResolvedFunction } from "../store.ts";
import type { InvokePools, InvokeTarget } from "./pools.ts";

export interface InProcessInvoke {
  accountId: string;
  region: string;
  /** A name, partial or full ARN, possibly qualified. */
  functionName: string;
  /** $LATEST, a version or an alias; undefined = the ARN's qualifier or $LATEST. */
  qualifier?: string;
  payload: Buffer;
  /**
   * AWS_ENDPOINT_URL for the environment when Stratus's own address is not known yet: the address the
   * triggering request came in on. Stratus's own address wins once it listens, since a stored address
   * may be stale after a restart on another port, and a data-plane host (`*.lambda-url.localhost`)
   * does not resolve for the SDKs inside functions.
   */
  endpointUrl: string;
  /** Default: a fresh UUID. */
  requestId?: string;
  clientContext?: string;
}

export interface InProcessResult {
  resolved: ResolvedFunction;
  result: InvokeResult;
  requestId: string;
}

export interface InvokerDeps {
  store: LambdaStore;
  pools: InvokePools;
  credentials: CredentialStore;
  /** Where this Stratus listens (ServiceDeps.endpoint). */
  endpoint?: { url: string | undefined };
}

export class FunctionInvoker {
  readonly #deps: InvokerDeps;

  constructor(deps: InvokerDeps) {
    this.#deps = deps;
  }

  /** A RequestContext for work Stratus does on an account's behalf. */
  contextFor(accountId: string, region: string, requestId: string = randomUUID()): RequestContext {
    const clock = this.#deps.store.clock;
    return { requestId, accountId, region, accessKeyId: undefined, receivedAt: clock.now(), clock };
  }

  /**
   * Resolves (aliases route by weight) and runs one invocation. Throws what Invoke would throw
   * (ResourceNotFoundException, ResourceConflictException while Pending, TooManyRequestsException);
   * everything the function itself does comes back as the InvokeResult.
   */
  async invoke(request: InProcessInvoke): Promise<InProcessResult> {
    const requestId = request.requestId ?? randomUUID();
    const context = this.contextFor(request.accountId, request.region, requestId);
    const { store } = this.#deps;
    const resolved = await store.resolve(context, request.functionName, request.qualifier, store.storage, {
      route: true,
    });
    if (store.nowMs() < resolved.record.activeAtMs) throw functionPending();
    const result = await this.invokeResolved(resolved, request.payload, {
      requestId,
      endpointUrl: request.endpointUrl,
      accountId: request.accountId,
      ...(request.clientContext !== undefined ? { clientContext: request.clientContext } : {}),
    });
    return { resolved, result, requestId };
  }

  /** Runs an already resolved function version. */
  invokeResolved(
    resolved: ResolvedFunction,
    payload: Buffer,
    options: { requestId: string; endpointUrl: string; accountId: string; clientContext?: string },
  ): Promise<InvokeResult> {
    const target: InvokeTarget = {
      resolved,
      endpointUrl: this.#deps.endpoint?.url ?? options.endpointUrl,
      credentials: accountCredentials(this.#deps.credentials, options.accountId),
    };
    const qualifier = resolved.alias ?? (resolved.version === LATEST ? undefined : resolved.version);
    const invokeOptions: InvokeOptions = {
      requestId: options.requestId,
      invokedFunctionArn:
        qualifier === undefined ? resolved.functionArn : `${resolved.functionArn}:${qualifier}`,
      ...(options.clientContext !== undefined ? { clientContext: options.clientContext } : {}),
    };
    return this.#deps.pools.invoke(target, payload, invokeOptions);
  }
}

/**
 * The key pair an account's functions call Stratus back with: a key pair the credential store holds
 * for that account, else the 12-digit account id with the secret `test` (which Stratus accepts for any
 * 12-digit key), or test/test for the default account.
 */
export function accountCredentials(
  store: CredentialStore,
  accountId: string,
): { accessKeyId: string; secretAccessKey: string } {
  if (accountId === ROOT_CREDENTIAL.accountId) {
    return { accessKeyId: ROOT_CREDENTIAL.accessKeyId, secretAccessKey: ROOT_CREDENTIAL.secretAccessKey };
  }
  const known = store.lookup(accountId);
  if (known) return { accessKeyId: known.accessKeyId, secretAccessKey: known.secretAccessKey };
  return { accessKeyId: accountId, secretAccessKey: "test" };
}
