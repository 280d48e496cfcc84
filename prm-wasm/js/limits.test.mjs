// The documented input limits (limits(), prm_core::limits) and hostile nesting. Cases at each
// limit and one past it are golden vectors (vectors/*/limits.json, golden.test.mjs); here: the
// published table, and values far past the nesting limit or cyclic, which must be a thrown
// LimitExceeded — never a trap that leaves the WebAssembly module broken.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as prm from "prm-wasm";

const DEAL = {
  id: "D1", amount: { amount: "10", currency: "USD" }, closed_at: "2026-01-10T00:00:00Z",
  touches: [{ partner_id: "P1", at: "2026-01-01T00:00:00Z", touch_type: "demo" }],
};
const nested = (levels, leaf = 1) => {
  for (let i = 0; i < levels; i++) leaf = [leaf];
  return leaf;
};
const code = (f) => {
  try {
    f();
  } catch (e) {
    return [e.code, e.path];
  }
  return null;
};

test("limits() publishes every limit", () => {
  const l = prm.limits();
  assert.equal(l.MAX_NESTING, 100);
  assert.equal(l.MAX_CONDITION_DEPTH, 32);
  assert.equal(l.MAX_RATE, 1e15);
  // the same names as the table of prm_core::limits
  const doc = readFileSync(new URL("../../prm-core/src/limits.rs", import.meta.url), "utf8");
  const names = [...doc.matchAll(/^\/\/! \| \[`(MAX_\w+)`\]/gm)].map((m) => m[1]);
  assert.deepEqual(Object.keys(l).sort(), names.sort());
  assert.deepEqual([l.MAX_TIERS, l.MAX_TOUCHES, l.MAX_JOURNEY_STEPS, l.MAX_FIELD_PATH_LEN], [1000, 10000, 1000, 256]);
});

for (const levels of [101, 10_000, 200_000]) {
  test(`nesting ${levels} levels deep is LimitExceeded, and the module still works`, () => {
    assert.deepEqual(code(() => prm.split({ ...DEAL, touches: nested(levels) }, "linear")), ["LimitExceeded", "deal"]);
    assert.equal(code(() => new prm.TierProgram({ tiers: nested(levels) }))[0], "LimitExceeded");
    assert.deepEqual(code(() => prm.npv(0.1, nested(levels))), ["InvalidInput", "flows[0]"]);
    assert.equal(prm.split(DEAL, "linear").shares[0].partner_id, "P1");
  });
}

test("cyclic values are LimitExceeded", () => {
  const loop = [];
  loop.push(loop);
  assert.deepEqual(code(() => prm.split({ ...DEAL, touches: loop }, "linear")), ["LimitExceeded", "deal"]);
  const d = { id: "D1" };
  d.self = d;
  assert.deepEqual(code(() => prm.detectAll([d], [], [], null)), ["LimitExceeded", "registrations"]);
  assert.equal(prm.split(DEAL, "linear").shares[0].partner_id, "P1");
});

test("a value nested to the limit is accepted", () => {
  const router = new prm.Router({ rules: [{ name: "r", strategy: { type: "first" } }] }, [{ id: "P1" }]);
  const { decisions } = router.routeBatch([{ id: "L1", attributes: { x: nested(prm.limits().MAX_NESTING - 3) } }], null);
  assert.equal(decisions[0].partner_id, "P1");
});
