"""GET /items: every item of the DynamoDB table named by TABLE_NAME, oldest first (boto3)."""
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    items = []
    scan = {}
    while True:
        page = table.scan(**scan)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            break
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    items.sort(key=lambda item: item.get("createdAt", ""))
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        # default=str: numbers come back from DynamoDB as Decimal.
        "body": json.dumps({"items": items, "count": len(items)}, default=str),
    }
