/**
 * Whether a layer version's resource policy lets another account use it (GetLayerVersion, and a
 * function of that account naming it in Layers): a statement whose principal is `*`, the account id or
 * `arn:aws:iam::ACCOUNT:root`. Stratus knows no organizations, so a statement with an OrganizationId
 * grants nothing.
 */
import type { LayerVersionRecord } from "./layer-store.ts";

export function policyGrants(record: LayerVersionRecord, accountId: string): boolean {
  const root = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):root$/;
  return (record.policy?.statements ?? []).some(
    (s) =>
      s.organizationId === undefined &&
      (s.principal === "*" || s.principal === accountId || root.exec(s.principal)?.[1] === accountId),
  );
}
