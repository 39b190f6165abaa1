/**
 * The `cfn-response` module CloudFormation adds next to inline (Code.ZipFile) function source, so a
 * custom resource's function can answer with `response.send(event, context, status, data,
 * physicalId, noEcho)` (Node.js: `require('cfn-response')`; Python: `import cfnresponse`). AWS adds it
 * only when the source loads it that way ("Use this exact import statement ... CloudFormation doesn't
 * include the response module", AWS's cfn-response module page), and so does Stratus.
 *
 * These are Stratus's own implementations of the documented behaviour: a PUT of the response object
 * (Status, Reason, PhysicalResourceId, StackId, RequestId, LogicalResourceId, NoEcho, Data) as JSON to
 * event.ResponseURL with an empty Content-Type, the Reason defaulting to the log stream, the physical
 * id to the log stream name; then the function ends (Node.js: context.done when the runtime has it).
 * Plain http URLs are accepted as well as https, since Stratus's endpoints are http.
 */

export const NODE_MODULE_FILE = "cfn-response.js";
export const PYTHON_MODULE_FILE = "cfnresponse.py";

/** The source loads the module as AWS requires for it to be included. */
export function nodeSourceUsesModule(source: string): boolean {
  return /require\s*\(\s*["']cfn-response["']\s*\)/.test(source);
}

export function pythonSourceUsesModule(source: string): boolean {
  return /^\s*import\s+cfnresponse\s*$/m.test(source);
}

export const NODE_MODULE_SOURCE = `// cfn-response for Stratus: sends a custom resource's response to its ResponseURL.
"use strict";
exports.SUCCESS = "SUCCESS";
exports.FAILED = "FAILED";

exports.send = function (event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  return new Promise(function (resolve) {
    var body = JSON.stringify({
      Status: responseStatus,
      Reason: "See the details in CloudWatch Log Stream: " + context.logStreamName,
      PhysicalResourceId: physicalResourceId || context.logStreamName,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: noEcho || false,
      Data: responseData,
    });
    console.log("Response body:\\n", body);
    var url = new URL(event.ResponseURL);
    var transport = url.protocol === "http:" ? require("http") : require("https");
    var finish = function () {
      if (typeof context.done === "function") context.done();
      resolve();
    };
    var request = transport.request(
      {
        hostname: url.hostname,
        port: url.port || undefined,
        path: url.pathname + url.search,
        method: "PUT",
        headers: { "content-type": "", "content-length": Buffer.byteLength(body) },
      },
      function (response) {
        console.log("Status code: " + response.statusCode);
        response.resume();
        response.on("end", finish);
      },
    );
    request.on("error", function (error) {
      console.log("send(..) failed executing https.request(..): " + error);
      finish();
    });
    request.write(body);
    request.end();
  });
};
`;

export const PYTHON_MODULE_SOURCE = `# cfnresponse for Stratus: sends a custom resource's response to its ResponseURL.
import json
import urllib.request

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    responseBody = {
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: {}".format(context.log_stream_name),
        "PhysicalResourceId": physicalResourceId or context.log_stream_name,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": noEcho,
        "Data": responseData,
    }
    json_responseBody = json.dumps(responseBody)
    print("Response body:")
    print(json_responseBody)
    data = json_responseBody.encode("utf-8")
    request = urllib.request.Request(
        event["ResponseURL"],
        data=data,
        method="PUT",
        headers={"content-type": "", "content-length": str(len(data))},
    )
    try:
        with urllib.request.urlopen(request) as response:
            print("Status code:", response.status)
    except Exception as e:
        print("send(..) failed executing http.request(..):", e)
`;
