// prm-wasm's tiers surface beyond the golden vectors.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as prm from "prm-wasm";
import { TierProgram, simulate } from "prm-wasm";

const PROGRAM = {
  grace_periods: 1,
  tiers: [
    { name: "registered", benefits: { cost: 0 } },
    { name: "silver", requirements: { metric: "revenue", op: "gte", value: 100000 }, benefits: { cost: 1000 } },
    { name: "gold", requirements: { metric: "revenue", op: "gte", value: "500000" }, benefits: { cost: "5000.50" } },
  ],
};

test("statuses feed back as previous: probation, then demotion", () => {
  const program = new TierProgram(PROGRAM);
  const first = program.evaluate({ partner_id: "P1", values: { revenue: 600000 } }, null, "2026-01-01T00:00:00Z");
  assert.deepEqual([first.tier, first.change, first.evaluated_at], ["gold", "new", "2026-01-01T00:00:00Z"]);
  const second = program.evaluate({ partner_id: "P1", values: { revenue: "200000" } }, first);
  assert.deepEqual([second.tier, second.change, second.probation_remaining], ["gold", "probation", 0]);
  const third = program.evaluate({ partner_id: "P1", values: { revenue: 200000 } }, second);
  assert.deepEqual([third.tier, third.change], ["silver", "demoted"]);
  assert.deepEqual(third.gaps_to_next, [{ metric: "revenue", op: "gte", required: "500000", actual: "200000", short_by: "300000" }]);
});

test("evaluateMany equals single evaluations; errors carry code and path", () => {
  const program = new TierProgram(PROGRAM);
  const metrics = Array.from({ length: 10 }, (_, i) => ({ partner_id: `P${i}`, values: { revenue: i * 70000 } }));
  assert.deepEqual(program.evaluateMany(metrics), metrics.map((m) => program.evaluate(m)));
  assert.throws(() => new TierProgram({ tiers: [] }), { code: "InvalidProgram", path: "tiers" });
  assert.throws(() => program.evaluate({ partner_id: "P", values: {} }, { partner_id: "P", tier: "diamond", qualified_tier: null, change: "new" }),
    { code: "UnknownTier", path: "previous.tier" });
});

test("simulate: movement, per-tier counts, transitions, benefit cost", () => {
  const proposed = { ...PROGRAM, tiers: [PROGRAM.tiers[0], { ...PROGRAM.tiers[1], requirements: { metric: "revenue", op: "gte", value: 250000 } }, PROGRAM.tiers[2]] };
  const metrics = [["A", 120000], ["B", 300000], ["C", 50000]].map(([p, r]) => ({ partner_id: p, values: { revenue: r } }));
  const sim = simulate(PROGRAM, proposed, metrics);
  assert.deepEqual(sim.partners.map((p) => p.movement), ["down", "unchanged", "unchanged"]);
  assert.deepEqual([sim.up, sim.down, sim.unchanged], [0, 1, 2]);
  assert.deepEqual(sim.benefit_cost, { current: "2000", proposed: "1000", change: "-1000" });
  assert.ok(sim.transitions.some((t) => t.from === "silver" && t.to === "registered" && t.count === 1));
});

test("pathsToNext lists the alternatives, cheapest first", () => {
  const program = new TierProgram({ tiers: [{ name: "base" }, { name: "gold", requirements: { any: [
    { metric: "revenue", op: "gte", value: 100000 },
    { all: [{ metric: "certified", op: "gte", value: 3 }, { metric: "csat", op: "gte", value: 4 }] }] } }] });
  const paths = program.pathsToNext({ partner_id: "P", values: { revenue: 87660, certified: 2, csat: "3.5" } });
  assert.deepEqual(paths.map((p) => p.map((g) => g.metric)), [["revenue"], ["certified", "csat"]]);
  assert.equal(paths[0][0].short_by, "12340");
});

test("metricsFromEvents: trailing windows, expiry, distinct people", () => {
  const { metricsFromEvents } = prm;
  const out = metricsFromEvents([
    { partner_id: "P1", kind: "deal_won", at: "2025-03-01", amount: 40000 },
    { partner_id: "P1", kind: "deal_won", at: "2024-06-30", amount: "99000" },
    { partner_id: "P1", kind: "cert", at: "2023-01-01", person: "bo", expires_at: "2025-01-01" },
    { partner_id: "P1", kind: "cert", at: "2024-06-01", person: "ana" },
  ], "2025-06-30", [
    { name: "revenue", kind: "deal_won", aggregate: "sum", window_months: 12 },
    { name: "certified", kind: "cert", aggregate: "count_distinct" },
  ]);
  assert.deepEqual(out, [{ partner_id: "P1", values: { certified: "1", revenue: "40000" } }]);
});
