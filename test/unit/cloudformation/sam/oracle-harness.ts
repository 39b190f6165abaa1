/**
 * Test helpers that run AWS's SAM translator (oracle.py, python's samtranslator) and our transformSam on
 * the same template and put both outputs in a comparable form: the REST API Deployment's hash suffix is
 * SAM's hash of Python's str() of the swagger — which we do not reproduce — so it is normalised away, and
 * the HTTP API's tag list (ordered by Python 2.7 dict hashing in SAM) is sorted.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SamContext, transformSam } from "../../../../src/services/cloudformation/sam/transform.ts";
import type { Template } from "../../../../src/services/cloudformation/template/types.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, "../../../fixtures/sam");

export function readFixture(name: string): Template {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as Template;
}

/** Whether python3 can import samtranslator; oracle tests are skipped (and say why) where it cannot. */
export const ORACLE_SKIP: string | false =
  spawnSync("python3", ["-c", "import samtranslator"], { timeout: 30_000 }).status === 0
    ? false
    : "python3's samtranslator (aws-sam-translator) is not installed";

export type OracleResult = { template: Template } | { error: string };

/** SAM's own translation (offline); parameters as SAM receives them (name → value). */
export function runOracle(template: unknown, parameters: Record<string, unknown> = {}): OracleResult {
  const result = spawnSync("python3", [join(here, "oracle.py"), JSON.stringify(parameters)], {
    input: JSON.stringify(template),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`oracle failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as Template | { error: string };
  return "error" in parsed ? { error: parsed.error } : { template: parsed };
}

export function samContext(template: Template, overrides: Record<string, unknown> = {}): SamContext {
  const parameters = new Map<string, unknown>();
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (parameter.Default !== undefined) parameters.set(name, parameter.Default);
  }
  for (const [name, value] of Object.entries(overrides)) parameters.set(name, value);
  return {
    region: "us-east-1",
    accountId: "000000000000",
    partition: "aws",
    stackName: "sam-test",
    parameters,
  };
}

/** Our translation, or the error message it throws. */
export function runOurs(template: Template, overrides: Record<string, unknown> = {}): OracleResult {
  try {
    return {
      template: transformSam(
        JSON.parse(JSON.stringify(template)) as Template,
        samContext(template, overrides),
      ),
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Deployment hash suffixes and digests replaced by placeholders; HTTP API tag lists and DependsOn lists
 * sorted (SAM builds the S3 bucket's DependsOn from a Python set, whose order varies between runs), and so
 * are a SHARED usage plan's ApiStages/StageKeys (SAM visits the APIs in Python 2.7 dict-hash order).
 */
export function normalise(template: Template): unknown {
  const deploymentIds = Object.keys(template.Resources).filter(
    (id) => template.Resources[id]?.Type === "AWS::ApiGateway::Deployment",
  );
  let text = JSON.stringify(template);
  for (const id of deploymentIds) {
    const prefix = id.replace(/[0-9a-f]{10}$/, "");
    text = text.split(id).join(`${prefix}<hash>`);
  }
  text = text.replace(/RestApi deployment id: [0-9a-f]{40}/g, "RestApi deployment id: <digest>");
  return sortTagLists(JSON.parse(text));
}

function sortTagLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortTagLists);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "DependsOn" && Array.isArray(item)) {
      out[key] = [...item].sort();
    } else if ((key === "ApiStages" || key === "StageKeys") && Array.isArray(item)) {
      out[key] = [...item].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    } else if (key === "tags" && Array.isArray(item)) {
      out[key] = [...item].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    } else out[key] = sortTagLists(item);
  }
  return out;
}
