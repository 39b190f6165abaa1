/**
 * The custom resource and wait condition handle providers driven directly: the presigned
 * ResponseURL accepts a PUT, the timeout path with a short ServiceTimeout, responses to another
 * request ignored, unusable ones refused, FAILED responses in CloudFormation's words (Python's
 * cfnresponse with its own reason), refusals (SNS tokens, a changed ServiceToken, a bad
 * ServiceTimeout, no server address, a Delete whose function is gone) and the WaitConditionHandle.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeleteFunctionCommand } from "@aws-sdk/client-lambda";
import { createProviderContext } from "../../../../src/services/cloudformation/engine/provider-context.ts";
import { cloudFormationProviders } from "../../../../src/services/cloudformation/providers/cloudformation/index.ts";
import {
  ensureResponseBucket,
  presignedUrl,
  readObject,
  responseBucketName,
} from "../../../../src/services/cloudformation/providers/cloudformation/response-bucket.ts";
import { lambdaProviders } from "../../../../src/services/cloudformation/providers/lambda/index.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { ROLE } from "../../lambda/helpers.ts";

const custom = cloudFormationProviders["AWS::CloudFormation::CustomResource"]!;
const handle = cloudFormationProviders["AWS::CloudFormation::WaitConditionHandle"]!;
const waitCondition = cloudFormationProviders["AWS::CloudFormation::WaitCondition"]!;
const lambda = lambdaProviders["AWS::Lambda::Function"]!;

describe("AWS::CloudFormation::CustomResource provider", () => {
  const stratus = useStratus();

  /** A function made by the Lambda provider from inline source; its ARN. */
  async function inlineFunction(logicalId: string, runtime: string, source: string): Promise<string> {
    const context = providerContextFor(stratus, "AWS::Lambda::Function", logicalId);
    const created = await lambda.create(context, {
      Runtime: runtime,
      Handler: "index.handler",
      Role: ROLE,
      Timeout: 30,
      Code: { ZipFile: source },
    });
    return String(created.attributes.Arn);
  }

  it("gives a presigned PUT URL that Stratus's S3 accepts", async () => {
    const context = providerContextFor(stratus, "Custom::Probe", "Probe");
    const bucket = await ensureResponseBucket(context);
    assert.equal(bucket, `cloudformation-custom-resource-responses-000000000000-${stratus.region}`);
    const url = await presignedUrl(context, bucket, "probe/key-1");
    assert.match(url, /X-Amz-Signature=[0-9a-f]{64}/);
    const put = await fetch(url, { method: "PUT", body: '{"ok":true}', headers: { "content-type": "" } });
    assert.equal(put.status, 200, await put.text());
    assert.equal((await readObject(context, bucket, "probe/key-1"))?.toString(), '{"ok":true}');
    // The signature covers the key: the same query on another key is refused.
    const other = await fetch(url.replace("key-1", "key-2"), { method: "PUT", body: "x" });
    assert.equal(other.status, 403);
  });

  it("signs the URL with the key of the stack's account when it is not the default one", async () => {
    const accountId = "123456789012";
    const region = stratus.region;
    const context = createProviderContext({
      call: stratus.server.services.callerFor({ accountId, region, accessKeyId: accountId }),
      storage: stratus.server.storage,
      clock: { now: () => new Date() },
      accountId,
      region,
      stackName: "other-account",
      stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/other-account/1`,
      logicalId: "Probe",
      type: "Custom::Probe",
      endpointUrl: () => stratus.url,
    });
    const bucket = await ensureResponseBucket(context);
    assert.equal(bucket, `cloudformation-custom-resource-responses-${accountId}-${region}`);
    const url = await presignedUrl(context, bucket, "probe");
    assert.match(url, /X-Amz-Credential=123456789012%2F/);
    const put = await fetch(url, { method: "PUT", body: "answer" });
    assert.equal(put.status, 200, await put.text());
    assert.equal((await readObject(context, bucket, "probe"))?.toString(), "answer");
  });

  it("fails with CloudFormation's timeout words when no response comes within ServiceTimeout", async () => {
    const token = await inlineFunction("Silent", "nodejs20.x", "exports.handler = async () => 'no answer';");
    const context = providerContextFor(stratus, "Custom::Silent", "SilentResource");
    const started = Date.now();
    await assert.rejects(
      custom.create(context, { ServiceToken: token, ServiceTimeout: "2" }),
      (error: Error) => {
        assert.match(
          error.message,
          /^CloudFormation did not receive a response from your Custom Resource\. Please check your logs for requestId \[[0-9a-f-]{36}\]\. If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version\.$/,
        );
        return true;
      },
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 2000 && elapsed < 10_000, `waited ${elapsed} ms`);
  });

  it("ignores a response to another request; refuses one without PhysicalResourceId, too long, or of unknown status", async () => {
    const token = await inlineFunction(
      "Raw",
      "nodejs20.x",
      [
        "exports.handler = async (event) => {",
        "  const mode = event.ResourceProperties.Mode;",
        "  const body = { Status: 'SUCCESS', PhysicalResourceId: 'x', StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };",
        "  if (mode === 'other') body.RequestId = 'someone-else';",
        "  if (mode === 'no-id') delete body.PhysicalResourceId;",
        "  if (mode === 'long') body.Data = { Blob: 'x'.repeat(5000) };",
        "  if (mode === 'status') body.Status = 'MAYBE';",
        "  await fetch(event.ResponseURL, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': '' } });",
        "};",
      ].join("\n"),
    );
    const context = providerContextFor(stratus, "Custom::Raw", "RawResource");
    await assert.rejects(
      custom.create(context, { ServiceToken: token, ServiceTimeout: 2, Mode: "other" }),
      /did not receive a response/,
    );
    await assert.rejects(
      custom.create(context, { ServiceToken: token, Mode: "no-id" }),
      /^Error: Invalid PhysicalResourceId \(RequestId: [0-9a-f-]{36}\)$/,
    );
    await assert.rejects(
      custom.create(context, { ServiceToken: token, Mode: "long" }),
      /^Error: Response object is too long\. \(RequestId: /,
    );
    await assert.rejects(
      custom.create(context, { ServiceToken: token, Mode: "status" }),
      /^Error: Invalid response status \[MAYBE\] from custom resource/,
    );
    assert.equal((await custom.create(context, { ServiceToken: token, Mode: "ok" })).physicalId, "x");
  });

  it("reads Python cfnresponse answers: Data as attributes, FAILED with its reason", async () => {
    const token = await inlineFunction(
      "PyResource",
      "python3.12",
      [
        "import cfnresponse",
        "def handler(event, context):",
        "    props = event['ResourceProperties']",
        "    if props.get('Fail') == 'yes':",
        "        cfnresponse.send(event, context, cfnresponse.FAILED, {}, 'py-id', reason='python says no')",
        "    else:",
        "        cfnresponse.send(event, context, cfnresponse.SUCCESS, {'Sum': int(props['A']) + int(props['B']), 'Type': event['ResourceType']}, 'py-' + event['RequestType'])",
      ].join("\n"),
    );
    const context = providerContextFor(stratus, "Custom::Adder", "Adder");
    const created = await custom.create(context, { ServiceToken: token, A: 2, B: "3" });
    assert.equal(created.physicalId, "py-Create");
    assert.deepEqual(created.attributes, { Sum: 5, Type: "Custom::Adder" });
    await assert.rejects(
      custom.create(context, { ServiceToken: token, Fail: "yes" }),
      /^Error: Received response status \[FAILED\] from custom resource\. Message returned: python says no \(RequestId: [0-9a-f-]{36}\)$/,
    );
    // Update keeps the id the function returns; Delete with FAILED fails the delete.
    const current = { ...created, properties: { ServiceToken: token, A: 2, B: "3" } };
    const updated = await custom.update!(context, current, { ServiceToken: token, A: 5, B: 5 });
    assert.equal(updated.physicalId, "py-Update");
    assert.equal(updated.attributes.Sum, 10);
    await assert.rejects(
      custom.delete(context, { ...updated, properties: { ServiceToken: token, Fail: "yes" } }),
      /Message returned: python says no/,
    );
    await custom.delete(context, { ...updated, properties: { ServiceToken: token, A: 1, B: 1 } });
  });

  it("refuses SNS tokens, a changed ServiceToken, a bad ServiceTimeout and a missing server address", async () => {
    const context = providerContextFor(stratus, "Custom::Thing", "Thing");
    await assert.rejects(
      custom.create(context, { ServiceToken: "arn:aws:sns:us-east-1:000000000000:topic" }),
      /Stratus has no SNS yet/,
    );
    await assert.rejects(
      custom.create(context, {}),
      /^Error: Properties validation failed for resource Thing with message: #: required key \[ServiceToken\] not found$/,
    );
    for (const bad of ["0", "3601", "soon"]) {
      await assert.rejects(
        custom.create(context, {
          ServiceToken: "arn:aws:lambda:us-east-1:000000000000:function:f",
          ServiceTimeout: bad,
        }),
        /ServiceTimeout must be an integer from 1 to 3600/,
      );
    }
    const current = { physicalId: "p", attributes: {}, properties: { ServiceToken: "arn:a" } };
    await assert.rejects(
      custom.update!(context, current, { ServiceToken: "arn:b" }),
      /^Error: Modifying service token is not allowed\.$/,
    );
    const offline = { ...context, endpointUrl: () => undefined };
    await assert.rejects(
      custom.create(offline, { ServiceToken: "arn:aws:lambda:us-east-1:000000000000:function:f" }),
      /server's own address is unknown/,
    );
  });

  it("fails a Delete at once when the function is gone", async () => {
    const token = await inlineFunction("Gone", "nodejs20.x", "exports.handler = async () => {};");
    await stratus.lambda().send(new DeleteFunctionCommand({ FunctionName: token }));
    const context = providerContextFor(stratus, "Custom::Gone", "GoneResource");
    const started = Date.now();
    await assert.rejects(
      custom.delete(context, { physicalId: "p", attributes: {}, properties: { ServiceToken: token } }),
      /Cannot delete custom resource GoneResource: its ServiceToken function .* no longer exists/,
    );
    assert.ok(Date.now() - started < 5000);
  });
});

describe("AWS::CloudFormation::WaitConditionHandle and WaitCondition providers", () => {
  const stratus = useStratus();

  it("a handle's Ref is a presigned URL that takes a signal; delete removes it", async () => {
    const context = providerContextFor(stratus, "AWS::CloudFormation::WaitConditionHandle", "Handle");
    const created = await handle.create(context, {});
    const url = new URL(created.physicalId);
    assert.equal(url.origin, stratus.url);
    const signal = JSON.stringify({ Status: "SUCCESS", UniqueId: "1", Data: "d", Reason: "r" });
    const put = await fetch(url, { method: "PUT", body: signal });
    assert.equal(put.status, 200, await put.text());
    const bucket = responseBucketName(context);
    const key = decodeURIComponent(url.pathname.slice(bucket.length + 2));
    assert.equal((await readObject(context, bucket, key))?.toString(), signal);
    const current = { ...created, properties: {} };
    assert.equal((await handle.update!(context, current, {})).physicalId, created.physicalId);
    await handle.delete(context, current);
    assert.equal(await readObject(context, bucket, key), undefined);
  });

  it("a WaitCondition fails honestly", async () => {
    const context = providerContextFor(stratus, "AWS::CloudFormation::WaitCondition", "Wait");
    await assert.rejects(
      waitCondition.create(context, { Handle: "h", Timeout: "10" }),
      /Stratus does not support AWS::CloudFormation::WaitCondition yet/,
    );
  });
});
