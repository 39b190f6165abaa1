/**
 * AWS::Lambda::Permission: AddPermission with a statement id CloudFormation generates
 * (`{stack}-{logicalId}-{SUFFIX}`, within AddPermission's 100 characters); Ref and Fn::GetAtt Id are
 * that statement id. FunctionName may be a name or an ARN, qualified to put the statement on a
 * version's or an alias's policy. Every property is create-only in the resource's schema, so any change
 * adds a new statement and removes the old one. Delete is RemovePermission; a function or statement
 * already gone is success.
 */

import { booleanValue, defined, requireProperties, stringValue } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound } from "./service-errors.ts";

/** AddPermission's limit on StatementId. */
const STATEMENT_ID_MAX = 100;

export const permissionProvider: ResourceProvider = {
  replaceOn: [
    "FunctionName",
    "Action",
    "Principal",
    "SourceArn",
    "SourceAccount",
    "EventSourceToken",
    "PrincipalOrgID",
    "FunctionUrlAuthType",
    "InvokedViaFunctionUrl",
  ],
  async create(context, properties) {
    requireProperties(context, properties, ["FunctionName", "Action", "Principal"]);
    const statementId = context.physicalName({ maxLength: STATEMENT_ID_MAX });
    await context.call.call(
      "lambda",
      "AddPermission",
      defined({
        FunctionName: stringValue(context, properties.FunctionName, "FunctionName"),
        StatementId: statementId,
        Action: stringValue(context, properties.Action, "Action"),
        Principal: stringValue(context, properties.Principal, "Principal"),
        SourceArn: stringValue(context, properties.SourceArn, "SourceArn"),
        SourceAccount: stringValue(context, properties.SourceAccount, "SourceAccount"),
        EventSourceToken: stringValue(context, properties.EventSourceToken, "EventSourceToken"),
        PrincipalOrgID: stringValue(context, properties.PrincipalOrgID, "PrincipalOrgID"),
        FunctionUrlAuthType: stringValue(context, properties.FunctionUrlAuthType, "FunctionUrlAuthType"),
        InvokedViaFunctionUrl: booleanValue(
          context,
          properties.InvokedViaFunctionUrl,
          "InvokedViaFunctionUrl",
        ),
      }),
    );
    return { physicalId: statementId, attributes: { Id: statementId } };
  },
  async delete(context, current) {
    const functionName = stringValue(context, current.properties.FunctionName, "FunctionName");
    if (functionName === undefined) return;
    await ignoringNotFound(() =>
      context.call.call("lambda", "RemovePermission", {
        FunctionName: functionName,
        StatementId: current.physicalId,
      }),
    );
  },
};
