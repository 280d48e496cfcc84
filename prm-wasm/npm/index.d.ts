// Types of every export; the module is ready on import (no init call needed).
export * from "./prm_wasm.js";
