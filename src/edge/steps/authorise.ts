/**
 * Step 6, authorise. IAM policies are stored (by the IAM service, later) but not enforced yet: every
 * authenticated principal may call every operation, as with LocalStack's default. This step is where
 * enforcement will go, so that the pipeline's order is already the final one.
 */
import type { Exchange } from "../exchange.ts";

export function authorise(_exchange: Exchange): void {}
