#!/usr/bin/env node
// The `stratus` command. Sources are TypeScript, run from a bundle that is rebuilt whenever they change
// (bin/bundle.mjs says why), so that no build step stands between a checkout and a running server.
import { loadStratus } from "./bundle.mjs";

await loadStratus();
