// prm-wasm/portal for browsers and bundlers: the partner-portal engines (conflicts, tiers,
// attribution) in one module, instantiated once, on import (top-level await), so every export is
// ready to call.
//
//   import { ConflictIndex, TierProgram, split } from "prm-wasm/portal";
//
// The .wasm file is found next to this one through `new URL(..., import.meta.url)`, which Vite,
// webpack 5, esbuild and Rollup turn into an emitted asset, and which a page that imports this
// file directly (<script type="module">, an import map) resolves against the file's own URL.
import init from "./prm_portal.js";

await init({ module_or_path: new URL("./prm_portal_bg.wasm", import.meta.url) });

export * from "./prm_portal.js";
