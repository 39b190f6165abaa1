/**
 * `stratus deploy [TEMPLATE] [--stack-name NAME] [--parameter-overrides K=V ...] [--endpoint URL]
 * [--region R] [--watch]`: read the template (YAML with CloudFormation's short tags, or JSON), package
 * its local code into the deploy bucket, deploy it as a stack (deploy-stack.ts) and, with --watch,
 * keep it in step with the files (watch.ts). Exit code 0 when the stack is deployed or had no changes,
 * 1 when the deploy failed or rolled back.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseTemplate } from "../../services/cloudformation/template/parse.ts";
import type { Template } from "../../services/cloudformation/template/types.ts";
import { DEPLOY_USAGE, type DeployOptions, optionsOrExitCode, parseDeployArgs } from "./args.ts";
import { CdkAssetError, cdkStackOfTemplate, publishCdkAssets } from "./cdk-assets.ts";
import { connect, type DeployClients, describeFailure } from "./clients.ts";
import { type DeployOutcome, deployStack } from "./deploy-stack.ts";
import { type PackagedTemplate, PackageError, packageTemplate } from "./package.ts";
import { terminalWidth } from "./table.ts";
import { deployBucketName, s3ArtifactStore } from "./uploader.ts";
import { watchAndUpdate } from "./watch.ts";
import { sha256Hex } from "./zip.ts";

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM; the caller wires the signals. */
  signal: AbortSignal;
  /** The terminal's width, when stdout is one. */
  columns?: number | undefined;
}

export { DEPLOY_USAGE };

export async function runDeploy(argv: string[], io: CommandIo): Promise<number> {
  const options = optionsOrExitCode("deploy", DEPLOY_USAGE, () => parseDeployArgs(argv), io);
  if (typeof options === "number") return options;

  let clients: DeployClients | undefined;
  try {
    clients = await connect(options);
    const deployed = await packageAndDeploy(clients, options, io);
    if (deployed.kind === "failed") {
      io.stderr(`\nError: ${deployed.message}\n`);
      return 1;
    }
    if (!options.watch) return 0;
    return await watchAndUpdate({
      clients,
      options,
      io,
      width: terminalWidth(io.columns),
      redeploy: () => packageAndDeploy(clients as DeployClients, options, io),
      packaged: deployed.packaged,
    });
  } catch (error) {
    if (io.signal.aborted) return 0;
    if (error instanceof PackageError || error instanceof CdkAssetError || isTemplateError(error)) {
      io.stderr(`\nError: ${(error as Error).message}\n`);
      return 1;
    }
    io.stderr(`\nError: ${describeFailure(error, options.endpoint)}\n`);
    return 1;
  } finally {
    clients?.destroy();
  }
}

export type PackagedOutcome =
  | (Exclude<DeployOutcome, { kind: "failed" }> & { readonly packaged: PackagedTemplate })
  | Extract<DeployOutcome, { kind: "failed" }>;

/** Reads and packages the template, then deploys it. Template and packaging errors are thrown. */
export async function packageAndDeploy(
  clients: DeployClients,
  options: DeployOptions,
  io: CommandIo,
): Promise<PackagedOutcome> {
  const template = readTemplate(options.templatePath);
  const identity = await clients.sts.send(new clients.sdk.sts.GetCallerIdentityCommand({}));
  const bucket = deployBucketName(identity.Account ?? "000000000000", options.region);
  const store = s3ArtifactStore(clients.sdk.s3, clients.s3, bucket, options.region, (line) =>
    io.stdout(`\t${line}\n`),
  );
  // A synthesized CDK stack's code and files are assets of its cloud assembly, published where the
  // template expects them (the CDK's bootstrap bucket), as `cdk deploy` does.
  const cdkStack = cdkStackOfTemplate(options.templatePath);
  if (cdkStack) {
    await publishCdkAssets(cdkStack.assemblyDir, cdkStack.stackArtifactId, {
      s3: clients.s3,
      accountId: identity.Account ?? "000000000000",
      region: options.region,
      log: (line) => io.stdout(`\t${line}\n`),
    });
  }
  const packaged = await packageTemplate(template, dirname(options.templatePath), store);
  io.stdout(`\n\tDeploying with following values\n\t===============================\n`);
  io.stdout(`\tStack name                   : ${options.stackName}\n`);
  io.stdout(`\tRegion                       : ${options.region}\n`);
  io.stdout(`\tEndpoint                     : ${options.endpoint}\n`);
  io.stdout(
    `\tCapabilities                 : ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]\n`,
  );
  io.stdout(`\tDeployment s3 bucket         : ${bucket}\n`);
  io.stdout(
    `\tParameter overrides          : ${JSON.stringify(Object.fromEntries(options.parameters.map((p) => [p.ParameterKey, p.ParameterValue])))}\n`,
  );
  const outcome = await deployStack(clients, {
    stackName: options.stackName,
    template: packaged.template,
    parameters: options.parameters,
    endpoint: options.endpoint,
    region: options.region,
    width: terminalWidth(io.columns),
    print: io.stdout,
    signal: io.signal,
    templateUrlFor: async (body) => {
      const bytes = Buffer.from(body);
      const { key } = await store.put(bytes, `${sha256Hex(bytes)}.template`, options.templatePath);
      // Path style on the Stratus endpoint: CloudFormation reads it from Stratus's own S3.
      return `${options.endpoint}/${bucket}/${key}`;
    },
  });
  return outcome.kind === "failed" ? outcome : { ...outcome, packaged };
}

function readTemplate(path: string): Template {
  return parseTemplate(readFileSync(path, "utf8"));
}

function isTemplateError(error: unknown): boolean {
  return (error as { name?: string }).name === "TemplateError";
}
