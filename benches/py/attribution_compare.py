"""Side by side in one process: prm.attribution against ChannelAttribution (pip
``channelattribution``, Monte Carlo ``markov_model`` and ``heuristic_models``) on generated
journeys over 20 partners, plus prm's per-deal split throughput from Python.

    .venv/bin/pip install channelattribution matplotlib   # not needed by the test suite
    .venv/bin/python benches/py/attribution_compare.py [rows]   # default 1,000,000
    .venv/bin/python benches/py/attribution_compare.py --convergence   # CA's error vs its nsim

Prints times, the largest relative difference between prm's exact Markov attribution and
ChannelAttribution's simulation (and, for scale, between two ChannelAttribution seeds: its
sampling error), and checks that the heuristics agree.
"""

import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

import prm


def best(fn, repeat=3):
    out, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        out.append(time.perf_counter() - t)
    return min(out), value


def journeys(n, partners=20, seed=7):
    """Paths of 1-6 touches; later partners are likelier to close; ~30% of journeys convert."""
    rng = np.random.default_rng(seed)
    names = np.array([f"P{i:02d}" for i in range(1, partners + 1)])
    lengths = rng.integers(1, 7, n)
    idx = rng.integers(0, partners, lengths.sum())
    ends = np.cumsum(lengths)
    starts = ends - lengths
    paths = [">".join(names[idx[a:b]]) for a, b in zip(starts, ends)]
    last = idx[ends - 1]
    p = 0.15 + 0.3 * last / partners
    conv = (rng.random(n) < p).astype(np.float64)
    value = np.where(conv > 0, np.round(rng.lognormal(8, 1, n), 2), 0.0)
    return pd.DataFrame({"path": paths, "conversions": conv, "value": value, "nulls": 1.0 - conv})


def max_rel(a, b):
    return max(abs(a[k] - b[k]) / abs(b[k]) for k in b if abs(b[k]) > 0)


def markov_side_by_side(df):
    t_prm, r = best(lambda: prm.attribution.markov(df))
    t_parse, j = best(lambda: prm.attribution.journeys(df))
    t_solve, _ = best(lambda: prm.attribution.markov(j))
    print(f"prm markov (exact)               {len(df):>9,} rows: {t_prm*1e3:8.1f} ms "
          f"(parse {t_parse*1e3:.1f} ms + count/solve {t_solve*1e3:.1f} ms)")
    t_sh, _ = best(lambda: prm.attribution.shapley(j))
    print(f"prm shapley (from Journeys)      {len(df):>9,} rows: {t_sh*1e3:8.1f} ms")
    t_sh2, _ = best(lambda: prm.attribution.shapley(df))
    print(f"prm shapley (from the DataFrame) {len(df):>9,} rows: {t_sh2*1e3:8.1f} ms")
    try:
        import ChannelAttribution as ca
    except ImportError:
        print("ChannelAttribution not installed: skipping the comparison")
        return

    def run_ca(seed, max_step=None):
        res = ca.markov_model(df, "path", "conversions", var_value="value", var_null="nulls", max_step=max_step,
                              out_more=True, seed=seed, verbose=False, flg_pro=False)
        out = res["result"] if isinstance(res, dict) else res[0]
        return dict(zip(out["channel_name"], out["total_conversions"])), dict(zip(out["channel_name"], out["total_conversion_value"]))

    t0 = time.perf_counter()
    ca_c, ca_v = run_ca(0)
    t_ca = time.perf_counter() - t0
    print(f"ChannelAttribution markov_model  {len(df):>9,} rows: {t_ca*1e3:8.1f} ms  -> prm is {t_ca/t_prm:.1f}x faster")
    print(f"  max relative difference to prm (defaults: simulated paths cut at the longest observed path): "
          f"conversions {max_rel(ca_c, r['attributed_conversions']):.4f}, value {max_rel(ca_v, r['attributed_value']):.4f}")
    t0 = time.perf_counter()
    ca_c, ca_v = run_ca(0, max_step=100)
    t_ca = time.perf_counter() - t0
    ca_c1, _ = run_ca(1, max_step=100)
    print(f"ChannelAttribution max_step=100  {len(df):>9,} rows: {t_ca*1e3:8.1f} ms  -> prm is {t_ca/t_prm:.1f}x faster")
    print(f"  max relative difference to prm: conversions {max_rel(ca_c, r['attributed_conversions']):.4f}, "
          f"value {max_rel(ca_v, r['attributed_value']):.4f}; CA seed 0 vs seed 1: {max_rel(ca_c, ca_c1):.4f}")
    t_h, h = best(lambda: ca.heuristic_models(df, "path", "conversions", var_value="value", sep=">", flg_pro=False), 1)
    t_ph, ph = best(lambda: prm.attribution.heuristics(j))
    ca_lin = dict(zip(h["channel_name"], h["linear_touch_conversions"]))
    ca_first = dict(zip(h["channel_name"], h["first_touch_conversions"]))
    print(f"heuristics: prm {t_ph*1e3:.1f} ms vs CA {t_h*1e3:.1f} ms; max relative difference first "
          f"{max_rel(ca_first, ph['first_touch']['conversions']):.2e}, linear {max_rel(ca_lin, ph['linear']['conversions']):.2e}")


