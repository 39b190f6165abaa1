// The generated models carry what validation reads, and the Java renderings coral uses in its texts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadModel, MODEL_NAMES } from "../../../src/aws/models/index.ts";
import { compileJavaPattern } from "../../../src/aws/validation/index.ts";
import {
  javaDouble,
  javaPackageOf,
  javaTypeOf,
  type RenderContext,
  renderValue,
} from "../../../src/aws/validation/render.ts";

describe("generated input shapes", () => {
  for (const name of MODEL_NAMES) {
    it(`${name}: every input shape and every reference resolves; every pattern compiles`, () => {
      const model = loadModel(name);
      const { shapes } = model;
      const missing: string[] = [];
      const need = (ref: string, from: string) => {
        if (!shapes[ref]) missing.push(`${from} -> ${ref}`);
      };
      for (const [operation, binding] of Object.entries(model.operations)) {
        if (binding.input) need(binding.input, operation);
      }
      for (const [shapeName, shape] of Object.entries(shapes)) {
        if (shape.type === "structure") {
          for (const [member, ref] of Object.entries(shape.members))
            need(ref.shape, `${shapeName}.${member}`);
          for (const member of shape.required ?? [])
            assert.ok(member in shape.members, `${shapeName} requires ${member}`);
        } else if (shape.type === "list") {
          need(shape.member, shapeName);
        } else if (shape.type === "map") {
          need(shape.key, shapeName);
          need(shape.value, shapeName);
        }
        if (shape.pattern !== undefined)
          assert.ok(compileJavaPattern(shape.pattern), `${shapeName}: ${shape.pattern}`);
      }
      assert.deepEqual(missing, []);
    });
  }

  it("keeps HTTP locations for REST services only", () => {
    const lambda = loadModel("lambda").shapes.InvocationRequest;
    assert.equal(lambda?.type, "structure");
    if (lambda?.type === "structure") {
      assert.deepEqual(lambda.members.FunctionName, {
        shape: "NamespacedFunctionName",
        location: "uri",
        locationName: "FunctionName",
      });
      assert.deepEqual(lambda.members.InvocationType, {
        shape: "InvocationType",
        location: "header",
        locationName: "X-Amz-Invocation-Type",
      });
    }
    const put = loadModel("dynamodb").shapes.PutItemInput;
    assert.ok(put?.type === "structure");
    assert.deepEqual(put.members.TableName, { shape: "TableArn" });
    assert.deepEqual(put.required, ["TableName", "Item"]);
    assert.equal(loadModel("dynamodb").operations.PutItem?.input, "PutItemInput");
  });
});

describe("Java renderings", () => {
  const dynamodb = loadModel("dynamodb");
  const ctx: RenderContext = {
    shapes: dynamodb.shapes,
    javaPackage: javaPackageOf(dynamodb.metadata.endpointPrefix, dynamodb.metadata.apiVersion),
    opaqueShapes: new Set(["AttributeValue"]),
    hiddenMembers: {},
  };

  it("names DynamoDB's package and generic types as coral does", () => {
    assert.equal(ctx.javaPackage, "com.amazonaws.dynamodb.v20120810");
    assert.equal(
      javaTypeOf(ctx, "BatchWriteItemRequestMap"),
      "java.util.Map<java.lang.String, java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>",
    );
    assert.equal(
      javaTypeOf(ctx, "ExpressionAttributeNameMap"),
      "java.util.Map<java.lang.String, java.lang.String>",
    );
  });

  it("renders lists, maps and structures with toString()", () => {
    assert.equal(renderValue(ctx, "AttributeNameList", ["a", "b"]), "[a, b]");
    assert.equal(renderValue(ctx, "ExpressionAttributeNameMap", { "#a": "x", "#b": "y" }), "{#a=x, #b=y}");
    assert.equal(
      renderValue(ctx, "ProvisionedThroughput", { ReadCapacityUnits: 1 }),
      "ProvisionedThroughput(readCapacityUnits=1, writeCapacityUnits=null)",
    );
    assert.match(
      renderValue(ctx, "AttributeValue", { S: "x" }),
      /^com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+$/,
    );
  });

  it("writes doubles as Java's Double.toString", () => {
    assert.equal(javaDouble(1), "1.0");
    assert.equal(javaDouble(-0.5), "-0.5");
    assert.equal(javaDouble(123.456), "123.456");
    assert.equal(javaDouble(1e7), "1.0E7");
    assert.equal(javaDouble(1.5e21), "1.5E21");
    assert.equal(javaDouble(1.5e-5), "1.5E-5");
  });
});
