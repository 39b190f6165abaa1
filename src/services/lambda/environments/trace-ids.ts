/** The X-Ray trace header each invoke carries (`_X_AMZN_TRACE_ID`, `Lambda-Runtime-Trace-Id`). */
import { randomBytes } from "node:crypto";

/**
 * Trace ids need to be unique, not unpredictable: nothing is sampled or sent to X-Ray. Two
 * randomBytes calls per invoke were 3% of Stratus's CPU under warm load, so ids are a random prefix
 * drawn once per process followed by a counter.
 */
const tracePrefix = randomBytes(6).toString("hex");
const parentPrefix = randomBytes(2).toString("hex");
let traceCounter = 0;

/** An X-Ray trace header like AWS's: Root=1-{8 hex epoch}-{24 hex};Parent={16 hex};Sampled=0. */
export function traceId(): string {
  traceCounter = (traceCounter + 1) % 0x1000000000000;
  const count = traceCounter.toString(16).padStart(12, "0");
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${tracePrefix}${count};Parent=${parentPrefix}${count};Sampled=0`;
}
