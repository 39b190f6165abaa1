/**
 * Calls another service's operation in-process, with the input shape of the AWS API (what an SDK
 * would send) and without HTTP: CloudFormation's resource providers create functions, tables and APIs
 * this way, so each resource gets exactly the validation and errors of the service's own operation.
 *
 * The input is bound as the edge binds a request: for restJson services, members the model locates
 * in the URI, query string or headers go there and every other member into the JSON body; for awsJson
 * services the whole input is the body. Members are named as on the wire: PascalCase for Lambda,
 * camelCase for both API Gateways (their JSON bodies), as each service's control plane reads them. restXml (S3) and awsQuery take `callRaw`: the caller writes
 * the body itself.
 *
 * An operation's AwsError is thrown as it is, so the caller can tell NotFound from a real failure.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Clock } from "../aws/clock.ts";
import type { RequestContext } from "../aws/context.ts";
import { AwsError } from "../aws/errors.ts";
import { uuid } from "../aws/ids.ts";
import type { ModelName, ServiceModel } from "../aws/models/index.ts";
import type { ServiceDefinition, ServiceRequest, ServiceResponse } from "./service.ts";

/** Who calls: the account and region the resource belongs to, and the caller's key if any. */
export interface CallerIdentity {
  readonly accountId: string;
  readonly region: string;
  readonly accessKeyId?: string;
}

export interface RawCall {
  readonly method?: string;
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | string[]>>;
  readonly headers?: IncomingHttpHeaders;
  readonly body?: Buffer | string;
}

export interface ServiceCaller {
  /**
   * Runs `operation` of an awsJson or restJson service with SDK-shaped `input` and returns the
   * operation's JSON output (restJson: the body; header-bound output members are in `callRaw`'s answer).
   */
  call(
    service: ModelName,
    operation: string,
    input?: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  /** Runs `operation` with a request the caller binds itself (S3's XML bodies); the raw answer. */
  callRaw(service: ModelName, operation: string, request: RawCall): Promise<ServiceResponse>;
}

/** `definitions` is read at call time: the caller is made before the list it calls into is complete. */
export function createServiceCaller(
  definitions: () => readonly ServiceDefinition[],
  clock: Clock,
  identity: () => CallerIdentity,
  /** The server's own `http://host:port` once it listens: the Host an in-process request comes to. */
  endpointUrl: () => string | undefined = () => undefined,
): ServiceCaller {
  const definitionOf = (id: ModelName): ServiceDefinition => {
    const definition = definitions().find((candidate) => candidate.id === id);
    if (!definition) throw new Error(`in-process call to unregistered service ${id}`);
    return definition;
  };
  const contextFor = (who: CallerIdentity): RequestContext => ({
    requestId: uuid(),
    accountId: who.accountId,
    region: who.region,
    accessKeyId: who.accessKeyId,
    receivedAt: clock.now(),
    clock,
  });
  const run = (
    definition: ServiceDefinition,
    operation: string,
    request: Omit<ServiceRequest, "context">,
  ) => {
    const handler = definition.operations[operation];
    // Operations that build URLs (Function URLs) or remember where Stratus answers (event source
    // mappings) read the Host header, as they would of a request that came over HTTP.
    const url = endpointUrl();
    if (url !== undefined && request.headers.host === undefined) {
      request = { ...request, headers: { ...request.headers, host: new URL(url).host } };
    }
    if (!handler) {
      throw new AwsError(
        "InternalFailure",
        `${definition.id} does not implement ${operation} in Stratus yet`,
        501,
      );
    }
    return handler({ ...request, context: contextFor(identity()) });
  };

  return {
    async call(service, operation, input = {}) {
      const definition = definitionOf(service);
      const binding = definition.model.operations[operation];
      if (!binding) throw new Error(`${service} has no operation ${operation}`);
      const request =
        definition.protocol === "restJson1"
          ? restJsonRequest(definition.model, operation, input)
          : jsonRequest(definition, operation, input);
      const response = await run(definition, operation, { operation, ...request });
      const body = response.body;
      if (body === undefined || body === null || body === "") return {};
      if (Buffer.isBuffer(body) || typeof body === "string") {
        return JSON.parse(body.toString()) as Record<string, unknown>;
      }
      return body as Record<string, unknown>;
    },
    callRaw(service, operation, raw) {
      const definition = definitionOf(service);
      const binding = definition.model.operations[operation];
      if (!binding) throw new Error(`${service} has no operation ${operation}`);
      const query = new Map<string, string[]>();
      for (const [key, value] of Object.entries(raw.query ?? {})) {
        query.set(key, Array.isArray(value) ? value : [value]);
      }
      const pathParams = raw.pathParams ?? {};
      return run(definition, operation, {
        operation,
        method: raw.method ?? binding.method,
        path: fillUri(binding.requestUri, pathParams),
        pathParams,
        query,
        headers: raw.headers ?? {},
        body: typeof raw.body === "string" ? Buffer.from(raw.body) : (raw.body ?? Buffer.alloc(0)),
      });
    },
  };
}

function jsonRequest(definition: ServiceDefinition, operation: string, input: Record<string, unknown>) {
  const target = definition.model.metadata.targetPrefix;
  return {
    method: "POST",
    path: "/",
    pathParams: {},
    query: new Map<string, string[]>(),
    headers: target ? { "x-amz-target": `${target}.${operation}` } : {},
    body: Buffer.from(JSON.stringify(input)),
  };
}

function restJsonRequest(model: ServiceModel, operation: string, input: Record<string, unknown>) {
  const binding = model.operations[operation];
  const shapeName = binding?.input;
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  const members = shape?.type === "structure" ? shape.members : {};
  const pathParams: Record<string, string> = {};
  const query = new Map<string, string[]>();
  const headers: IncomingHttpHeaders = {};
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    // API Gateway V2's model names members in PascalCase but its wire (and control plane) in
    // camelCase: callers pass the wire's names, found here either way.
    const member = members[name] ?? members[name.charAt(0).toUpperCase() + name.slice(1)];
    const key = member?.locationName ?? name;
    switch (member?.location) {
      case "uri":
        pathParams[key] = String(value);
        break;
      case "querystring":
        query.set(key, Array.isArray(value) ? value.map(String) : [String(value)]);
        break;
      case "header":
        headers[key.toLowerCase()] = String(value);
        break;
      default:
        body[name] = value;
    }
  }
  // The operation's fixed query (`?versions`) is part of its URI; routing already happened, so only
  // the path matters here.
  const path = fillUri((binding?.requestUri ?? "/").split("?")[0] ?? "/", pathParams);
  return {
    method: binding?.method ?? "POST",
    path,
    pathParams,
    query,
    headers,
    body: Buffer.from(Object.keys(body).length === 0 ? "" : JSON.stringify(body)),
  };
}

function fillUri(template: string, params: Readonly<Record<string, string>>): string {
  return template.split("?")[0]!.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => params[name] ?? "");
}
