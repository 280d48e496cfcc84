"""Side by side in one Python process: prm.ropi vs pyxirr and numpy-financial on the same series.

    .venv/bin/pip install pyxirr numpy-financial mpmath
    .venv/bin/python benches/py/ropi_compare.py [--series 100000]

Prints a Markdown table (copied into BENCHMARKS.md). Timings are best-of-N wall clock on this
machine; the ratios are what matter.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

import mpmath as mp
import numpy as np
import numpy_financial as npf
import pandas as pd
import pyxirr

import prm

mp.mp.dps = 50


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def make_series(n_series: int, n_flows: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    gaps = rng.integers(10, 70, size=(n_series, n_flows))
    gaps[:, 0] = 0
    days = np.cumsum(gaps, axis=1)
    amounts = rng.uniform(200, 1100, size=(n_series, n_flows))
    amounts[:, 0] = -10_000
    base = date(2021, 1, 1)
    return days, amounts, base


def _split_loop(long):
    """The fastest per-call pyxirr loop from a long DataFrame we know: numpy splits at the
    series boundaries (rows grouped), then one call per series."""
    ids = long["series_id"].to_numpy()
    cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    dates = np.split(long["date"].to_numpy().astype("datetime64[D]"), cuts)
    amounts = np.split(long["amount"].to_numpy(), cuts)
    return [pyxirr.xirr(d, a) for d, a in zip(dates, amounts)]


def exact_xirr(dates, amounts, x0):
    d0 = min(dates)
    f = lambda r: sum(mp.mpf(a) / (1 + r) ** (mp.mpf((d - d0).days) / 365) for d, a in zip(dates, amounts))
    return mp.findroot(f, mp.mpf(x0))


def exact_irr(flows, x0):
    f = lambda r: sum(mp.mpf(c) / (1 + r) ** t for t, c in enumerate(flows))
    return mp.findroot(f, mp.mpf(x0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--flows", type=int, default=20)
    args = ap.parse_args()
    n, k = args.series, args.flows
    days, amounts, base = make_series(n, k)
    dates = [[base + timedelta(days=int(d)) for d in row] for row in days]
    amount_lists = [list(map(float, row)) for row in amounts]
    rows = []

    # --- per call: xirr on 20 dated flows ------------------------------------------------------
    m = min(n, 20_000)
    t_prm = best(lambda: [prm.ropi.xirr(dates[i], amount_lists[i]) for i in range(m)], 3) / m
    t_px = best(lambda: [pyxirr.xirr(dates[i], amount_lists[i]) for i in range(m)], 3) / m
    rows.append(("xirr, one call (20 dated flows)", t_prm, t_px, "pyxirr.xirr"))

    # --- batch: 100k series -----------------------------------------------------------------------
    long = pd.DataFrame({
        "series_id": np.repeat(np.arange(n), k),
        "date": (np.datetime64(base) + days.reshape(-1).astype("timedelta64[D]")),
        "amount": amounts.reshape(-1),
    })
    t_batch_df = best(lambda: prm.ropi.xirr_batch(long), 3)
    t_batch_df2 = best(lambda: prm.ropi.xirr_batch(long, threads=0), 3)
    pairs = list(zip(dates, amount_lists))
    t_batch_list = best(lambda: prm.ropi.xirr_batch(pairs), 3)
    t_px_loop = best(lambda: [pyxirr.xirr(d, a) for d, a in pairs], 1)
    rows.append((f"xirr of {n:,} series (DataFrame -> DataFrame, 1 thread)", t_batch_df, t_px_loop, "pyxirr.xirr loop"))
    rows.append((f"xirr of {n:,} series (DataFrame -> DataFrame, threads=0: 2 cores)", t_batch_df2, t_px_loop,
                 "pyxirr.xirr loop"))
    rows.append((f"xirr of {n:,} series (list of (dates, amounts))", t_batch_list, t_px_loop, "pyxirr.xirr loop"))
    # the per-call loop a DataFrame user writes: split the long frame by series, call per group
    t_px_groupby = best(lambda: [pyxirr.xirr(g["date"].to_numpy(), g["amount"].to_numpy())
                                 for _, g in long.groupby("series_id", sort=False)], 1)
    rows.append((f"xirr of {n:,} series from the DataFrame (pyxirr per groupby group)", t_batch_df, t_px_groupby,
                 "pyxirr.xirr per group"))
    t_px_split = best(lambda: _split_loop(long), 1)
    rows.append((f"xirr of {n:,} series from the DataFrame (pyxirr on numpy splits)", t_batch_df, t_px_split,
                 "pyxirr.xirr per np.split"))

    # --- irr per call vs numpy-financial ------------------------------------------------------------
    m2 = 2_000
    t_irr = best(lambda: [prm.ropi.irr(amount_lists[i]) for i in range(m2)], 3) / m2
    t_npf = best(lambda: [npf.irr(amount_lists[i]) for i in range(m2)], 1) / m2
    rows.append(("irr, one call (20 periodic flows)", t_irr, t_npf, "numpy_financial.irr"))
    t_npv = best(lambda: [prm.ropi.npv(0.08, amount_lists[i]) for i in range(m2)], 3) / m2
    t_npf_npv = best(lambda: [npf.npv(0.08, amount_lists[i]) for i in range(m2)], 3) / m2
    rows.append(("npv, one call (20 flows)", t_npv, t_npf_npv, "numpy_financial.npv"))

    print(f"| operation | prm | peer | peer time | prm speed-up |")
    print(f"|---|---|---|---|---|")
    for name, a, b, peer in rows:
        fmt = lambda t: f"{t * 1e6:.2f} µs" if t < 1e-3 else f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s"
        print(f"| {name} | {fmt(a)} | {peer} | {fmt(b)} | {b / a:.1f}× |")

    # --- precision against mpmath (50 digits) ------------------------------------------------------
    worst = {"prm xirr": 0.0, "pyxirr xirr": 0.0, "prm irr": 0.0, "numpy-financial irr": 0.0}
    for i in range(200):
        ex = exact_xirr(dates[i], amount_lists[i], prm.ropi.xirr(dates[i], amount_lists[i]))
        worst["prm xirr"] = max(worst["prm xirr"], float(abs((prm.ropi.xirr(dates[i], amount_lists[i]) - ex) / ex)))
        worst["pyxirr xirr"] = max(worst["pyxirr xirr"], float(abs((pyxirr.xirr(dates[i], amount_lists[i]) - ex) / ex)))
        ei = exact_irr(amount_lists[i], prm.ropi.irr(amount_lists[i]))
        worst["prm irr"] = max(worst["prm irr"], float(abs((prm.ropi.irr(amount_lists[i]) - ei) / ei)))
        worst["numpy-financial irr"] = max(worst["numpy-financial irr"], float(abs((npf.irr(amount_lists[i]) - ei) / ei)))
    print()
    print("| worst relative error vs mpmath (200 series) | value |")
    print("|---|---|")
    for name, v in worst.items():
        print(f"| {name} | {v:.1e} |")


if __name__ == "__main__":
    main()
