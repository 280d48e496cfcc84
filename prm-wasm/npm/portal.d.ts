// Types of prm-wasm/portal (browser and Node entries alike); the module is ready on import.
export * from "./prm_portal.js";
