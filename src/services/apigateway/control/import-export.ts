/**
 * ImportRestApi (201), PutRestApi (mode overwrite|merge, default merge) and GetExport (the document as
 * the body). Parsing lives in openapi-import.ts, writing in openapi-apply.ts, export in
 * openapi-export.ts.
 *
 * With failonwarnings=true a document that draws warnings (a method without
 * x-amazon-apigateway-integration) is refused; otherwise the warnings are answered in the RestApi's
 * `warnings`, as AWS does.
 *
 * ## Gaps
 * - Imports read JSON or YAML; exports are JSON, or YAML with `Accept: application/yaml`
 *   (execute-api/openapi-text.ts).
 * - The `postman` export type is not supported.
 */

import type { KvStore } from "../../../storage/kv.ts";
import { openApiYaml } from "../../execute-api/openapi-text.ts";
import type { OperationHandler } from "../../service.ts";
import { badRequest, stageNotFound, validationErrors } from "./errors.ts";
import { type ControlRequest, type Json, operation } from "./http.ts";
import { applyImport, type PutMode } from "./openapi-apply.ts";
import { exportDocument } from "./openapi-export.ts";
import { type ImportedApi, parseDocument, readOpenApi } from "./openapi-import.ts";
import { createApiState, restApiAttributes, restApiView } from "./rest-apis.ts";
import { readDeploymentSnapshot, requireApi, writeApi } from "./store.ts";

function importedDocument(request: ControlRequest): ImportedApi {
  const imported = readOpenApi(parseDocument(request.raw));
  if (request.query("failonwarnings") === "true" && imported.warnings.length > 0) {
    throw badRequest(`Warnings found during import:\n\t${imported.warnings.join("\n\t")}`);
  }
  return imported;
}

function withWarnings(view: Json, imported: ImportedApi): Json {
  return imported.warnings.length > 0 ? { ...view, warnings: imported.warnings } : view;
}

export function importExportOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    ImportRestApi: operation(
      async (request) => {
        const { accountId, region } = request.context;
        const imported = importedDocument(request);
        if (imported.title === undefined || imported.title === "") {
          // AWS's answer to a document without info.title (reported by boto3 users).
          throw validationErrors([
            "Value null at 'createRestApiInput.name' failed to satisfy constraint: Member must not be null",
          ]);
        }
        const endpointType = request.query("endpointConfigurationTypes");
        const attributes = restApiAttributes({
          ...imported.attributes,
          endpointConfiguration: endpointType === undefined ? undefined : { types: [endpointType] },
        });
        const state = await createApiState(
          storage,
          accountId,
          region,
          imported.title,
          attributes,
          request.nowSeconds(),
          (created) => applyImport(created, imported, "overwrite"),
        );
        return { status: 201, body: withWarnings(restApiView(state), imported) };
      },
      { rawBody: true },
    ),

    PutRestApi: operation(
      async (request) => {
        const { accountId, region } = request.context;
        const mode = (request.query("mode") ?? "merge") as PutMode;
        if (mode !== "merge" && mode !== "overwrite") {
          throw badRequest(`Invalid mode specified: ${mode}. Valid options are merge,overwrite`);
        }
        const imported = importedDocument(request);
        const state = await storage.transaction(async (tx) => {
          const current = await requireApi(tx, accountId, region, request.label("restapi_id"));
          applyImport(current, imported, mode);
          const attributes = imported.attributes;
          for (const key of ["description", "version", "apiKeySource", "binaryMediaTypes"]) {
            if (attributes[key] !== undefined) current.api[key] = attributes[key];
            else if (mode === "overwrite" && key !== "apiKeySource") delete current.api[key];
          }
          writeApi(tx, accountId, region, current);
          return current;
        });
        return { body: withWarnings(restApiView(state), imported) };
      },
      { rawBody: true },
    ),

    GetExport: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      const stageName = request.label("stage_name");
      const exportType = request.label("export_type");
      if (exportType !== "oas30" && exportType !== "swagger") {
        throw badRequest(`Invalid export type specified: ${exportType}. Stratus exports oas30 and swagger.`);
      }
      const yaml = (request.header("accept") ?? "").includes("yaml");
      const state = await requireApi(storage, accountId, region, apiId);
      const stage = state.stages[stageName];
      if (stage === undefined) throw stageNotFound();
      const snapshot = await readDeploymentSnapshot(storage, accountId, region, apiId, stage.deploymentId);
      if (snapshot === undefined) throw stageNotFound();
      const extensions = new Set(
        (request.query("extensions") ?? "")
          .split(",")
          .map((e) => e.trim())
          .filter((e) => e !== ""),
      );
      const document = exportDocument(snapshot, stageName, region, exportType, extensions);
      return yaml
        ? { headers: { "Content-Type": "application/yaml" }, body: openApiYaml(document) }
        : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(document, null, 2) };
    }),
  };
}
