/**
 * ImportApi (PUT /v2/apis, 201), ReimportApi (PUT /v2/apis/{apiId}, 201) and ExportApi
 * (GET /v2/apis/{apiId}/exports/{specification}): OpenAPI 3.0 in (openapi-import.ts) and out
 * (openapi-export.ts). An import creates the API, its authorizers, one integration per route and the
 * routes, but no stage (as AWS does); a reimport replaces routes, integrations and authorizers and then
 * redeploys auto-deploy stages. ExportApi answers the document itself as the body (JSON or YAML); with
 * StageName it exports what that stage serves, else the API as it is now.
 *
 * ## Gaps
 * - Basepath is ignored; warnings are few.
 */

import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import { openApiYaml } from "../../execute-api/openapi-text.ts";
import type { ServiceRequest } from "../../service.ts";
import type { AuthorizerRecord, IntegrationRecord, RouteRecord } from "../snapshot.ts";
import { corsOf, insertApi } from "./apis.ts";
import { newAuthorizer } from "./authorizers.ts";
import { autoDeploy } from "./deploy.ts";
import { badRequest, stageNotFound } from "./errors.ts";
import { optString } from "./input.ts";
import { newIntegration } from "./integrations.ts";
import { exportOpenApi } from "./openapi-export.ts";
import { type ImportedApi, parseDocument, readOpenApi } from "./openapi-import.ts";
import {
  apiAnswer,
  apiEndpoint,
  nowIso,
  requireApi,
  type StoredApi,
  type StoredDeployment,
  type StoredStage,
  scopeOf,
} from "./records.ts";
import { newRoute, validateRoute } from "./routes.ts";
import { type ApiScope, deleteChild, getChild, listChildren, putApi, putChild } from "./store.ts";

type Body = Record<string, unknown> & {
  ApiId?: string;
  FailOnWarnings?: boolean;
  Specification?: string;
  OutputType?: string;
  StageName?: string;
  ExportVersion?: string;
  IncludeExtensions?: boolean;
};

function readBody(body: Body): ImportedApi {
  const text = optString(body, "body");
  if (text === undefined) throw badRequest("Body is required");
  const imported = readOpenApi(parseDocument(text));
  if (body.FailOnWarnings === true && imported.warnings.length > 0) {
    throw badRequest(`Warnings found during import:\n\t${imported.warnings.join("\n\t")}`);
  }
  return imported;
}

/** Writes the imported authorizers, integrations and routes under the API. */
async function writeImported(
  tx: KvTransaction,
  scope: ApiScope,
  api: StoredApi,
  imported: ImportedApi,
): Promise<void> {
  const authorizerIds: Record<string, string> = {};
  for (const [name, members] of Object.entries(imported.authorizers)) {
    const authorizer = newAuthorizer(members, api);
    putChild(tx, scope, "authorizer", authorizer.authorizerId, authorizer);
    authorizerIds[name] = authorizer.authorizerId;
  }
  for (const members of imported.unusedIntegrations) {
    const record = newIntegration(members, api);
    putChild(tx, scope, "integration", record.integrationId, record);
  }
  for (const { route, integration, authorizerName } of imported.routes) {
    let target: string | undefined;
    if (integration !== undefined) {
      const record = newIntegration(integration, api);
      putChild(tx, scope, "integration", record.integrationId, record);
      target = `integrations/${record.integrationId}`;
    }
    const authorizerId = authorizerName === undefined ? undefined : authorizerIds[authorizerName];
    const record = await validateRoute(
      tx,
      scope,
      api,
      newRoute({
        ...route,
        ...(target === undefined ? {} : { target }),
        ...(authorizerId === undefined ? {} : { authorizerId }),
      }),
    );
    putChild(tx, scope, "route", record.routeId, record);
  }
}

function withWarnings(answer: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  return warnings.length === 0 ? answer : { ...answer, warnings };
}

