/**
 * The command lines of `stratus deploy` and `stratus destroy`, read into plain options: which
 * template (default template.yaml, template.yml or template.json in the current folder), which stack
 * (default: samconfig.toml's `stack_name` next to the template, else the template folder's name),
 * parameter overrides in both of `sam deploy`'s forms (`Key=Value` and
 * `ParameterKey=Key,ParameterValue=Value`), and where Stratus is.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cdkStackOfTemplate } from "./cdk-assets.ts";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:4566";
const TEMPLATE_NAMES = ["template.yaml", "template.yml", "template.json"];

export const DEPLOY_USAGE = `Usage: stratus deploy [TEMPLATE] [options]

Packages a CloudFormation/SAM template's local code (CodeUri, ContentUri, Code) into S3, deploys it
as a stack through a change set, shows the stack's events as they happen, then its outputs and the
local URLs of its APIs.

Options:
  TEMPLATE                          template file (default template.yaml, template.yml or
                                    template.json in the current folder); also -t/--template-file
  --stack-name NAME                 (default: stack_name in samconfig.toml, else the template
                                    folder's name)
  --parameter-overrides K=V [...]   template parameters (also ParameterKey=K,ParameterValue=V)
  --watch                           stay running: update a function's code when its files change,
                                    redeploy when the template changes (Ctrl-C stops)
  --endpoint URL                    the Stratus to deploy to (default ${DEFAULT_ENDPOINT})
  --region R                        (default $AWS_REGION or us-east-1)
  --help                            show this help
`;

export const DESTROY_USAGE = `Usage: stratus destroy STACK [options]

Deletes a stack and every resource it holds, showing its events until DELETE_COMPLETE.

Options:
  --endpoint URL   the Stratus to use (default ${DEFAULT_ENDPOINT})
  --region R       (default $AWS_REGION or us-east-1)
  --help           show this help
`;

export class ArgumentError extends Error {
  override readonly name = "ArgumentError";
}

export interface ConnectionOptions {
  readonly endpoint: string;
  readonly region: string;
}

export interface DeployOptions extends ConnectionOptions {
  readonly help: false;
  readonly templatePath: string;
  readonly stackName: string;
  readonly parameters: readonly { ParameterKey: string; ParameterValue: string }[];
  readonly watch: boolean;
}

export interface DestroyOptions extends ConnectionOptions {
  readonly help: false;
  readonly stackName: string;
}

export interface Help {
  readonly help: true;
}

/** Where a command writes its answer to the command line (./command.ts's CommandIo fits). */
interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * The options `parse` reads from a command's arguments, or the command's exit code once the command
 * line is answered: 0 after printing `usage` for --help, 1 after reporting an argument error as
 * `stratus <command>: <message>`. Shared by `stratus deploy` and `stratus destroy`.
 */
