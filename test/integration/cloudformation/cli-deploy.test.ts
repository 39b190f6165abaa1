/**
 * `aws cloudformation deploy` (AWS CLI v2) against Stratus: it creates a change set, waits for it,
 * executes it and waits for the stack; deploying the same template again must be recognised as "no
 * changes" — the CLI matches the empty change set's StatusReason word for word.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { useStratus } from "../../support/stratus.ts";

const run = promisify(execFile);

/** Waits into the next wall-clock second (the CLI names change sets `awscli-...-{epoch seconds}`). */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
const AWS = "/usr/bin/aws";

describe("AWS CLI v2: cloudformation deploy", {
  skip: existsSync(AWS) ? false : `${AWS} is not installed`,
}, () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-cfn-cli-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const deploy = (templateFile: string, ...extra: string[]) =>
    run(
      AWS,
      [
        "--endpoint-url",
        stratus.url,
        "cloudformation",
        "deploy",
        "--template-file",
        templateFile,
        "--stack-name",
        "cli",
        ...extra,
      ],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/tmp",
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: stratus.region,
          AWS_PAGER: "",
        },
        timeout: 120_000,
      },
    );

  it("deploys a template, then finds nothing to change", async () => {
    const file = join(dir, "template.yaml");
    await writeFile(
      file,
      [
        "Parameters:",
        "  Days:",
        "    Type: Number",
        "    Default: 1",
        "Resources:",
        "  Group:",
        "    Type: AWS::Logs::LogGroup",
        "    Properties:",
        "      LogGroupName: /cli/deployed",
        "      RetentionInDays: !Ref Days",
        "",
      ].join("\n"),
    );
    const first = await deploy(file);
    assert.match(first.stdout, /Successfully created\/updated stack - cli/);
    const { Stacks = [] } = await stratus
      .cloudformation()
      .send(new DescribeStacksCommand({ StackName: "cli" }));
    assert.equal(Stacks[0]?.StackStatus, "CREATE_COMPLETE");

    // The CLI names its change sets after the current second: one deploy per second.
    await nextSecond();
    const again = await deploy(file, "--no-fail-on-empty-changeset");
    assert.match(again.stdout, /No changes to deploy\. Stack cli is up to date/);
    await nextSecond();
    await assert.rejects(
      deploy(file, "--fail-on-empty-changeset"),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 255);
        assert.match(error.stderr ?? "", /No changes to deploy\. Stack cli is up to date/);
        return true;
      },
    );

    await nextSecond();
    const updated = await deploy(file, "--parameter-overrides", "Days=5");
    assert.match(updated.stdout, /Successfully created\/updated stack - cli/);
    const groups = await stratus.logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/cli/" }));
    assert.equal(groups.logGroups?.[0]?.retentionInDays, 5);
  });
});
