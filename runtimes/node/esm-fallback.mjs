// Module customization hooks (module.register, Node >= 20.6) that let ES modules import packages
// the way AWS's Node.js runtime lets them: a bare specifier the function's own node_modules cannot
// resolve is looked up in the layers' /opt/nodejs/node{NN}/node_modules and /opt/nodejs/node_modules
// and in the runtime's own node_modules (Stratus's, which holds the AWS SDK v3), in NODE_PATH's order.
// CommonJS `require` consults NODE_PATH natively; ESM `import` does not, hence these hooks.
//
// Registering hooks starts a worker thread (about 30 ms on Node 20), so the bootstrap registers them
// only for ES module handlers that import a package these directories hold (bootstrap.mjs,
// `esmNeedsFallback`). Runs in the hooks thread: plain JS, no dependencies.
import path from "node:path";
import { pathToFileURL } from "node:url";

/** One parent URL per fallback node_modules directory D: resolving from D/x finds D/<package>. */
let parents = [];

export function initialize(data) {
  parents = (data?.dirs ?? []).map((dir) => pathToFileURL(path.join(dir, "__stratus_fallback__.mjs")).href);
}

function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-zA-Z][a-zA-Z0-9+.-]*:|#)/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !isBare(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // Not in this directory: try the next one.
      }
    }
    // The function's own resolution error, as AWS reports it (Runtime.ImportModuleError).
    throw error;
  }
}
