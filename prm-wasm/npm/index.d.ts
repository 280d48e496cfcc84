// Types of every export (browser and Node entries alike); the module is ready on import,
// no init call needed.
export * from "./prm_wasm.js";
