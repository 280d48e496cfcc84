// Types of every export of prm-wasm (browser and Node entries alike); the modules are ready on
// import, no init call needed. The names both modules declare (the shared input and error types,
// `limits`) are taken from the portal module's declarations, which are the same.
export * from "./portal.js";
export * from "./ops.js";
export { limits, type DateString, type DecimalInput, type Money, type PrmError, type TimeString } from "./portal.js";
