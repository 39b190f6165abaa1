/** HTTP API invoke URLs: to be built. */
import type { ExecuteApiBackend } from "../../execute-api/data-plane.ts";
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { HttpApiSnapshots } from "../snapshot.ts";

export function httpApiBackend(_parts: ApiGatewayParts, _snapshots: HttpApiSnapshots): ExecuteApiBackend {
  return {
    handle: async () => ({
      status: 404,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Not Found" }),
    }),
  };
}
