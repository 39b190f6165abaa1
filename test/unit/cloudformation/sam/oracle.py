"""
Test-only oracle: runs AWS's own SAM translator (python package samtranslator) offline.

Reads a SAM template (JSON) on stdin, prints the translated CloudFormation template (JSON) on stdout.
argv[1], optional: JSON object of parameter values (may include AWS::Region, AWS::AccountId ...).
On a SAM error prints {"error": "<SAM's message>"} and exits 0 so the test can compare messages.
No network: the region comes from the environment (set here), managed policies from SAM's bundled map,
and the fallback loader returns an empty map instead of calling IAM.
"""

import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402


class OfflineManagedPolicyLoader:
    """Stands in for ManagedPolicyLoader: no IAM call, so names outside SAM's bundled map stay as given."""

    def load(self):
        return {}


def main():
    template = json.load(sys.stdin)
    parameters = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    try:
        output = transform(template, parameters, OfflineManagedPolicyLoader())
    except InvalidDocumentException as error:
        message = "Transform AWS::Serverless-2016-10-31 failed with: " + error.message
        for cause in error.causes:
            message += " " + cause.message
        print(json.dumps({"error": message}))
        return
    print(json.dumps(output, indent=1, sort_keys=True))


main()
