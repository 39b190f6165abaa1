// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * resourceDependencies and creationOrder: DependsOn and references (Ref, GetAtt, Sub, both Fn::If
 * branches) to resources, conditional resources, unknown names, stable ordering and cycles.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  creationOrder,
  deletionOrder,
  resourceDependencies,
} from "../../../../src/services/cloudformation/template/graph.ts";
import {
  type Template,
  TemplateError,
  type TemplateResource,
} from "../../../../src/services/cloudformation/template/types.ts";

function template(resources: Record<string, TemplateResource>): Template {
  return { Parameters: { Env: { Type: "String" } }, Resources: resources };
}

const topic = (
  properties?: Record<string, unknown>,
  extra: Partial<TemplateResource> = {},
): TemplateResource => ({
  Type: "AWS::SNS::Topic",
  ...(properties ? { Properties: properties } : {}),
  ...extra,
});

function graphError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("no error");
}

const asObject = (dependencies: Map<string, Set<string>>) =>
  Object.fromEntries([...dependencies].map(([id, needs]) => [id, [...needs].sort()]));

describe("resourceDependencies", () => {
  it("collects DependsOn, Ref, GetAtt (both forms), Sub variables and both Fn::If branches", () => {
    const dependencies = resourceDependencies(
      template({
        A: topic(),
        B: topic(),
        C: topic(),
        D: topic(),
        E: topic(),
        F: topic(),
        G: topic(),
        Main: topic(
          {
            Name: { Ref: "A" },
            Arn: { "Fn::GetAtt": ["B", "Arn"] },
            Dotted: { "Fn::GetAtt": "C.Arn" },
            Sub: { "Fn::Sub": "${D}-${E.Arn}-${Env}-${AWS::Region}-${!F}" },
            Mapped: { "Fn::Sub": ["${Local}", { Local: { Ref: "F" } }] },
            Choice: { "Fn::If": ["Yes", { Ref: "G" }, { Ref: "AWS::NoValue" }] },
          },
          { DependsOn: "A" },
        ),
        Listed: topic(undefined, { DependsOn: ["A", "B"] }),
      }),
      new Map([["Yes", false]]),
    );
    assert.deepEqual(asObject(dependencies), {
      A: [],
      B: [],
      C: [],
      D: [],
      E: [],
      F: [],
      G: [],
      Main: ["A", "B", "C", "D", "E", "F", "G"],
      Listed: ["A", "B"],
    });
  });

  it("leaves out resources whose condition is false", () => {
    const dependencies = resourceDependencies(
      template({
        Always: topic(),
        OnlyProd: topic({ N: { Ref: "Always" } }, { Condition: "IsProd" }),
        OnlyDev: topic(undefined, { Condition: "IsDev" }),
        Chooser: topic({ N: { "Fn::If": ["IsProd", { Ref: "OnlyProd" }, { Ref: "OnlyDev" }] } }),
      }),
      new Map([
        ["IsProd", true],
        ["IsDev", false],
      ]),
    );
    assert.deepEqual(asObject(dependencies), { Always: [], OnlyProd: ["Always"], Chooser: ["OnlyProd"] });
  });

  it("refuses a reference to an excluded resource outside an untaken Fn::If branch", () => {
    const conditions = new Map([["IsDev", false]]);
    assert.equal(
      graphError(() =>
        resourceDependencies(
          template({ Dev: topic(undefined, { Condition: "IsDev" }), User: topic({ N: { Ref: "Dev" } }) }),
          conditions,
        ),
      ),
      "Template format error: Unresolved resource dependencies [Dev] in the Resources block of the template",
    );
    assert.match(
      graphError(() =>
        resourceDependencies(
          template({
            Dev: topic(undefined, { Condition: "IsDev" }),
            User: topic(undefined, { DependsOn: "Dev" }),
          }),
          conditions,
        ),
      ),
      /Unresolved resource dependencies \[Dev\]/,
    );
  });

  it("refuses unknown names in Ref, Sub, DependsOn and GetAtt", () => {
    const none = new Map<string, boolean>();
    assert.equal(
      graphError(() =>
        resourceDependencies(
          template({
            A: topic({ N: { Ref: "Ghost" }, S: { "Fn::Sub": "${Spook}" } }, { DependsOn: "Phantom" }),
          }),
          none,
        ),
      ),
      "Template format error: Unresolved resource dependencies [Phantom, Ghost, Spook] in the Resources block of the template",
    );
    assert.equal(
      graphError(() =>
        resourceDependencies(template({ A: topic({ N: { "Fn::GetAtt": ["Ghost", "Arn"] } }) }), none),
      ),
      "Template error: instance of Fn::GetAtt references undefined resource Ghost",
    );
  });
});

describe("creationOrder", () => {
  it("puts dependencies first and otherwise keeps template order", () => {
    const dependencies = new Map<string, Set<string>>([
      ["Api", new Set(["Function"])],
      ["Table", new Set()],
      ["Function", new Set(["Role", "Table"])],
      ["Role", new Set()],
      ["Bucket", new Set()],
    ]);
    assert.deepEqual(creationOrder(dependencies), ["Table", "Role", "Function", "Api", "Bucket"]);
    assert.deepEqual(deletionOrder(dependencies), ["Bucket", "Api", "Function", "Role", "Table"]);
  });

  it("names the resources caught in a cycle", () => {
    const dependencies = new Map<string, Set<string>>([
      ["Free", new Set()],
      ["A", new Set(["B"])],
      ["B", new Set(["A"])],
    ]);
    assert.equal(
      graphError(() => creationOrder(dependencies)),
      "Circular dependency between resources: [A, B]",
    );
  });

  it("ignores dependencies on names outside the graph", () => {
    assert.deepEqual(creationOrder(new Map([["A", new Set(["Elsewhere"])]])), ["A"]);
  });
});
