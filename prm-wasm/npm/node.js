// prm-wasm for Node (the "node" condition of package.json "exports"): every engine, as index.js.
//
//   import { xirr, ConflictIndex } from "prm-wasm";
export * from "./portal.node.js";
export * from "./ops.node.js";
export { limits } from "./portal.node.js";
