// prm-wasm for Node (selected by the "node" condition of package.json "exports"): reads the
// .wasm file next to this one and instantiates it once, on import.
//
//   import { xirr } from "prm-wasm";
import { readFile } from "node:fs/promises";
import init from "./prm_wasm.js";

await init({ module_or_path: await readFile(new URL("./prm_wasm_bg.wasm", import.meta.url)) });

export * from "./prm_wasm.js";
