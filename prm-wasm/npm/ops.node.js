// prm-wasm/ops for Node (the "node" condition of package.json "exports"), as portal.node.js.
import { readFile } from "node:fs/promises";
import init from "./prm_ops.js";

await init({ module_or_path: await readFile(new URL("./prm_ops_bg.wasm", import.meta.url)) });

export * from "./prm_ops.js";
