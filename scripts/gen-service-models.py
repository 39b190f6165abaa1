#!/usr/bin/env python3
"""Writes src/aws/models/<service>.json from botocore's AWS API models (Apache-2.0, see NOTICE).

Only what Stratus routes and validates with is kept (no documentation strings): the service metadata;
per operation, its HTTP binding and the name of its input shape; and the input shapes of every
operation with the shapes they reach, trimmed to what request validation reads (type, members with
their HTTP location for REST services, required, min/max, pattern, enum, list member, map key/value).
Run after upgrading botocore; the output is committed and test/unit/aws/models.test.ts checks it
matches the botocore version recorded in each file.

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
    if "input" in op:
        out["input"] = op["input"]["shape"]
    return out


# What src/aws/validation reads of a shape; everything else (documentation, errors, XML names,
# payload, streaming, deprecation, context params...) is left out.
SHAPE_KEYS = ("required", "min", "max", "pattern", "enum", "union", "document")
REST = ("rest-json", "rest-xml")


def trim_shape(model, shape):
    out = {"type": shape["type"]}
    for key in SHAPE_KEYS:
        if key in shape:
            out[key] = shape[key]
    if shape["type"] == "structure":
        rest = model["metadata"]["protocol"] in REST
        members = {}
        for name, member in shape.get("members", {}).items():
            trimmed = {"shape": member["shape"]}
            if rest and "location" in member:
                trimmed["location"] = member["location"]
                if "locationName" in member:
                    trimmed["locationName"] = member["locationName"]
            members[name] = trimmed
        out["members"] = members
    elif shape["type"] == "list":
        out["member"] = shape["member"]["shape"]
    elif shape["type"] == "map":
        out["key"] = shape["key"]["shape"]
        out["value"] = shape["value"]["shape"]
    return out


def input_shapes(model):
    """Every shape reachable from an operation's input, by name in sorted order (deterministic)."""
    shapes = model["shapes"]
    seen = set()
    stack = [op["input"]["shape"] for op in model["operations"].values() if "input" in op]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        refs = [m["shape"] for m in shape.get("members", {}).values()]
        refs += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
        stack.extend(refs)
    return {name: trim_shape(model, shapes[name]) for name in sorted(seen)}


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
        "shapes": input_shapes(model),
    }


LINE_WIDTH = 110  # biome.json's lineWidth: the files are written exactly as `biome format` would


def dump(value, indent=0, room=LINE_WIDTH):
    """JSON in biome's layout (two-space indent): an object of scalars, or an array of scalars, on
    one line when it fits in `room` columns; anything else one member a line."""
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(not isinstance(item, (dict, list)) for item in value.values()):
            flat = "{ " + ", ".join(json.dumps(k) + ": " + json.dumps(v) for k, v in value.items()) + " }"
            if len(flat) <= room:
                return flat
        items = list(value.items())
        lines = []
        for i, (key, item) in enumerate(items):
            head = pad + json.dumps(key) + ": "
            comma = "," if i < len(items) - 1 else ""
            lines.append(head + dump(item, indent + 2, LINE_WIDTH - len(head) - len(comma)) + comma)
        return "{\n" + "\n".join(lines) + "\n" + " " * indent + "}"
    if isinstance(value, list):
        flat = "[" + ", ".join(json.dumps(item) for item in value) + "]"
        if len(flat) <= room or not value:
            return flat
        return "[\n" + ",\n".join(pad + json.dumps(item) for item in value) + "\n" + " " * indent + "]"
    return json.dumps(value)


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
        text = dump(trim(load(name))) + "\n"
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
