// prm-wasm: the ES module entry. It instantiates the WebAssembly module once, on import
// (top-level await), so every export is ready to call:
//
//   import { xirr, partnerEconomics } from "prm-wasm";
//
// Node reads the .wasm file next to this one; browsers and bundlers (Vite, webpack 5, esbuild)
// resolve it through `new URL(..., import.meta.url)`.
import init from "./prm_wasm.js";

const wasmUrl = new URL("./prm_wasm_bg.wasm", import.meta.url);
if (typeof process !== "undefined" && process.versions != null && process.versions.node != null) {
  const { readFile } = await import("node:fs/promises");
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export * from "./prm_wasm.js";
