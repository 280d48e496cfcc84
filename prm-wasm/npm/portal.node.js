// prm-wasm/portal for Node (the "node" condition of package.json "exports"): reads the .wasm
// file next to this one and instantiates it once, on import.
import { readFile } from "node:fs/promises";
import init from "./prm_portal.js";

await init({ module_or_path: await readFile(new URL("./prm_portal_bg.wasm", import.meta.url)) });

export * from "./prm_portal.js";
