// Types of prm-wasm/ops (browser and Node entries alike); the module is ready on import.
export * from "./prm_ops.js";
