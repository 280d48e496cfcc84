// prm-wasm/ops for browsers and bundlers: the channel-operations engines (lead routing, ROPI)
// in one module, instantiated once, on import (top-level await), as in portal.js.
//
//   import { Router, xirr } from "prm-wasm/ops";
import init from "./prm_ops.js";

await init({ module_or_path: new URL("./prm_ops_bg.wasm", import.meta.url) });

export * from "./prm_ops.js";
