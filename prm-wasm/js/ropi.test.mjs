// prm-wasm's ROPI surface beyond the golden vectors: JS types, errors, batch.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as prm from "prm-wasm";

test("decimals come back as strings, exactly", () => {
  const out = prm.partnerEconomics({
    sourced_revenue: "100000.10", margin_rate: 0.35, influenced_revenue: 1000, influence_weight: "0.5",
    costs: { mdf: 10000 },
  });
  assert.equal(out.attributed_revenue, "100500.1"); // exact, trailing zeros dropped
  assert.equal(out.gross_margin, "35175.035");
  for (const v of Object.values(out)) assert.equal(typeof v, "string");
});

test("errors are real Errors with code, path and name", () => {
  try {
    prm.irr([1, 2]);
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.equal(e.code, "NoSignChange");
    assert.equal(e.name, "NoSignChange");
    assert.equal(e.path, "flows");
    assert.match(e.message, /one positive and one negative/);
  }
  assert.throws(() => prm.npv(0.1, ["x"]), { code: "InvalidInput", path: "flows[0]" });
  assert.throws(() => prm.npv("0.1", [1]), { code: "InvalidInput", path: "rate" });
  assert.throws(() => prm.xirr(["2025-13-01"], [1]), { code: "InvalidInput", path: "dates[0]" });
  assert.throws(() => prm.clv({ arpa: 1, margin_rate: 1, retention: 0.5, horizon_periods: 1e6 }),
    { code: "LimitExceeded", path: "horizon_periods" });
});

test("guess is optional and selects among roots", () => {
  assert.ok(Math.abs(prm.irr([-1, 2.4, -1.43]) - 0.1) < 1e-14);
  assert.ok(Math.abs(prm.irr([-1, 2.4, -1.43], 0.5) - 0.3) < 1e-14);
  assert.deepEqual(Array.from(prm.irrRoots([-1, 2.4, -1.43])).map((r) => r.toFixed(12)), ["0.100000000000", "0.300000000000"]);
});

test("batch: one call, per-series errors raised or coerced", () => {
  const series = [[-100, 110], [1, 1], [-100, 0, 121]];
  assert.throws(() => prm.irrBatch(series), { code: "NoSignChange", path: "[1].flows" });
  const out = prm.irrBatch(series, { errors: "coerce" });
  assert.equal(out[1], null);
  assert.ok(Math.abs(out[0] - 0.1) < 1e-15 && Math.abs(out[2] - 0.1) < 1e-15);
  const d = ["2025-01-01", "2025-06-30", "2026-03-01"];
  const xs = prm.xirrBatch([[d, [-100, 20, 95]], [d.slice(0, 2), [-50, 60]]]);
  assert.deepEqual(xs, [prm.xirr(d, [-100, 20, 95]), prm.xirr(d.slice(0, 2), [-50, 60])]);
  assert.throws(() => prm.irrBatch(series, { errors: "ignore" }), { code: "InvalidInput", path: "options.errors" });
});

test("date strings converted on the JS side count days exactly (vs Date.UTC)", () => {
  // xnpv(1, [d1, d2], [0, 1]) = 2^(-days/365): recovers the day count between the two dates
  let seed = 12345;
  const rand = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  for (let k = 0; k < 2000; k++) {
    const t1 = Date.UTC(1601 + rand(800), rand(12), 1 + rand(31));
    const t2 = t1 + rand(200000) * 86400000;
    const want = Math.round((t2 - t1) / 86400000);
    const v = prm.xnpv(1.0, [iso(t1), iso(t2)], [0, 1]);
    const days = Math.round(-365 * Math.log2(v));
    assert.equal(days, want, `${iso(t1)} .. ${iso(t2)}`);
  }
  // and invalid calendar dates still fail with the element's path
  assert.throws(() => prm.xirr(["2024-02-29", "2025-02-29"], [-1, 2]), { code: "InvalidInput", path: "dates[1]" });
  assert.throws(() => prm.xirr(["2025-01-01", 20250101], [-1, 2]), { code: "InvalidInput", path: "dates[1]" });
});

test("dated flows in one copy give what each list on its own gives (xirr, xirrRoots, xnpv, xnpvExcel)", () => {
  let seed = 7;
  const rand = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let k = 0; k < 500; k++) {
    const n = 2 + rand(25);
    let t = Date.UTC(1990 + rand(30), rand(12), 1 + rand(28));
    const dates = [], amounts = [];
    for (let i = 0; i < n; i++) {
      dates.push(new Date(t).toISOString().slice(0, 10));
      t += rand(90) * 86400000; // same-date flows too
      amounts.push(i === 0 ? -1000 - rand(9000) : rand(2000) - 300);
    }
    // a Float64Array of amounts takes the per-list path; the dates shuffled for xnpvExcel's
    // DateBeforeStart now and then
    const shuffled = k % 5 === 0 ? [...dates].reverse() : dates;
    const calls = {
      xirr: (a) => prm.xirr(dates, a, null),
      xirrRoots: (a) => JSON.stringify(prm.xirrRoots(dates, a)),
      xnpv: (a) => prm.xnpv(0.08, shuffled, a),
      xnpvExcel: (a) => prm.xnpvExcel(0.08, shuffled, a),
    };
    for (const [name, call] of Object.entries(calls)) {
      const outcome = (a) => { try { return call(a); } catch (e) { return `${e.code} ${e.path} ${e.message}`; } };
      const one = outcome(amounts);
      const each = outcome(Float64Array.from(amounts));
      assert.equal(Object.is(one, each), true, `${name} ${dates} ${amounts}: ${one} vs ${each}`);
    }
  }
  assert.throws(() => prm.xirr(["2025-01-01", "2026-01-01"], [-1]), { code: "LengthMismatch", path: "amounts" });
  assert.throws(() => prm.xirr(["2025-01-01", "2026-01-01"], [-1, "2"]), { code: "InvalidInput", path: "amounts[1]" });
  assert.throws(() => prm.xirr(["2025-01-01", "2026-13-01"], [-1, 2]), { code: "InvalidInput", path: "dates[1]" });
  for (const call of [(d, a) => prm.xnpv(0.1, d, a), (d, a) => prm.xnpvExcel(0.1, d, a), (d, a) => prm.xirrRoots(d, a)]) {
    assert.throws(() => call(["2025-01-01", "2026-01-01"], [-1]), { code: "LengthMismatch" });
    assert.throws(() => call(["2025-01-01", "2026-01-01"], [-1, "2"]), { code: "InvalidInput", path: "amounts[1]" });
    assert.throws(() => call(["2025-01-01", "2026-13-01"], [-1, 2]), { code: "InvalidInput", path: "dates[1]" });
  }
  assert.throws(() => prm.xnpvExcel(0.1, ["2025-06-01", "2025-01-01"], [-1, 2]), { code: "DateBeforeStart", path: "dates[1]" });
});
