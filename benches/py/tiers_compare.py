"""Side by side in one process: prm.tiers against a vectorised pandas version of the same
4-tier, 12-requirement program (boolean masks), on 100,000 partners.

    .venv/bin/python benches/py/tiers_compare.py

pandas computes the qualified tier only; prm also produces the status, probation and gaps.
"""

import gc
import json
import os
import time

# numpy's BLAS threads spin after use and would take the second core from prm's second thread
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd

import prm

PROGRAM = json.loads(open(__file__.replace("py/tiers_compare.py", "src/lib.rs")).read()
                     .split('pub const TIER_PROGRAM: &str = r#"')[1].split('"#;')[0])


def best(fn, repeat=15):
    """The fastest of `repeat` calls, with the garbage collector off (as timeit does: the
    100,000 partner dicts built for the dict paths would otherwise be traversed mid-call)."""
    out = []
    gc.disable()
    try:
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    finally:
        gc.enable()
    return min(out)


def main(n=100_000):
    rng = np.random.default_rng(3)
    df = pd.DataFrame({
        "partner_id": [f"P{i:06d}" for i in range(n)],
        "revenue": (rng.random(n) * 3_000_000).round(),
        "certified": np.floor(rng.random(n) * 9),
        "csat": (rng.random(n) * 50).round() / 10,
        "deals": np.floor(rng.random(n) * 45),
        "renewal": (rng.random(n) * 100).round() / 100,
        "nps": np.floor(rng.random(n) * 100),
    })
    cols = ["revenue", "certified", "csat", "deals", "renewal", "nps"]
    records = [{"partner_id": p, "values": dict(zip(cols, vals))}
               for p, *vals in df[["partner_id"] + cols].itertuples(index=False)]
    program = prm.tiers.TierProgram(PROGRAM)

    def pandas_tiers():
        silver = (df.revenue >= 250_000) & (df.certified >= 2) & (df.csat >= 3.5)
        two_of = ((df.certified >= 5).astype(int) + (df.csat >= 4.5).astype(int) + (df.deals >= 20).astype(int)) >= 2
        gold = (df.revenue >= 1_000_000) & (df.renewal >= 0.8) & two_of
        points = (np.minimum(np.floor(df.revenue / 250_000), 10) + np.minimum(df.certified, 6)
                  + np.minimum(np.floor(df.deals / 10), 4))
        platinum = (df.nps >= 50) & (points >= 18)
        tier = np.select([platinum, gold, silver], ["platinum", "gold", "silver"], default="registered")
        return tier

    t_pd = best(pandas_tiers, 50)
    t_prm = best(lambda: program.evaluate_many(records), 3)
    t_one = best(lambda: [program.evaluate(records[i]) for i in range(2000)], 3) / 2000
    proposed = json.loads(json.dumps(PROGRAM).replace("1000000", "800000"))
    t_sim = best(lambda: prm.tiers.simulate(program, proposed, records), 1)
    t_pd = min(t_pd, best(pandas_tiers, 50))
    import pyarrow as pa
    table = pa.Table.from_pandas(df, preserve_index=False)
    t_tab = best(lambda: prm.tiers.evaluate_table(program, table), 50)
    t_tab2 = best(lambda: prm.tiers.evaluate_table(program, table, threads=2), 50)
    t_tab_pd = best(lambda: prm.tiers.evaluate_table(program, df))
    t_many_pd = best(lambda: program.evaluate_many(df))
    by_table = prm.tiers.evaluate_table(program, table)
    t_sim_tab = best(lambda: prm.tiers.simulate_table(program, prm.tiers.TierProgram(proposed), table), 3)
    agree_table = (pandas_tiers() == np.array(by_table.column("qualified_tier").to_pylist())).all()
    agree = (pandas_tiers() == np.array([s["qualified_tier"] for s in program.evaluate_many(records)])).all()

    print("| operation | time | per partner |")
    print("|---|---|---|")
    print(f"| pandas boolean masks, qualified tier only, {n:,} partners | {t_pd * 1e3:.2f} ms | {t_pd / n * 1e9:.0f} ns |")
    print(f"| prm `evaluate_many` (tier, change, gaps), {n:,} partners | {t_prm * 1e3:.0f} ms | {t_prm / n * 1e9:.0f} ns ({n / t_prm / 1e3:.0f}k/s) |")
    print(f"| prm `evaluate_table` (Arrow in/out; tier, change, gaps), {n:,} partners, 1 thread | {t_tab * 1e3:.2f} ms | {t_tab / n * 1e9:.0f} ns ({n / t_tab / 1e3:.0f}k/s) |")
    print(f"| prm `evaluate_table`, 2 threads | {t_tab2 * 1e3:.2f} ms | {t_tab2 / n * 1e9:.0f} ns ({n / t_tab2 / 1e3:.0f}k/s) |")

    print(f"| prm `evaluate_table` from the pandas DataFrame, 1 thread | {t_tab_pd * 1e3:.0f} ms | |")
    print(f"| prm `evaluate_many(df)` (pandas in, pandas out) | {t_many_pd * 1e3:.0f} ms | {n / t_many_pd / 1e3:.0f}k/s |")
    print(f"| prm `evaluate`, one call | {t_one * 1e6:.2f} µs | |")
    print(f"| prm `simulate`, {n:,} partners | {t_sim * 1e3:.0f} ms | |")
    print(f"| prm `simulate_table` (summary + per-partner Arrow table), {n:,} partners | {t_sim_tab * 1e3:.0f} ms | |")
    gaps = sum(len(g) for g in by_table.column("gaps_to_next").to_pylist())
    print(f"\nprm evaluate_table / pandas: {t_tab / t_pd:.2f}x (1 thread), {t_tab2 / t_pd:.2f}x (2 threads); {gaps:,} gaps written")
    print(f"qualified tiers agree with pandas on all {n:,} partners: {bool(agree)} (dicts), {bool(agree_table)} (table)")


if __name__ == "__main__":
    main()
