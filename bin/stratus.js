#!/usr/bin/env node
// The `stratus` command. Sources are TypeScript, loaded through tsx so that no build step stands
// between a checkout and a running server.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
