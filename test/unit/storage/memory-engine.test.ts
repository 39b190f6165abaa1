import { openMemoryStore } from "../../../src/storage/memory-engine.ts";
import { registerKvConformance } from "./kv-conformance.ts";

registerKvConformance("memory engine", { open: async () => openMemoryStore() });
