/**
 * `Layers` of CreateFunction and UpdateFunctionConfiguration: checks the list as Lambda does (texts
 * from LocalStack's provider, which records them from Lambda), in this order: at most 5 layers; each a
 * layer version ARN; a layer of another region; a layer version that does not exist (or, for another
 * account's layer, one whose policy does not grant the caller); two versions of one layer. Then builds
 * the merged /opt the function's environments use (code/opt-dir.ts) before the function is saved.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { StoredCode } from "../code/code-store.ts";
import { UNZIPPED_BYTES_MAX } from "../code/code-store.ts";
import {
  codeWithLayersTooLarge,
  functionLayerNotFound,
  layerAccessDenied,
  layersInOtherRegion,
  sameLayerTwice,
  serializationError,
  tooManyLayers,
  validationException,
} from "../errors.ts";
import type { FunctionLayer, LambdaStore } from "../store.ts";
import { parseLayerVersionArn } from "./layer-names.ts";
import { getLayerVersion } from "./layer-store.ts";
import { policyGrants } from "./policy-grants.ts";

/** Lambda's quota: layers per function. */
export const LAYERS_PER_FUNCTION_MAX = 5;

/** The constraint Lambda quotes for an entry of Layers that is not a layer version ARN. */
const LAYERS_CONSTRAINT =
  "Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]";

/** The Layers member as given: undefined when absent (UpdateFunctionConfiguration: no change). */
export function layerArnsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw serializationError("Layers");
  return value as string[];
}

/** Checks the layer version ARNs and returns what the function records, with its /opt built. */
export async function resolveFunctionLayers(
  store: LambdaStore,
  context: RequestContext,
  arns: readonly string[],
): Promise<FunctionLayer[]> {
  if (arns.length > LAYERS_PER_FUNCTION_MAX) throw tooManyLayers();
  const layers: FunctionLayer[] = [];
  const seen = new Map<string, string>();
  for (const arn of arns) {
    const parsed = parseLayerVersionArn(arn);
    if (!parsed) {
      throw validationException(
        `1 validation error detected: Value '[${arn}]' at 'layers' failed to satisfy constraint: ${LAYERS_CONSTRAINT}`,
      );
    }
    const own = parsed.accountId === context.accountId;
    if (parsed.region !== context.region) {
      if (own) throw layersInOtherRegion(context.region);
      throw layerAccessDenied(context.accountId, arn);
    }
    const record = await getLayerVersion(
      store.storage,
      parsed.accountId,
      parsed.region,
      parsed.name,
      parsed.version,
    );
    if (own && !record) throw functionLayerNotFound(arn);
    if (!own && (!record || !policyGrants(record, context.accountId)))
      throw layerAccessDenied(context.accountId, arn);
    // Only the first two versions of one layer are named in the message, as Lambda does.
    const layerArn = arn.slice(0, arn.lastIndexOf(":"));
    const earlier = seen.get(layerArn);
    if (earlier !== undefined) throw sameLayerTwice(earlier, arn);
    seen.set(layerArn, arn);
    if (record) layers.push({ arn, codeSize: record.code.codeSize, sha256Hex: record.code.sha256Hex });
  }
  if (layers.length > 0) await store.code.ensureOptDir(layers.map((layer) => layer.sha256Hex));
  return layers;
}

/**
 * Lambda's quota on a function's package plus its layers, unzipped (each counted whole, as Lambda
 * counts them, not the merged /opt). Hot-reload directories are not counted (LocalStack does not either).
 */
export async function checkCombinedSize(
  store: LambdaStore,
  code: StoredCode,
  layers: readonly FunctionLayer[] | undefined,
  limitBytes = UNZIPPED_BYTES_MAX,
): Promise<void> {
  if (!layers?.length || code.hotReloadDir !== undefined) return;
  let total = await store.code.unzippedBytes(code.sha256Hex);
  for (const layer of layers) total += await store.code.unzippedBytes(layer.sha256Hex);
  if (total > limitBytes) throw codeWithLayersTooLarge(limitBytes, total);
}
