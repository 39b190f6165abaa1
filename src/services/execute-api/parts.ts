/** What both API Gateway services (REST APIs and HTTP APIs) are built from. */
import type { ServiceModel } from "../../aws/models/index.ts";
import type { LambdaService } from "../lambda/index.ts";
import type { LogsStore } from "../logs/store.ts";
import type { ServiceDeps } from "../service.ts";

export interface ApiGatewayParts {
  deps: ServiceDeps;
  model: ServiceModel;
  /** Lambda integrations and authorizers run through `lambda.invoker`. */
  lambda: LambdaService;
  /** Access logs go to CloudWatch Logs. */
  logs: LogsStore;
}
