// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * resolveValue: every intrinsic function against a fake scope, AWS::NoValue removal, and the errors in
 * AWS's words.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pseudoParameters } from "../../../../src/services/cloudformation/template/pseudo.ts";
import { resolveValue } from "../../../../src/services/cloudformation/template/resolve.ts";
import { TemplateError } from "../../../../src/services/cloudformation/template/types.ts";
import { type FakeScopeInput, fakeScope } from "./fake-scope.ts";

const scopeInput: FakeScopeInput = {
  parameters: { Env: "prod", Subnets: ["subnet-1", "subnet-2"], Count: "3" },
  conditions: { IsProd: true, IsDev: false },
  mappings: { Amis: { "us-east-1": { Id: "ami-1", Sizes: ["t3.micro", "t3.small"] } } },
  resources: {
    Fn: {
      Arn: "arn:aws:lambda:us-east-1:000000000000:function:fn",
      "Endpoint.Address": "db.local",
      Port: 5432,
    },
    Api: {},
  },
  exports: { "Shared-Vpc": "vpc-123" },
};
const scope = fakeScope(scopeInput);
const resolved = (value: unknown) => resolveValue(value, scope);

function resolveError(value: unknown): string {
  try {
    resolved(value);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the value resolved");
}

describe("pseudoParameters", () => {
  it("derives partition and URL suffix from the region", () => {
    const base = { accountId: "1", stackName: "s", stackId: "id" };
    assert.equal(pseudoParameters({ ...base, region: "eu-west-1" }).partition, "aws");
    assert.equal(pseudoParameters({ ...base, region: "eu-west-1" }).urlSuffix, "amazonaws.com");
    assert.equal(pseudoParameters({ ...base, region: "cn-north-1" }).partition, "aws-cn");
    assert.equal(pseudoParameters({ ...base, region: "cn-north-1" }).urlSuffix, "amazonaws.com.cn");
    assert.equal(pseudoParameters({ ...base, region: "us-gov-west-1" }).partition, "aws-us-gov");
    assert.deepEqual(pseudoParameters({ ...base, region: "eu-west-1" }).notificationArns, []);
  });
});

describe("Ref", () => {
  it("reads parameters, pseudo parameters and resources", () => {
    assert.equal(resolved({ Ref: "Env" }), "prod");
    assert.deepEqual(resolved({ Ref: "Subnets" }), ["subnet-1", "subnet-2"]);
    assert.equal(resolved({ Ref: "Fn" }), "Fn-physical");
    assert.deepEqual(
      resolved([
        { Ref: "AWS::Region" },
        { Ref: "AWS::AccountId" },
        { Ref: "AWS::StackName" },
        { Ref: "AWS::StackId" },
        { Ref: "AWS::Partition" },
        { Ref: "AWS::URLSuffix" },
      ]),
      [
        "us-east-1",
        "000000000000",
        "demo",
        "arn:aws:cloudformation:us-east-1:000000000000:stack/demo/1234",
        "aws",
        "amazonaws.com",
      ],
    );
    assert.deepEqual(resolved({ Ref: "AWS::NotificationARNs" }), []);
  });

  it("refuses a non-string name and passes unknown names to the scope", () => {
    assert.equal(resolveError({ Ref: ["a"] }), "Template error: All References must be of type string");
    assert.equal(
      resolveError({ Ref: "Nope" }),
      "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template",
    );
  });
});

describe("AWS::NoValue", () => {
  it("drops the key of an object and the element of an array", () => {
    assert.deepEqual(resolved({ A: 1, B: { Ref: "AWS::NoValue" }, C: [1, { Ref: "AWS::NoValue" }, 2] }), {
      A: 1,
      C: [1, 2],
    });
    assert.deepEqual(resolved({ A: { "Fn::If": ["IsDev", 1, { Ref: "AWS::NoValue" }] } }), {});
    assert.equal(resolved({ Ref: "AWS::NoValue" }), undefined);
  });

  it("walks plain objects and leaves non-intrinsic one-key objects alone", () => {
    assert.deepEqual(resolved({ Condition: { StringEquals: { a: { Ref: "Env" } } } }), {
      Condition: { StringEquals: { a: "prod" } },
    });
    assert.deepEqual(resolved({ Ref: "Env", Other: 1 }), { Ref: "Env", Other: 1 });
    assert.equal(resolved(7), 7);
    assert.equal(resolved(true), true);
    assert.equal(resolved(null), null);
  });
});

describe("Fn::GetAtt", () => {
  it("reads attributes in the list and dotted-string forms, with dotted attribute names", () => {
    assert.equal(
      resolved({ "Fn::GetAtt": ["Fn", "Arn"] }),
      "arn:aws:lambda:us-east-1:000000000000:function:fn",
    );
    assert.equal(resolved({ "Fn::GetAtt": "Fn.Endpoint.Address" }), "db.local");
  });

  it("resolves an attribute name given by a function", () => {
    const withAttribute = fakeScope({ ...scopeInput, parameters: { Attribute: "Arn" } });
    assert.equal(
      resolveValue({ "Fn::GetAtt": ["Fn", { Ref: "Attribute" }] }, withAttribute),
      "arn:aws:lambda:us-east-1:000000000000:function:fn",
    );
  });

  it("refuses malformed arguments and undefined resources", () => {
    const usage =
      "Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute";
    assert.equal(resolveError({ "Fn::GetAtt": ["Fn"] }), usage);
    assert.equal(resolveError({ "Fn::GetAtt": "Fn" }), usage);
    assert.equal(resolveError({ "Fn::GetAtt": ["", "Arn"] }), usage);
    assert.equal(resolveError({ "Fn::GetAtt": 3 }), usage);
    assert.equal(
      resolveError({ "Fn::GetAtt": ["Ghost", "Arn"] }),
      "Template error: instance of Fn::GetAtt references undefined resource Ghost",
    );
  });
});

describe("Fn::Sub", () => {
  it("substitutes parameters, pseudo parameters, resource Refs and attributes; ${!x} stays literal", () => {
    assert.equal(
      resolved({ "Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/${Env}" }),
      "https://Api-physical.execute-api.us-east-1.amazonaws.com/Prod/prod",
    );
    assert.equal(
      resolved({ "Fn::Sub": "${Fn.Arn}:live ${Fn.Endpoint.Address}:${Fn.Port}" }),
      "arn:aws:lambda:us-east-1:000000000000:function:fn:live db.local:5432",
    );
    assert.equal(
      resolved({ "Fn::Sub": "${!Literal} and ${!AWS::Region} ${Env}" }),
      "${Literal} and ${AWS::Region} prod",
    );
    assert.equal(resolved({ "Fn::Sub": "no variables, a lone ${ brace" }), "no variables, a lone ${ brace");
  });

  it("takes a variable map whose values are resolved first", () => {
    assert.equal(
      resolved({
        "Fn::Sub": [
          "${Name}-${Env}-${Count}",
          { Name: { "Fn::Join": ["-", ["a", { Ref: "Env" }]] }, Count: 2 },
        ],
      }),
      "a-prod-prod-2",
    );
  });

  it("refuses malformed arguments and non-text variables", () => {
    const usage =
      "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string";
    assert.equal(resolveError({ "Fn::Sub": ["a"] }), usage);
    assert.equal(resolveError({ "Fn::Sub": ["a", []] }), usage);
    assert.equal(resolveError({ "Fn::Sub": 3 }), usage);
    assert.equal(
      resolveError({ "Fn::Sub": ["${X}", { X: ["a"] }] }),
      "Template error: every value of the context object of every Fn::Sub object must be a string or a function that returns a string",
    );
    assert.equal(
      resolveError({ "Fn::Sub": "${Subnets}" }),
      "Template error: every variable in an Fn::Sub object must reference a string",
    );
    assert.equal(
      resolveError({ "Fn::Sub": "${Ghost}" }),
      "Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template",
    );
    assert.equal(
      resolveError({ "Fn::Sub": "${Ghost.Arn}" }),
      "Template error: instance of Fn::GetAtt references undefined resource Ghost",
    );
  });
});

describe("Fn::Join, Fn::Split, Fn::Select", () => {
  it("joins strings, numbers and booleans, and lists produced by functions", () => {
    assert.equal(resolved({ "Fn::Join": [",", ["a", 1, true, { Ref: "Env" }]] }), "a,1,true,prod");
    assert.equal(resolved({ "Fn::Join": ["|", { Ref: "Subnets" }] }), "subnet-1|subnet-2");
    assert.equal(resolved({ "Fn::Join": ["", []] }), "");
    assert.equal(resolved({ "Fn::Join": ["-", ["a", { Ref: "AWS::NoValue" }, "b"]] }), "a-b");
  });

  it("refuses malformed joins", () => {
    const usage =
      "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.";
    assert.equal(resolveError({ "Fn::Join": [","] }), usage);
    assert.equal(resolveError({ "Fn::Join": [",", "a"] }), usage);
    assert.equal(resolveError({ "Fn::Join": [",", [["nested"]]] }), usage);
  });

  it("splits and selects, the index given as number or string", () => {
    assert.deepEqual(resolved({ "Fn::Split": [",", "a,b,,c"] }), ["a", "b", "", "c"]);
    assert.equal(resolved({ "Fn::Select": [1, { "Fn::Split": [",", "a,b"] }] }), "b");
    assert.equal(resolved({ "Fn::Select": ["0", { Ref: "Subnets" }] }), "subnet-1");
    assert.equal(resolved({ "Fn::Select": [{ Ref: "Count" }, ["a", "b", "c", "d"]] }), "d");
  });

  it("refuses bad indexes, out-of-range selects and malformed splits", () => {
    assert.equal(
      resolveError({ "Fn::Select": [5, ["a"]] }),
      "Template error: Fn::Select cannot select nonexistent value at index 5",
    );
    assert.equal(
      resolveError({ "Fn::Select": [-1, ["a"]] }),
      "Template error: Fn::Select cannot select nonexistent value at index -1",
    );
    assert.equal(
      resolveError({ "Fn::Select": ["x", ["a"]] }),
      "Template error: Fn::Select requires a list argument with a valid index value as its first element",
    );
    assert.equal(
      resolveError({ "Fn::Select": [0, "a"] }),
      "Template error: Fn::Select requires a list argument with two elements: an integer index and a list",
    );
    assert.match(
      resolveError({ "Fn::Split": [","] }),
      /^Template error: every Fn::Split object requires two parameters/,
    );
  });
});

describe("Fn::If and condition functions", () => {
  it("picks a branch by condition and evaluates only that branch", () => {
    assert.equal(resolved({ "Fn::If": ["IsProd", "big", { Ref: "Ghost" }] }), "big");
    assert.equal(resolved({ "Fn::If": ["IsDev", { Ref: "Ghost" }, "small"] }), "small");
  });

  it("refuses unknown conditions and malformed arguments", () => {
    assert.equal(
      resolveError({ "Fn::If": ["Nope", 1, 2] }),
      "Template format error: Unresolved condition dependency Nope in Fn::If",
    );
    assert.equal(
      resolveError({ "Fn::If": ["IsProd", 1] }),
      "Template error: Fn::If requires a list argument with three elements",
    );
    assert.equal(
      resolveError({ "Fn::If": [{ Ref: "Env" }, 1, 2] }),
      "Template error: Fn::If requires a list argument with the first element being a condition",
    );
  });

  it("evaluates Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition inside values", () => {
    assert.equal(resolved({ "Fn::Equals": [{ Ref: "Env" }, "prod"] }), true);
    assert.equal(resolved({ "Fn::Equals": [{ Ref: "Count" }, 3] }), true);
    assert.equal(
      resolved({ "Fn::And": [{ Condition: "IsProd" }, { "Fn::Not": [{ Condition: "IsDev" }] }] }),
      true,
    );
    assert.equal(resolved({ "Fn::Or": [{ Condition: "IsDev" }, { "Fn::Equals": ["a", "b"] }] }), false);
    assert.equal(
      resolveError({ "Fn::And": [{ Condition: "IsProd" }] }),
      "Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.",
    );
    assert.equal(
      resolveError({ "Fn::Not": [] }),
      "Template error: Fn::Not requires a list argument with one element",
    );
    assert.equal(
      resolveError({ "Fn::Equals": ["a"] }),
      "Template error: Fn::Equals requires a list argument with two elements",
    );
  });
});

describe("Fn::FindInMap", () => {
  it("reads a mapping value with keys given by functions", () => {
    assert.equal(resolved({ "Fn::FindInMap": ["Amis", { Ref: "AWS::Region" }, "Id"] }), "ami-1");
    assert.deepEqual(resolved({ "Fn::FindInMap": ["Amis", "us-east-1", "Sizes"] }), ["t3.micro", "t3.small"]);
    assert.equal(
      resolved({ "Fn::FindInMap": ["Amis", "eu-west-1", "Id", { DefaultValue: "ami-default" }] }),
      "ami-default",
    );
  });

  it("refuses unknown maps and keys", () => {
    assert.equal(
      resolveError({ "Fn::FindInMap": ["Nope", "a", "b"] }),
      "Template error: Mapping named 'Nope' is not present in the 'Mappings' section of template",
    );
    assert.equal(
      resolveError({ "Fn::FindInMap": ["Amis", "eu-west-1", "Id"] }),
      "Template error: Unable to get mapping for Amis::eu-west-1::Id",
    );
    assert.equal(
      resolveError({ "Fn::FindInMap": ["Amis", "us-east-1", "Nope"] }),
      "Template error: Unable to get mapping for Amis::us-east-1::Nope",
    );
    assert.equal(
      resolveError({ "Fn::FindInMap": ["Amis", "us-east-1"] }),
      "Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value",
    );
  });
});

describe("Fn::ImportValue, Fn::GetAZs, Fn::Base64, Fn::Length, Fn::ToJsonString", () => {
  it("imports through the scope", () => {
    assert.equal(resolved({ "Fn::ImportValue": { "Fn::Sub": "Shared-Vpc" } }), "vpc-123");
  });

  it("lists the region's zones for '' or a region name", () => {
    assert.deepEqual(resolved({ "Fn::GetAZs": "" }), [
      "us-east-1a",
      "us-east-1b",
      "us-east-1c",
      "us-east-1d",
      "us-east-1e",
      "us-east-1f",
    ]);
    assert.deepEqual(resolved({ "Fn::GetAZs": "eu-west-1" }), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    assert.deepEqual(
      resolveValue({ "Fn::GetAZs": { Ref: "AWS::Region" } }, fakeScope({ region: "eu-central-1" })),
      ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    );
  });

  it("encodes Base64 as UTF-8", () => {
    assert.equal(
      resolved({ "Fn::Base64": { "Fn::Sub": "#!/bin/bash\necho ${Env} é" } }),
      Buffer.from("#!/bin/bash\necho prod é").toString("base64"),
    );
    assert.equal(
      resolveError({ "Fn::Base64": ["a"] }),
      "Template error: every Fn::Base64 object must have a String-typed value.",
    );
  });

  it("counts lists and writes JSON", () => {
    assert.equal(resolved({ "Fn::Length": { Ref: "Subnets" } }), 2);
    assert.equal(resolved({ "Fn::Length": [1, { Ref: "AWS::NoValue" }, 3] }), 2);
    assert.equal(resolved({ "Fn::ToJsonString": { a: { Ref: "Env" }, b: [1] } }), '{"a":"prod","b":[1]}');
  });

  it("names the supported functions when given an unknown one", () => {
    assert.match(
      resolveError({ "Fn::Nope": 1 }),
      /^Template format error: Encountered unsupported function: Fn::Nope Supported functions are: \[/,
    );
  });
});

describe("Fn::Cidr", () => {
  it("carves IPv4 blocks into subnets", () => {
    assert.deepEqual(resolved({ "Fn::Cidr": ["192.168.0.0/24", 6, 5] }), [
      "192.168.0.0/27",
      "192.168.0.32/27",
      "192.168.0.64/27",
      "192.168.0.96/27",
      "192.168.0.128/27",
      "192.168.0.160/27",
    ]);
    assert.deepEqual(resolved({ "Fn::Cidr": ["10.0.5.7/16", "3", "8"] }), [
      "10.0.0.0/24",
      "10.0.1.0/24",
      "10.0.2.0/24",
    ]);
  });

  it("carves IPv6 blocks, written compressed", () => {
    assert.deepEqual(resolved({ "Fn::Cidr": ["2001:db8::/56", 3, 64] }), [
      "2001:db8::/64",
      "2001:db8:0:1::/64",
      "2001:db8:0:2::/64",
    ]);
  });

  it("refuses blocks too small for the request and bad arguments", () => {
    assert.match(resolveError({ "Fn::Cidr": ["10.0.0.0/24", 4, 7] }), /^Template error: Fn::Cidr/);
    assert.match(resolveError({ "Fn::Cidr": ["10.0.0.0/24", 300, 2] }), /^Template error: Fn::Cidr/);
    assert.match(resolveError({ "Fn::Cidr": ["nope", 1, 2] }), /^Template error: Fn::Cidr/);
    assert.match(resolveError({ "Fn::Cidr": ["10.0.0.0/24", 1] }), /^Template error: Fn::Cidr/);
  });
});
