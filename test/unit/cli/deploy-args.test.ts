/**
 * The command lines of `stratus deploy` and `stratus destroy`: default template and stack name
 * (samconfig.toml, else the folder), both forms of --parameter-overrides, endpoint/region defaults
 * and the errors for what cannot be used.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ArgumentError,
  type DeployOptions,
  type DestroyOptions,
  defaultStackName,
  findDefaultTemplate,
  parseDeployArgs,
  parseDestroyArgs,
  parseParameterOverride,
  samconfigStackName,
} from "../../../src/cli/deploy/args.ts";

describe("stratus deploy / destroy arguments", () => {
  let root = "";
  let app = "";
  before(() => {
    root = mkdtempSync(join(tmpdir(), "stratus-deploy-args-"));
    app = join(root, "my_app.v2");
    mkdirSync(app);
    writeFileSync(join(app, "template.yml"), "Resources: {}\n");
    writeFileSync(join(app, "template.json"), "{}");
    mkdirSync(join(root, "configured"));
    writeFileSync(join(root, "configured", "template.yaml"), "Resources: {}\n");
    writeFileSync(
      join(root, "configured", "samconfig.toml"),
      [
        "version = 0.1",
        "[default.build.parameters]",
        'stack_name = "not-this-one"',
        "[default.deploy.parameters]  # the deploy",
        'stack_name = "from-samconfig"',
        'region = "eu-west-1"',
      ].join("\n"),
    );
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const deploy = (argv: string[], cwd = app, env: NodeJS.ProcessEnv = {}) =>
    parseDeployArgs(argv, cwd, env) as DeployOptions;

  it("finds template.yaml, else template.yml, else template.json", () => {
    assert.equal(findDefaultTemplate(app), join(app, "template.yml"));
    assert.equal(findDefaultTemplate(join(root, "configured")), join(root, "configured", "template.yaml"));
    assert.throws(() => findDefaultTemplate(root), ArgumentError);
  });

  it("defaults: the template in the current folder, the folder's name made a stack name, local Stratus", () => {
    const options = deploy([]);
    assert.equal(options.templatePath, join(app, "template.yml"));
    assert.equal(options.stackName, "my-app-v2");
    assert.equal(options.endpoint, "http://127.0.0.1:4566");
    assert.equal(options.region, "us-east-1");
    assert.equal(options.watch, false);
    assert.deepEqual(options.parameters, []);
  });

  it("takes the stack name from samconfig.toml's [default.deploy.parameters] next to the template", () => {
    assert.equal(samconfigStackName(join(root, "configured", "samconfig.toml")), "from-samconfig");
    assert.equal(defaultStackName(join(root, "configured", "template.yaml")), "from-samconfig");
    assert.equal(deploy(["../configured/template.yaml"]).stackName, "from-samconfig");
    assert.equal(deploy(["../configured/template.yaml", "--stack-name", "flag-wins"]).stackName, "flag-wins");
  });

  it("reads every flag, a template path relative to the current folder, and AWS_REGION", () => {
    const options = deploy(
      ["template.json", "--stack-name", "hello", "--endpoint", "http://localhost:5000/", "--watch"],
      app,
      { AWS_REGION: "eu-central-1" },
    );
    assert.equal(options.templatePath, join(app, "template.json"));
    assert.equal(options.stackName, "hello");
    assert.equal(options.endpoint, "http://localhost:5000");
    assert.equal(options.region, "eu-central-1");
    assert.equal(options.watch, true);
    assert.equal(
      deploy(["-t", "template.json", "--region", "ap-south-1"], app, { AWS_REGION: "eu-central-1" }).region,
      "ap-south-1",
    );
  });

  it("takes --parameter-overrides in both sam forms, several after one flag or one per flag", () => {
    const options = deploy([
      "--parameter-overrides",
      "Stage=dev",
      "ParameterKey=Size,ParameterValue=a=b,c",
      "--stack-name",
      "x",
      "--parameter-overrides=Empty=",
    ]);
    assert.deepEqual(options.parameters, [
      { ParameterKey: "Stage", ParameterValue: "dev" },
      { ParameterKey: "Size", ParameterValue: "a=b,c" },
      { ParameterKey: "Empty", ParameterValue: "" },
    ]);
    assert.equal(options.stackName, "x");
    assert.deepEqual(parseParameterOverride("A==b"), { ParameterKey: "A", ParameterValue: "=b" });
    assert.throws(() => parseParameterOverride("novalue"), /Key=Value/);
    assert.throws(() => deploy(["--parameter-overrides", "--watch"]), /at least one/);
  });

  it("refuses what cannot work, naming it", () => {
    assert.throws(() => deploy(["missing.yaml"]), /Template file not found at .*missing\.yaml/);
    assert.throws(() => deploy(["--stack-name", "1bad"]), /must start with a letter/);
    assert.throws(() => deploy(["--stack-name", "under_score"]), /letters, digits and hyphens/);
    assert.throws(() => deploy(["--endpoint", "localhost:4566"]), /--endpoint must be a URL/);
    assert.throws(() => deploy(["--region", "moon"]), /--region must look like us-east-1/);
    assert.throws(() => deploy(["a.yaml", "b.yaml"]), /name one template/);
    assert.throws(
      () => deploy(["--unknown"]),
      (error: unknown) => {
        assert.equal((error as { code?: string }).code, "ERR_PARSE_ARGS_UNKNOWN_OPTION");
        return true;
      },
    );
    assert.deepEqual(parseDeployArgs(["--help"], app, {}), { help: true });
  });

  it("destroy takes one stack name, as an argument or --stack-name", () => {
    const options = parseDestroyArgs(["hello", "--endpoint", "http://127.0.0.1:4567"], {}) as DestroyOptions;
    assert.deepEqual(options, {
      help: false,
      stackName: "hello",
      endpoint: "http://127.0.0.1:4567",
      region: "us-east-1",
    });
    assert.equal((parseDestroyArgs(["--stack-name", "other"], {}) as DestroyOptions).stackName, "other");
    assert.throws(() => parseDestroyArgs([], {}), /name one stack/);
    assert.throws(() => parseDestroyArgs(["a", "b"], {}), /name one stack/);
    assert.deepEqual(parseDestroyArgs(["-h"], {}), { help: true });
  });
});
