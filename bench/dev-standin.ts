import { edgeOverhead } from "./edge-overhead.ts";
import { optionsFromEnv, runBenchmark } from "./harness.ts";

await runBenchmark({ ...edgeOverhead, stratus: { ...edgeOverhead.stratus, args: ["/tmp/fake-stratus.mjs"] } }, optionsFromEnv());
