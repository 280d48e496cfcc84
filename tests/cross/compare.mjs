// Cross-surface determinism, step 2: the WebAssembly package must return the same bits (or the
// same error code and path) as the native code did for every case of target/cross_ropi.json.
import { readFileSync } from "node:fs";

const prm = await import(new URL("../../prm-wasm/pkg/node.js", import.meta.url));
const cases = JSON.parse(readFileSync(new URL("../../target/cross_ropi.json", import.meta.url), "utf8"));
const outcome = (f) => {
  try {
    return f();
  } catch (e) {
    return { error: e.code, path: e.path };
  }
};
const same = (a, b) => JSON.stringify(a, (k, v) => (typeof v === "number" ? v.toString() : v)) ===
  JSON.stringify(b, (k, v) => (typeof v === "number" ? v.toString() : v));
let passed = 0, failed = 0;
for (const c of cases) {
  const got = {
    npv: outcome(() => prm.npv(c.rate, c.amounts)),
    xnpv: outcome(() => prm.xnpv(c.rate, c.dates, c.amounts)),
    irr: outcome(() => prm.irr(c.amounts, null)),
    irr_roots: outcome(() => Array.from(prm.irrRoots(c.amounts))),
    xirr: outcome(() => prm.xirr(c.dates, c.amounts, null)),
    mirr: outcome(() => prm.mirr(c.amounts, c.finance, c.reinvest)),
    payback: outcome(() => prm.payback(c.amounts)),
    discounted_payback: outcome(() => prm.discountedPayback(c.rate, c.amounts)),
  };
  for (const k of Object.keys(c.results)) {
    if (same(got[k], c.results[k])) passed++;
    else {
      failed++;
      if (failed <= 10) console.log(`differs: ${k}(${JSON.stringify(c.amounts)}): wasm ${JSON.stringify(got[k])} native ${JSON.stringify(c.results[k])}`);
    }
  }
}
const attribution = JSON.parse(readFileSync(new URL("../../target/cross_attribution.json", import.meta.url), "utf8"));
const shares = (a) => a.shares.map((s) => [s.partner_id, s.amount.amount, s.credit]);
const markovView = (r) => ({
  p_conversion: r.p_conversion, removal_effect_conversion: r.removal_effect_conversion,
  removal_effect_value: r.removal_effect_value, attributed_conversions: r.attributed_conversions,
  attributed_value: r.attributed_value,
});
for (const c of attribution) {
  const got = {
    split_time_decay: outcome(() => shares(prm.split(c.deal, c.model))),
    split_w_shaped: outcome(() => shares(prm.split(c.deal, "w_shaped"))),
    markov: outcome(() => markovView(prm.markov(c.journeys))),
    shapley: outcome(() => prm.shapley(c.journeys, true)),
  };
  for (const k of Object.keys(c.results)) {
    if (same(got[k], c.results[k])) passed++;
    else {
      failed++;
      if (failed <= 10) console.log(`differs: ${k}: wasm ${JSON.stringify(got[k])} native ${JSON.stringify(c.results[k])}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
