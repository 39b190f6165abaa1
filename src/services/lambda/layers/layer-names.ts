/**
 * Layer names and ARNs as the layer operations take them, and the model constraints on the members
 * of PublishLayerVersion / ListLayers / ListLayerVersions, worded as Lambda's coral envelope words
 * them (LocalStack's api_utils, snapshot-tested against Lambda, for the runtime and architecture texts).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { MODEL_RUNTIMES } from "../control/validate.ts";
import { constraintText, serializationError } from "../errors.ts";

/** The model's LayerName pattern (a name or an unversioned layer ARN). */
export const LAYER_NAME_PATTERN =
  "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";
const LAYER_NAME = new RegExp(`^(?:${LAYER_NAME_PATTERN})$`);
const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)$/;
/** A LayerVersionArn, as Lambda parses one. */
const LAYER_VERSION_ARN =
  /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)$/;
export const LAYER_NAME_LENGTH_MAX = 140;
export const LICENSE_INFO_LENGTH_MAX = 512;
export const COMPATIBLE_RUNTIMES_MAX = 15;
export const COMPATIBLE_ARCHITECTURES_MAX = 2;
const ARCHITECTURES = ["x86_64", "arm64"];

/** Where a layer lives: the caller's account and region for a plain name, the ARN's otherwise. */
export interface LayerLocation {
  accountId: string;
  region: string;
  name: string;
}

export interface LayerVersionLocation extends LayerLocation {
  version: number;
}

/** The constraint texts of a LayerName (empty when it is valid). */
export function layerNameConstraints(value: string): string[] {
  const out: string[] = [];
  if (value.length > LAYER_NAME_LENGTH_MAX) {
    out.push(
      constraintText(
        "layerName",
        value,
        `Member must have length less than or equal to ${LAYER_NAME_LENGTH_MAX}`,
      ),
    );
  }
  if (value.length < 1) {
    out.push(constraintText("layerName", value, "Member must have length greater than or equal to 1"));
  }
  if (!LAYER_NAME.test(value)) {
    out.push(
      constraintText(
        "layerName",
        value,
        `Member must satisfy regular expression pattern: ${LAYER_NAME_PATTERN}`,
      ),
    );
  }
  return out;
}

/** A valid LayerName (see layerNameConstraints) as a location. */
export function locateLayer(context: RequestContext, layerName: string): LayerLocation {
  const arn = LAYER_ARN.exec(layerName);
  if (arn) return { region: arn[1] as string, accountId: arn[2] as string, name: arn[3] as string };
  return { accountId: context.accountId, region: context.region, name: layerName };
}

/** A LayerVersionArn's parts, or undefined when it is not one. */
export function parseLayerVersionArn(arn: string): LayerVersionLocation | undefined {
  const match = LAYER_VERSION_ARN.exec(arn);
  if (!match) return undefined;
  return {
    region: match[1] as string,
    accountId: match[2] as string,
    name: match[3] as string,
    version: Number(match[4]),
  };
}

/** VersionNumber from the URI (a long in the model). */
export function versionNumberOf(value: unknown): number {
  const text = String(value ?? "");
  if (!/^-?[0-9]+$/.test(text)) throw serializationError("VersionNumber");
  return Number(text);
}

/** CompatibleRuntimes (list) constraint texts. */
export function compatibleRuntimesConstraints(runtimes: readonly string[]): string[] {
  const out: string[] = [];
  const rendered = `[${runtimes.join(", ")}]`;
  if (runtimes.length > COMPATIBLE_RUNTIMES_MAX) {
    out.push(
      constraintText(
        "compatibleRuntimes",
        rendered,
        `Member must have length less than or equal to ${COMPATIBLE_RUNTIMES_MAX}`,
      ),
    );
  }
  if (runtimes.some((runtime) => !MODEL_RUNTIMES.includes(runtime))) {
    out.push(
      constraintText(
        "compatibleRuntimes",
        rendered,
        `Member must satisfy enum value set: [${MODEL_RUNTIMES.join(", ")}]`,
      ),
    );
  }
  return out;
}

/** CompatibleArchitectures (list) constraint texts. */
export function compatibleArchitecturesConstraints(architectures: readonly string[]): string[] {
  const out: string[] = [];
  const rendered = `[${architectures.join(", ")}]`;
  if (architectures.length > COMPATIBLE_ARCHITECTURES_MAX) {
    out.push(
      constraintText(
        "compatibleArchitectures",
        rendered,
        `Member must have length less than or equal to ${COMPATIBLE_ARCHITECTURES_MAX}`,
      ),
    );
  }
  if (architectures.some((architecture) => !ARCHITECTURES.includes(architecture))) {
    out.push(
      constraintText(
        "compatibleArchitectures",
        rendered,
        `Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(", ")}]]`,
      ),
    );
  }
  return out;
}

/** The single CompatibleRuntime / CompatibleArchitecture filters of the list operations. */
export function listFilterConstraints(
  runtime: string | undefined,
  architecture: string | undefined,
): string[] {
  const out: string[] = [];
  if (runtime !== undefined && !MODEL_RUNTIMES.includes(runtime)) {
    out.push(
      constraintText(
        "compatibleRuntime",
        runtime,
        `Member must satisfy enum value set: [${MODEL_RUNTIMES.join(", ")}]`,
      ),
    );
  }
  if (architecture !== undefined && !ARCHITECTURES.includes(architecture)) {
    out.push(
      constraintText(
        "compatibleArchitecture",
        architecture,
        `Member must satisfy enum value set: [${ARCHITECTURES.join(", ")}]`,
      ),
    );
  }
  return out;
}