export function importExportOperations(store: KvStore) {
  return {
    ImportApi: async (
      body: Body,
      context: RequestContext,
      request: ServiceRequest,
    ): Promise<RestJsonResult> => {
      const imported = readBody(body);
      const cors = corsOf(imported.api.corsConfiguration as Record<string, unknown> | undefined);
      const api = await store.transaction(async (tx) => {
        const created = await insertApi(tx, context, request, {
          ...imported.api,
          ...(cors === undefined ? {} : { corsConfiguration: cors }),
          protocolType: "HTTP",
          tags: {},
        });
        await writeImported(tx, scopeOf(context, created.apiId), created, imported);
        return created;
      });
      return { status: 201, body: withWarnings(apiAnswer(api, request), imported.warnings) };
    },
    ReimportApi: async (
      body: Body,
      context: RequestContext,
      request: ServiceRequest,
    ): Promise<RestJsonResult> => {
      const imported = readBody(body);
      const scope = scopeOf(context, body.ApiId ?? "");
      const cors = corsOf(imported.api.corsConfiguration as Record<string, unknown> | undefined);
      const api = await store.transaction(async (tx) => {
        const current = await requireApi(tx, scope);
        if (current.protocolType !== "HTTP")
          throw badRequest("Only HTTP APIs can be reimported from OpenAPI");
        const { corsConfiguration: _old, ...rest } = current;
        const updated: StoredApi = {
          ...rest,
          ...imported.api,
          ...(cors === undefined ? {} : { corsConfiguration: cors }),
        };
        putApi(tx, scope, updated);
        for (const route of await listChildren<RouteRecord>(tx, scope, "route")) {
          deleteChild(tx, scope, "route", route.routeId);
        }
        for (const integration of await listChildren<IntegrationRecord>(tx, scope, "integration")) {
          deleteChild(tx, scope, "integration", integration.integrationId);
        }
        for (const authorizer of await listChildren<AuthorizerRecord>(tx, scope, "authorizer")) {
          deleteChild(tx, scope, "authorizer", authorizer.authorizerId);
        }
        await writeImported(tx, scope, updated, imported);
        await autoDeploy(tx, scope, nowIso(context));
        return updated;
      });
      return { status: 201, body: withWarnings(apiAnswer(api, request), imported.warnings) };
    },
    ExportApi: async (
      body: Body,
      context: RequestContext,
      request: ServiceRequest,
    ): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId ?? "");
      const api = await requireApi(store, scope);
      if (body.Specification !== "OAS30") {
        throw badRequest(`Invalid specification specified: ${String(body.Specification)}. Supported: OAS30`);
      }
      const outputType = body.OutputType;
      if (outputType !== "JSON" && outputType !== "YAML") {
        throw badRequest(`Invalid output type specified: ${String(outputType)}. Supported: JSON, YAML`);
      }
      if (body.ExportVersion !== undefined && body.ExportVersion !== "1.0") {
        throw badRequest(`Invalid export version specified: ${body.ExportVersion}. Supported: 1.0`);
      }
      let routes: RouteRecord[];
      let integrations: Record<string, IntegrationRecord> = {};
      let authorizers: Record<string, AuthorizerRecord> = {};
      if (body.StageName !== undefined) {
        const stage = await getChild<StoredStage>(store, scope, "stage", body.StageName);
        if (stage === undefined) throw stageNotFound(body.StageName);
        const deployment =
          stage.deploymentId === undefined
            ? undefined
            : await getChild<StoredDeployment>(store, scope, "deployment", stage.deploymentId);
        routes = deployment?.snapshot.routes ?? [];
        integrations = deployment?.snapshot.integrations ?? {};
        authorizers = deployment?.snapshot.authorizers ?? {};
      } else {
        routes = await listChildren<RouteRecord>(store, scope, "route");
        for (const i of await listChildren<IntegrationRecord>(store, scope, "integration"))
          integrations[i.integrationId] = i;
        for (const a of await listChildren<AuthorizerRecord>(store, scope, "authorizer"))
          authorizers[a.authorizerId] = a;
      }
      const document = exportOpenApi({
        api,
        endpoint: apiEndpoint(request, api.apiId, api.apiEndpoint),
        ...(body.StageName === undefined ? {} : { stageName: body.StageName }),
        routes,
        integrations,
        authorizers,
        includeExtensions: body.IncludeExtensions !== false,
      });
      const yaml = outputType === "YAML";
      return {
        headers: { "Content-Type": yaml ? "application/yaml" : "application/json" },
        body: Buffer.from(yaml ? openApiYaml(document) : JSON.stringify(document)),
      };
    },
  };
}