def touch_frame(n=300_000, k=5):
    """``n`` deals of ``k`` touches over 50 partners, one row per touch (a deal's rows adjacent)."""
    rng = np.random.default_rng(12)
    close = np.datetime64("2026-03-31T00:00:00", "ns")
    kinds = np.array(["sourced", "influenced", "co_sell", "referral"], dtype=object)
    rows = n * k
    return pd.DataFrame({
        "deal_id": np.repeat(np.array([f"D{i}" for i in range(n)], dtype=object), k),
        "amount": np.repeat(rng.integers(1, 10**9, n) / 100.0, k),
        "currency": "USD",
        "closed_at": np.repeat(close, rows),
        "partner_id": np.array([f"P{i:02d}" for i in range(50)], dtype=object)[rng.integers(0, 50, rows)],
        "at": close - rng.integers(0, 120 * 86_400, rows).astype("timedelta64[s]"),
        "touch_type": kinds[rng.integers(0, 4, rows)],
    })


def split_frame_throughput(n=300_000, k=5):
    frame = touch_frame(n, k)
    for model, threads in (("linear", 1), ("linear", 0), ("position_based", 0), ("time_decay", 0)):
        t, out = best(lambda: prm.attribution.split_frame(frame, model, threads=threads), 2)
        print(f"split_frame {model:<15} threads={threads} {n:,} deals x {k} touches (pandas): {t*1e3:8.1f} ms "
              f"= {n/t/1e3:6.0f}k deals/s ({len(out):,} share rows)")
    import pyarrow as pa
    table = pa.Table.from_pandas(frame, preserve_index=False)
    by_frame = prm.attribution.split_frame(frame, "linear")
    by_table = prm.attribution.split_table(table, "linear")
    assert by_table.column("amount_minor").to_pylist() == by_frame["amount_minor"].tolist()
    for model, threads in (("linear", 1), ("linear", 0), ("time_decay", 0)):
        t, out = best(lambda: prm.attribution.split_table(table, model, threads=threads), 2)
        print(f"split_table {model:<15} threads={threads} {n:,} deals x {k} touches (pyarrow): {t*1e3:8.1f} ms "
              f"= {n/t/1e3:6.0f}k deals/s ({out.num_rows:,} share rows)")
    t, out = best(lambda: prm.attribution.split_table(frame, "linear", threads=0, output="pandas"), 2)
    print(f"split_table linear threads=0, pandas in and out: {t*1e3:8.1f} ms = {n/t/1e3:6.0f}k deals/s")


def split_throughput(n=100_000):
    rng = np.random.default_rng(11)
    close = datetime(2026, 3, 31, tzinfo=timezone.utc)
    kinds = ["sourced", "influenced", "co_sell", "referral"]
    deals = []
    for i in range(n):
        touches = [{"partner_id": f"P{rng.integers(0, 50):02d}", "at": close - timedelta(days=int(rng.integers(0, 120))),
                    "touch_type": kinds[rng.integers(0, 4)]} for _ in range(5)]
        deals.append({"id": f"D{i}", "amount": {"amount": f"{rng.integers(1, 10**7)}.{rng.integers(0, 100):02d}", "currency": "USD"},
                      "closed_at": close, "touches": touches})
    for model in ("linear", "time_decay"):
        t, out = best(lambda: prm.attribution.split_many(deals, model), 2)
        print(f"split_many {model:<15} {n:,} deals x 5 touches: {t*1e3:8.1f} ms = {n/t/1e3:6.0f}k deals/s")
    t, _ = best(lambda: prm.attribution.partner_totals(deals, "linear"), 2)
    print(f"partner_totals (split + totals) {n:,} deals: {t*1e3:8.1f} ms")


def ca_convergence(n=200_000):
    """ChannelAttribution's distance to prm's exact result as its simulation count grows."""
    import ChannelAttribution as ca

    df = journeys(n)
    r = prm.attribution.markov(df)
    for nsim in (1e5, 1e6, 4e6):
        t = time.perf_counter()
        res = ca.markov_model(df, "path", "conversions", var_value="value", var_null="nulls", max_step=100,
                              nsim_start=nsim, out_more=True, verbose=False, flg_pro=False)
        c = dict(zip(res["result"]["channel_name"], res["result"]["total_conversions"]))
        print(f"CA nsim_start={nsim:.0e}, max_step=100, {n:,} rows: max relative difference to prm "
              f"{max_rel(c, r['attributed_conversions']):.4f} ({time.perf_counter() - t:.1f} s)")


def main():
    if "--convergence" in sys.argv:
        ca_convergence()
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    df = journeys(n)
    print(f"{n:,} journeys over 20 partners, {df['conversions'].sum():,.0f} conversions")
    markov_side_by_side(df)
    small = df.iloc[: n // 10]
    t, _ = best(lambda: prm.attribution.markov(small))
    print(f"prm markov (exact)               {len(small):>9,} rows: {t*1e3:8.1f} ms")
    split_frame_throughput()
    split_throughput()


if __name__ == "__main__":
    main()
