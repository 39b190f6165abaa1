#!/usr/bin/env python3
"""Writes src/aws/models/<service>.json from botocore's AWS API models (Apache-2.0, see NOTICE).

Only what Stratus routes and validates with is kept (no documentation strings): the service metadata
and, per operation, its HTTP binding. Run after upgrading botocore; the output is committed and
test/unit/aws/models.test.ts checks it matches the botocore version recorded in each file.

Usage: python3 scripts/gen-service-models.py [--check | --check-if-same-botocore]
  --check                    fail if a committed file differs from what this botocore generates
  --check-if-same-botocore   the same, but only when this botocore is the version the files record
                             (CI machines may carry another botocore; a different one is not an error)
"""
import gzip
import json
import os
import sys

import botocore

# Stratus service id -> botocore service name (one folder under botocore/data)
SERVICES = {
    "dynamodb": "dynamodb",
    "dynamodbstreams": "dynamodbstreams",
    "lambda": "lambda",
    "s3": "s3",
    "apigateway": "apigateway",
    "apigatewayv2": "apigatewayv2",
    "cloudformation": "cloudformation",
    "iam": "iam",
    "sts": "sts",
    "logs": "logs",
    "cloudfront": "cloudfront",
}

PROTOCOLS = {"json": None, "rest-json": "restJson1", "rest-xml": "restXml", "query": "awsQuery"}

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "aws", "models")


def load(name):
    folder = os.path.join(DATA, name)
    version = sorted(os.listdir(folder))[-1]
    base = os.path.join(folder, version, "service-2.json")
    if os.path.exists(base + ".gz"):
        with gzip.open(base + ".gz") as f:
            return json.load(f)
    with open(base) as f:
        return json.load(f)


def protocol_of(meta):
    if meta["protocol"] == "json":
        return "awsJson1_0" if meta.get("jsonVersion") == "1.0" else "awsJson1_1"
    return PROTOCOLS[meta["protocol"]]


def operation(model, op):
    """An operation's HTTP binding plus what routing needs to tell apart operations sharing a URI
    (S3's PutObject/UploadPart/CopyObject): the query keys and headers its input requires."""
    out = {"method": op["http"]["method"], "requestUri": op["http"]["requestUri"]}
    shape = model["shapes"].get(op.get("input", {}).get("shape", ""), {})
    required = set(shape.get("required", []))
    query, headers = [], []
    for name, member in shape.get("members", {}).items():
        if name not in required:
            continue
        if member.get("location") == "querystring":
            query.append(member["locationName"])
        elif member.get("location") == "header":
            headers.append(member["locationName"].lower())
    if query:
        out["requiredQuery"] = sorted(query)
    if headers:
        out["requiredHeaders"] = sorted(headers)
    if op.get("deprecated"):
        out["deprecated"] = True
    return out


def trim(model):
    meta = model["metadata"]
    return {
        "botocoreVersion": botocore.__version__,
        "metadata": {
            "apiVersion": meta["apiVersion"],
            "protocol": protocol_of(meta),
            "signingName": meta.get("signingName", meta["endpointPrefix"]),
            "endpointPrefix": meta["endpointPrefix"],
            "targetPrefix": meta.get("targetPrefix"),
            "serviceId": meta.get("serviceId"),
        },
        "operations": {name: operation(model, op) for name, op in sorted(model["operations"].items())},
    }


def recorded_version():
    with open(os.path.join(OUT, "dynamodb.json")) as f:
        return json.load(f)["botocoreVersion"]


def main():
    check = "--check" in sys.argv or "--check-if-same-botocore" in sys.argv
    if "--check-if-same-botocore" in sys.argv and recorded_version() != botocore.__version__:
        print(f"skipped: botocore {botocore.__version__} is not the recorded {recorded_version()}")
        return
    stale = []
    for service, name in SERVICES.items():
        text = json.dumps(trim(load(name)), indent=1, sort_keys=False) + "\n"
        path = os.path.join(OUT, service + ".json")
        if check:
            with open(path) as f:
                if f.read() != text:
                    stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("stale generated models (run python3 scripts/gen-service-models.py):", *stale, sep="\n  ")
        sys.exit(1)


main()
