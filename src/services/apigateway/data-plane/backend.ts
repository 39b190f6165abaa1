/** REST API invoke URLs, and the operations that run the data plane (TestInvokeMethod): to be built. */
import type { ExecuteApiBackend } from "../../execute-api/data-plane.ts";
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import type { RestApiSnapshots } from "../snapshot.ts";

export interface RestApiDataPlane {
  backend: ExecuteApiBackend;
  /** TestInvokeMethod, TestInvokeAuthorizer. */
  operations: Record<string, OperationHandler>;
}

export function restApiDataPlane(_parts: ApiGatewayParts, _snapshots: RestApiSnapshots): RestApiDataPlane {
  return {
    backend: {
      handle: async () => ({
        status: 403,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: "Forbidden" }),
      }),
    },
    operations: {},
  };
}
