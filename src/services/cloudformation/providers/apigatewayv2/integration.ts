/**
 * AWS::ApiGatewayV2::Integration: CreateIntegration; update in place through UpdateIntegration with
 * the template's members (ApiId is create-only). Ref is the integration id; GetAtt IntegrationId.
 */
import {
  optInt,
  optObject,
  optString,
  optStringMap,
  type Properties,
  reqString,
} from "../apigateway/properties.ts";
import { defined } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { apiChildProvider } from "./api-child.ts";

/** ResponseParameters {"200": {"ResponseParameters": [{Destination, Source}]}} → {"200": {dest: src}}. */
function responseParameters(props: Properties): Properties | undefined {
  const map = optObject(props, "ResponseParameters");
  if (map === undefined) return undefined;
  const out: Properties = {};
  for (const [status, value] of Object.entries(map)) {
    const entries = ((value ?? {}) as Properties).ResponseParameters;
    const mapping: Record<string, string> = {};
    if (Array.isArray(entries)) {
      for (const entry of entries as Properties[]) {
        const destination = optString(entry, "Destination");
        const source = optString(entry, "Source");
        if (destination !== undefined && source !== undefined) mapping[destination] = source;
      }
    } else Object.assign(mapping, optStringMap({ value }, "value") ?? {});
    out[status] = mapping;
  }
  return out;
}

function integrationMembers(props: Properties): Properties {
  const tls = optObject(props, "TlsConfig");
  return defined({
    integrationType: reqString(props, "IntegrationType"),
    integrationUri: optString(props, "IntegrationUri"),
    integrationMethod: optString(props, "IntegrationMethod"),
    integrationSubtype: optString(props, "IntegrationSubtype"),
    payloadFormatVersion: optString(props, "PayloadFormatVersion"),
    connectionId: optString(props, "ConnectionId"),
    connectionType: optString(props, "ConnectionType"),
    contentHandlingStrategy: optString(props, "ContentHandlingStrategy"),
    credentialsArn: optString(props, "CredentialsArn"),
    description: optString(props, "Description"),
    passthroughBehavior: optString(props, "PassthroughBehavior"),
    requestParameters: optStringMap(props, "RequestParameters"),
    requestTemplates: optStringMap(props, "RequestTemplates"),
    responseParameters: responseParameters(props),
    templateSelectionExpression: optString(props, "TemplateSelectionExpression"),
    timeoutInMillis: optInt(props, "TimeoutInMillis"),
    tlsConfig:
      tls === undefined ? undefined : defined({ serverNameToVerify: optString(tls, "ServerNameToVerify") }),
  });
}

export const integrationProvider: ResourceProvider = apiChildProvider({
  create: "CreateIntegration",
  update: "UpdateIntegration",
  delete: "DeleteIntegration",
  idMember: "integrationId",
  idAttribute: "IntegrationId",
  members: integrationMembers,
});
