/**
 * AWS's own SAM translator (the python package `samtranslator`, installed next to the tests) as an
 * oracle: the logical ids and types a template expands to on AWS, so a test can compare the stack
 * Stratus made with the one CloudFormation would make. Runs `python3` with the fixture's text on
 * stdin; the region is fixed to the tests' us-east-1.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

const TRANSLATE = `
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:
    # Policy names are resolved to ARNs only for the Policies property; the logical ids do not depend on it.
    def load(self):
        return {}

template = yaml_parse(sys.stdin.read())
output = transform(template, json.loads(sys.argv[1]), NoManagedPolicies())
print(json.dumps(output["Resources"]))
`;

/** A resource of the translated template, as the translator writes it. */
export interface TranslatedResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

/** Logical id → resource, as AWS's SAM translator expands the template. */
export async function samResources(
  templateBody: string,
  parameters: Record<string, string> = {},
): Promise<Record<string, TranslatedResource>> {
  const child = run("python3", ["-c", TRANSLATE, JSON.stringify(parameters)], {
    env: { ...process.env, AWS_DEFAULT_REGION: "us-east-1" },
    timeout: 30_000,
  });
  child.child.stdin?.end(templateBody);
  const { stdout } = await child;
  return JSON.parse(stdout) as Record<string, TranslatedResource>;
}

/** Logical id → type of the resources AWS's SAM translator makes of the template. */
export async function samExpansion(
  templateBody: string,
  parameters: Record<string, string> = {},
): Promise<Record<string, string>> {
  const resources = await samResources(templateBody, parameters);
  return Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, resource.Type]));
}

/**
 * The expansion with SAM's content hashes (`<Api>Deployment<10 hex>`, `<Fn>Version<10 hex>`) replaced
 * by `<hash>`: SAM hashes Python's str() of its swagger, which Stratus does not reproduce digit for
 * digit (documented in src/services/cloudformation/sam/api.ts); the ids' form and role are compared.
 */
export function withoutHashes(resources: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(resources).map(([id, type]) => [
      id.replace(/(Deployment|Version)[0-9a-f]{10}$/, "$1<hash>"),
      type,
    ]),
  );
}
