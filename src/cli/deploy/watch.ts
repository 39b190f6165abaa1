/**
 * `stratus deploy --watch`: after the deploy, keep the stack in step with the files. A change in a
 * function's local code folder re-zips it and updates that function's code in place
 * (UpdateFunctionCode with ZipFile; the function is the stack resource's physical id), one line per
 * update; a change to the template runs the whole deploy again. Changes are handled one at a time, in
 * order, after a short quiet period so that an editor's burst of writes is one update. Ctrl-C
 * (SIGINT) or SIGTERM ends it with exit code 0.
 */
import { type FSWatcher, statSync, watch } from "node:fs";
import { basename, dirname } from "node:path";
import type { DeployOptions } from "./args.ts";
import { type DeployClients, describeFailure, sleep } from "./clients.ts";
import type { CommandIo, PackagedOutcome } from "./command.ts";
import type { PackagedTemplate } from "./package.ts";
import { type LocalArtifact, readArtifact } from "./package.ts";
import { formatBytes } from "./uploader.ts";

const QUIET_MS = 300;
const CONFLICT_ATTEMPTS = 10;
const CONFLICT_RETRY_MS = 500;

export interface WatchRequest {
  readonly clients: DeployClients;
  readonly options: DeployOptions;
  readonly io: CommandIo;
  readonly width: number;
  readonly packaged: PackagedTemplate;
  readonly redeploy: () => Promise<PackagedOutcome>;
}

/** A local code path and the functions built from it. */
interface CodeSource {
  readonly path: string;
  readonly functions: { logicalId: string; physicalId: string }[];
  lastSha256: string | undefined;
}

export async function watchAndUpdate(request: WatchRequest): Promise<number> {
  const { io, options } = request;
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => {
      io.stderr(`${clock()} ${describeFailure(error, options.endpoint)}\n`);
    });
  };

  let codeWatchers: FSWatcher[] = [];
  const watchCode = async (packaged: PackagedTemplate) => {
    for (const watcher of codeWatchers) watcher.close();
    const sources = await codeSources(request, packaged);
    codeWatchers = sources.map((source) =>
      watchPath(source.path, () => enqueue(() => updateCode(request, source)), io),
    );
    const count = sources.reduce((sum, s) => sum + s.functions.length, 0);
    io.stdout(
      `${clock()} Watching ${options.templatePath} and the code of ${count} function(s); Ctrl-C to stop\n`,
    );
  };
  await watchCode(request.packaged);

  const templateName = basename(options.templatePath);
  // The folder, not the file: editors often save by writing a new file and renaming it over the old.
  const templateWatcher = debounced(
    (listener) =>
      watch(dirname(options.templatePath), (_event, name) => {
        if (name === templateName) listener();
      }),
    () =>
      enqueue(async () => {
        io.stdout(`${clock()} ${templateName} changed: deploying again\n`);
        const outcome = await request.redeploy();
        if (outcome.kind === "failed") io.stderr(`\nError: ${outcome.message}\n`);
        else await watchCode(outcome.packaged);
      }),
  );

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  templateWatcher.close();
  for (const watcher of codeWatchers) watcher.close();
  io.stdout(`${clock()} Stopped watching.\n`);
  return 0;
}

/** Each local code path with the deployed functions (physical names) whose code it is. */
async function codeSources(request: WatchRequest, packaged: PackagedTemplate): Promise<CodeSource[]> {
  const { clients, options } = request;
  const answer = await clients.cloudformation.send(
    new clients.sdk.cloudformation.DescribeStackResourcesCommand({ StackName: options.stackName }),
  );
  const physical = new Map<string, string>();
  for (const resource of answer.StackResources ?? []) {
    if (
      resource.ResourceType === "AWS::Lambda::Function" &&
      resource.LogicalResourceId &&
      resource.PhysicalResourceId
    ) {
      physical.set(resource.LogicalResourceId, resource.PhysicalResourceId);
    }
  }
  const byPath = new Map<string, CodeSource>();
  for (const [logicalId, path] of packaged.functionCode) {
    const physicalId = physical.get(logicalId);
    if (physicalId === undefined) continue;
    let source = byPath.get(path);
    if (!source) {
      source = { path, functions: [], lastSha256: undefined };
      byPath.set(path, source);
    }
    source.functions.push({ logicalId, physicalId });
  }
  for (const source of byPath.values()) source.lastSha256 = zipOf(source.path).sha256;
  return [...byPath.values()];
}

/** Re-zips the source and, when it changed, updates the code of each of its functions. */
async function updateCode(request: WatchRequest, source: CodeSource): Promise<void> {
  const { clients, io } = request;
  const zip = zipOf(source.path);
  if (zip.sha256 === source.lastSha256) return;
  source.lastSha256 = zip.sha256;
  for (const fn of source.functions) {
    await withConflictRetry(() =>
      clients.lambda.send(
        new clients.sdk.lambda.UpdateFunctionCodeCommand({ FunctionName: fn.physicalId, ZipFile: zip.bytes }),
      ),
    );
    io.stdout(
      `${clock()} Updated ${fn.logicalId} (${fn.physicalId}): ${zip.fileCount} file(s), ${formatBytes(zip.bytes.byteLength)}\n`,
    );
  }
}

/**
 * Lambda refuses an update while the previous one is still in progress (ResourceConflictException):
 * try again a few times, a moment apart, before reporting it.
 */
async function withConflictRetry<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if ((error as { name?: string }).name !== "ResourceConflictException" || attempt >= CONFLICT_ATTEMPTS)
        throw error;
      await sleep(CONFLICT_RETRY_MS);
    }
  }
}

function zipOf(path: string) {
  const artifact: LocalArtifact = {
    owner: "-",
    resourceType: "AWS::Lambda::Function",
    property: "Code",
    localPath: path,
    zip: true,
    form: "s3-object",
  };
  return readArtifact(artifact);
}

/** Watches a folder (recursively) or a file; calls `onChange` once things have been quiet a moment. */
function watchPath(path: string, onChange: () => void, io: CommandIo): FSWatcher {
  const recursive = statSync(path).isDirectory();
  return debounced(
    (listener) => watch(path, { recursive }, () => listener()),
    onChange,
    (error) => io.stderr(`${clock()} cannot watch ${path}: ${error.message}\n`),
  );
}

function debounced(
  open: (listener: () => void) => FSWatcher,
  onQuiet: () => void,
  onError?: (error: Error) => void,
): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  const watcher = open(() => {
    clearTimeout(timer);
    timer = setTimeout(onQuiet, QUIET_MS);
  });
  watcher.on("error", (error) => onError?.(error));
  watcher.on("close", () => clearTimeout(timer));
  return watcher;
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}
