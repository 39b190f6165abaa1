/**
 * The `execute-api` data plane: API Gateway invoke URLs, for REST APIs (v1) and HTTP/WebSocket APIs
 * (v2) alike.
 *
 *   http://{apiId}.execute-api.localhost:4566/{stage}/{path}         ($default stage: no stage prefix)
 *   http://127.0.0.1:4566/_aws/execute-api/{apiId}/{stage}/{path}
 *
 * The API id names the owner and the kind of API (api-ids.ts); the request goes to the backend that
 * serves that kind. An id no API has gets API Gateway's own answer for an unknown host.
 */
import type { DataPlane, DataPlaneRequest, DataPlaneResponse } from "../../edge/data-plane.ts";
import type { KvReader } from "../../storage/kv.ts";
import { type ApiIdOwner, type ApiKind, lookupApiId } from "./api-ids.ts";
import { addContentLength } from "./headers.ts";

export interface ExecuteApiBackend {
  /**
   * Answers one request for an API of this backend's kind, owned by `owner`; the answer's headers
   * object is its own (this plane adds Content-Length to it).
   */
  handle(request: DataPlaneRequest, owner: ApiIdOwner): Promise<DataPlaneResponse>;
}

/** API Gateway's payload limit (10 MB, API Gateway quotas). */
const PAYLOAD_BYTES_MAX = 10 * 1024 * 1024;

export function executeApiDataPlane(
  storage: KvReader,
  backends: Partial<Record<ApiKind, ExecuteApiBackend>>,
): DataPlane {
  return {
    name: "API Gateway invoke URL",
    label: "execute-api",
    bodyBytesMax: PAYLOAD_BYTES_MAX,
    bodyTooLarge: () => json(413, { message: "Request Too Long" }),
    async handle(request) {
      const owner = await lookupApiId(storage, request.id);
      const backend = owner === undefined ? undefined : backends[owner.kind];
      // An unknown API id is an unknown host name on AWS: CloudFront-style 403 with this body.
      if (owner === undefined || backend === undefined) return json(403, { message: "Forbidden" });
      if (request.region !== undefined && request.region !== owner.region) {
        return json(403, { message: "Forbidden" });
      }
      const response = await backend.handle(request, owner);
      addContentLength(response.headers, response.body);
      return response;
    },
  };
}

function json(status: number, body: unknown): DataPlaneResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
