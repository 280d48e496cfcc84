// prm-wasm for browsers and bundlers: every engine, from both modules (fetched and instantiated
// side by side, on import).
//
//   import { ConflictIndex, Router, split, xirr } from "prm-wasm";
//
// A page that needs only some engines imports "prm-wasm/portal" (conflicts, tiers, attribution)
// or "prm-wasm/ops" (routing, ROPI) and downloads one module. Both modules export `limits`;
// the portal module's is the one exported here (the two are the same).
export * from "./portal.js";
export * from "./ops.js";
export { limits } from "./portal.js";
