// Per-call cost of prm-wasm's ROPI functions from JavaScript (Node), on the same kind of series
// as the criterion benches (20 dated flows). Build the package first (scripts/build-wasm.sh,
// scripts/link-wasm-pkg.sh), then: node benches/js/bench_ropi.mjs
import { performance } from "node:perf_hooks";

const prm = await import(new URL("../../prm-wasm/pkg/node.js", import.meta.url));

// SplitMix64, as benches/src/lib.rs
let state = 42n;
function unit() {
  state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  z = z ^ (z >> 31n);
  return Number(z >> 11n) / 2 ** 53;
}

const dates = [], amounts = [];
let day = Date.UTC(2021, 0, 1);
for (let i = 0; i < 20; i++) {
  dates.push(new Date(day).toISOString().slice(0, 10));
  day += (10 + Math.floor(unit() * 60)) * 86400000;
  amounts.push(i === 0 ? -10000 : 200 + unit() * 900);
}

function perCall(name, fn, n = 100_000) {
  for (let i = 0; i < 2000; i++) fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, (performance.now() - t) / n);
  }
  console.log(`| ${name} | ${(best * 1000).toFixed(2)} µs |`);
}

console.log("| call from JS (Node 20) | per call |");
console.log("|---|---|");
perCall("npv (20 flows)", () => prm.npv(0.08, amounts));
perCall("irr (20 flows)", () => prm.irr(amounts, null));
perCall("xirr (20 dated flows)", () => prm.xirr(dates, amounts, null));
perCall("xirrRoots (20 dated flows)", () => prm.xirrRoots(dates, amounts));
perCall("xnpv (20 dated flows)", () => prm.xnpv(0.08, dates, amounts));
const series = Array.from({ length: 10_000 }, () => [dates, amounts]);
{
  prm.xirrBatch(series);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    prm.xirrBatch(series);
    best = Math.min(best, (performance.now() - t) / series.length);
  }
  console.log(`| xirrBatch, per series (10,000 series in one call) | ${(best * 1000).toFixed(2)} µs |`);
}