export function optionsOrExitCode<T extends { readonly help: false }>(
  command: string,
  usage: string,
  parse: () => T | Help,
  io: CommandOutput,
): T | number {
  try {
    const parsed = parse();
    if (parsed.help) {
      io.stdout(usage);
      return 0;
    }
    return parsed;
  } catch (error) {
    if (error instanceof ArgumentError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`stratus ${command}: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The options both commands take: where Stratus is (read by `connection`), and --help. */
const CONNECTION_AND_HELP_OPTIONS = {
  endpoint: { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseDeployArgs(
  argv: readonly string[],
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): DeployOptions | Help {
  const { rest, overrides } = takeParameterOverrides(argv);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      "stack-name": { type: "string" },
      "template-file": { type: "string", short: "t" },
      watch: { type: "boolean" },
      ...CONNECTION_AND_HELP_OPTIONS,
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return { help: true };
  if (positionals.length > 1) throw new ArgumentError(`name one template, not ${positionals.length}`);
  const named = values["template-file"] ?? positionals[0];
  const templatePath = named === undefined ? findDefaultTemplate(cwd) : resolve(cwd, named);
  if (!existsSync(templatePath)) throw new ArgumentError(`Template file not found at ${templatePath}`);
  const stackName = values["stack-name"] ?? defaultStackName(templatePath);
  checkStackName(stackName);
  return {
    help: false,
    templatePath,
    stackName,
    parameters: overrides.map(parseParameterOverride),
    watch: values.watch === true,
    ...connection(values, env),
  };
}

export function parseDestroyArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): DestroyOptions | Help {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      "stack-name": { type: "string" },
      ...CONNECTION_AND_HELP_OPTIONS,
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return { help: true };
  const names = [...positionals, ...(values["stack-name"] === undefined ? [] : [values["stack-name"]])];
  if (names.length !== 1) throw new ArgumentError("name one stack (try: stratus destroy --help)");
  const stackName = names[0] as string;
  checkStackName(stackName);
  return { help: false, stackName, ...connection(values, env) };
}

/** `Key=Value` or `ParameterKey=Key,ParameterValue=Value`, as `sam deploy --parameter-overrides` takes them. */
export function parseParameterOverride(text: string): { ParameterKey: string; ParameterValue: string } {
  const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/s.exec(text);
  if (long) return { ParameterKey: long[1] as string, ParameterValue: long[2] as string };
  const equals = text.indexOf("=");
  if (equals <= 0) {
    throw new ArgumentError(
      `--parameter-overrides takes Key=Value (or ParameterKey=K,ParameterValue=V), not '${text}'`,
    );
  }
  return { ParameterKey: text.slice(0, equals), ParameterValue: text.slice(equals + 1) };
}

/** template.yaml, else template.yml, else template.json in `cwd`. */
export function findDefaultTemplate(cwd: string): string {
  for (const name of TEMPLATE_NAMES) {
    const path = join(cwd, name);
    if (existsSync(path)) return path;
  }
  throw new ArgumentError(`no template: name one, or put template.yaml in ${cwd}`);
}

/**
 * The CDK assembly's stack name for a synthesized template, else samconfig.toml's `stack_name` next to
 * the template, else the template folder's name made valid.
 */
export function defaultStackName(templatePath: string): string {
  // A CDK stack's template (cdk.out/Stack.template.json) names its stack in the cloud assembly.
  const cdkStack = cdkStackOfTemplate(templatePath);
  if (cdkStack) return cdkStack.stackName;
  const folder = dirname(templatePath);
  const fromConfig = samconfigStackName(join(folder, "samconfig.toml"));
  if (fromConfig !== undefined) return fromConfig;
  const name = basename(folder)
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/^[^A-Za-z]+/, "")
    .slice(0, 128);
  return name === "" ? "stratus-app" : name;
}

/**
 * `stack_name` of `[default.deploy.parameters]` in a samconfig.toml. Only this simple, common
 * shape is read (a quoted string on one line); anything else falls back to the folder's name.
 */
export function samconfigStackName(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  let section = "";
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) {
      section = (header[1] as string).trim();
      continue;
    }
    if (section !== "default.deploy.parameters") continue;
    const entry = /^\s*stack_name\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(#.*)?$/.exec(line);
    if (entry) return entry[1] ?? entry[2];
  }
  return undefined;
}

/** CloudFormation's rule for stack names (ValidationError on CreateChangeSet otherwise). */
function checkStackName(name: string): void {
  if (!/^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(name)) {
    throw new ArgumentError(
      `stack name '${name}' must start with a letter and hold only letters, digits and hyphens (at most 128)`,
    );
  }
}

/** `--parameter-overrides` takes every following argument up to the next option. */
function takeParameterOverrides(argv: readonly string[]): { rest: string[]; overrides: string[] } {
  const rest: string[] = [];
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("--parameter-overrides=")) {
      overrides.push(arg.slice("--parameter-overrides=".length));
    } else if (arg === "--parameter-overrides") {
      const start = overrides.length;
      while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith("--"))
        overrides.push(argv[++i] as string);
      if (overrides.length === start)
        throw new ArgumentError("--parameter-overrides needs at least one Key=Value");
    } else {
      rest.push(arg);
    }
  }
  return { rest, overrides };
}

function connection(
  values: { endpoint?: string | undefined; region?: string | undefined },
  env: NodeJS.ProcessEnv,
): ConnectionOptions {
  const endpoint = (values.endpoint ?? DEFAULT_ENDPOINT).replace(/\/$/, "");
  if (!/^https?:\/\/[^/\s]+$/.test(endpoint)) {
    throw new ArgumentError(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT}, not '${values.endpoint}'`);
  }
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new ArgumentError(`--region must look like us-east-1, not '${region}'`);
  return { endpoint, region };
}
