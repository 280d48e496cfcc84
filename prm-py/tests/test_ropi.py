"""prm.ropi beyond the golden vectors: Python types, errors, batch and DataFrames, and
precision against an arbitrary-precision reference (mpmath)."""

import os
import pickle
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import mpmath as mp
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import prm
from prm import ropi

mp.mp.dps = 40


# ---- types in and out -----------------------------------------------------------------------

def test_decimals_in_and_out_are_exact():
    out = ropi.partner_economics({
        "sourced_revenue": Decimal("100000.10"), "margin_rate": 0.35, "influenced_revenue": 1000,
        "influence_weight": "0.5", "costs": {"mdf": Decimal("10000")},
    })
    assert all(isinstance(v, Decimal) for v in out.values())
    assert out["attributed_revenue"] == Decimal("100500.10")
    assert out["gross_margin"] == Decimal("35175.035")


def test_dates_accept_date_datetime_and_iso_strings():
    a = ropi.xirr([date(2025, 1, 1), date(2026, 1, 1)], [-100, 110])
    b = ropi.xirr([datetime(2025, 1, 1, 12, tzinfo=timezone.utc), "2026-01-01"], [-100.0, Decimal("110")])
    assert a == pytest.approx(0.1, rel=1e-15) and b == a


def test_numpy_and_tuples_are_sequences():
    assert ropi.npv(np.float64(0.1), np.array([-100.0, 60, 60])) == pytest.approx(4.132231404958678, rel=1e-15)
    assert ropi.irr((-100, 110)) == pytest.approx(0.1, rel=1e-15)


def test_time_to_revenue_returns_plain_python():
    out = ropi.time_to_revenue({"partners": [
        {"activation_date": date(2025, 1, 1), "first_revenue_date": date(2025, 1, 31)},
        {"activation_date": "2025-01-01"}], "within_days": 30})
    assert out == {"per_partner_days": [30, None], "median_days": Decimal(30), "mean_days": Decimal(30),
                   "activated_within_share": Decimal("0.5")}


# ---- errors ---------------------------------------------------------------------------------

def test_every_core_error_code_has_a_class():
    from prm import _prm

    for code in _prm.ERROR_CODES:
        cls = getattr(prm, code)
        assert issubclass(cls, prm.PrmError) and issubclass(cls, ValueError), code


def test_errors_carry_code_path_and_pickle():
    with pytest.raises(prm.NoSignChange) as info:
        ropi.irr([1, 2])
    err = info.value
    assert (err.code, err.path) == ("NoSignChange", "flows")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is prm.NoSignChange and back.path == "flows" and str(back) == str(err)


@pytest.mark.parametrize("call, code, path", [
    (lambda: ropi.npv(0.1, ["x"]), "InvalidInput", "flows[0]"),
    (lambda: ropi.npv(0.1, "123"), "InvalidInput", "flows"),
    (lambda: ropi.npv(float("nan"), [1]), "InvalidRate", "rate"),
    (lambda: ropi.npv(0.1, [1, float("inf")]), "NonFinite", "flows[1]"),
    (lambda: ropi.xirr(["2025-13-01"], [1]), "InvalidInput", "dates[0]"),
    (lambda: ropi.partner_economics({"sourced_revenue": "1", "margin_rate": "x"}), "InvalidInput", "margin_rate"),
    (lambda: ropi.partner_economics({"sourced_revenue": "1"}), "InvalidInput", ""),
    (lambda: ropi.clv({"arpa": 1, "margin_rate": 1, "retention": 0.5, "horizon_periods": 10**6}),
     "LimitExceeded", "horizon_periods"),
])
def test_bad_input_is_a_typed_error_with_a_path(call, code, path):
    with pytest.raises(prm.PrmError) as info:
        call()
    assert (info.value.code, info.value.path) == (code, path)


# ---- precision against mpmath -----------------------------------------------------------------

def mp_irr(flows, x0):
    f = lambda r: sum(mp.mpf(c) / (1 + r) ** t for t, c in enumerate(flows))
    return mp.findroot(f, mp.mpf(x0))


conventional = st.tuples(
    st.floats(1, 1e9), st.lists(st.floats(0, 1e9), min_size=1, max_size=25)
).map(lambda t: [-t[0]] + t[1])


@settings(max_examples=int(os.environ.get("PRM_HYPOTHESIS_EXAMPLES", 150)), deadline=None)
@given(conventional)
def test_irr_agrees_with_mpmath(flows):
    assume(sum(flows[1:]) > 1e-3 * -flows[0])  # keep the root in a well-conditioned range
    r = ropi.irr(flows)
    exact = mp_irr(flows, r)
    assert abs(r - float(exact)) <= 1e-12 * max(1.0, abs(float(exact)))


@settings(max_examples=int(os.environ.get("PRM_HYPOTHESIS_EXAMPLES", 100)), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3650), st.floats(-1e6, 1e6)), min_size=2, max_size=20))
def test_xirr_root_zeroes_xnpv_exactly(rows):
    d0 = date(2020, 1, 1)
    dates = [d0 + timedelta(days=d) for d, _ in rows]
    amounts = [a for _, a in rows]
    try:
        r = ropi.xirr(dates, amounts)
    except prm.PrmError as e:
        assert e.code in {"NoSignChange", "NoRealRoot", "RateOutOfRange"}
        return
    base = min(dates)
    f = lambda x: sum(mp.mpf(a) / (1 + x) ** (mp.mpf((d - base).days) / 365) for d, a in zip(dates, amounts))
    mag = sum(abs(mp.mpf(a)) / (1 + mp.mpf(r)) ** (mp.mpf((d - base).days) / 365) for d, a in zip(dates, amounts))
    # the exact present value at the returned rate vanishes to rounding of the flows' magnitude,
    # or the rate is within 1e-12 of the exact root (near -100% an f64 rate cannot carry 1 + r
    # to more than a few digits, so the residual is no measure there)
    if abs(f(mp.mpf(r))) <= 1e-12 * mag:
        return
    # otherwise the exact present value changes sign within 1e-12 (relative) of r
    delta = mp.mpf(1e-12) * max(1, abs(r))
    lo = mp.mpf(r) - delta
    if lo <= -1:
        lo = -1 + (1 + mp.mpf(r)) / 2
    assert f(lo) * f(mp.mpf(r) + delta) <= 0, f"no root within {delta} of {r}"


# ---- batch ----------------------------------------------------------------------------------

def test_irr_batch_list_raise_and_coerce():
    series = [[-100, 110], [1, 1], [-100, 0, 121]]
    with pytest.raises(prm.NoSignChange) as info:
        ropi.irr_batch(series)
    assert info.value.path == "[1].flows"
    out = ropi.irr_batch(series, errors="coerce")
    assert out[1] is None and out[0] == pytest.approx(0.1) and out[2] == pytest.approx(0.1)


def test_xirr_batch_list_matches_single_calls():
    d = ["2025-01-01", "2025-06-30", "2026-03-01"]
    series = [(d, [-100, 20, 95]), (d[:2], [-50, 60])]
    assert ropi.xirr_batch(series) == [ropi.xirr(*s) for s in series]


def _long_frame(n_series=50, seed=7):
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_series):
        k = int(rng.integers(2, 12))
        days = np.sort(rng.choice(2000, size=k, replace=False))
        amounts = rng.normal(100, 50, size=k)
        amounts[0] = -1000
        for d, a in zip(days, amounts):
            rows.append((f"S{s:03d}", np.datetime64("2020-01-01") + np.timedelta64(int(d), "D"), float(a)))
    rows.append(("BAD", np.datetime64("2020-01-01"), 5.0))  # one flow: no sign change
    return pd.DataFrame(rows, columns=["series_id", "date", "amount"])


def test_xirr_batch_pandas_matches_per_series_calls():
    df = _long_frame()
    shuffled = df.sample(frac=1.0, random_state=3)  # any row order
    out = ropi.xirr_batch(shuffled)
    assert list(out.columns) == ["series_id", "xirr", "error"]
    got = out.set_index("series_id")
    for sid, g in df.groupby("series_id"):
        if sid == "BAD":
            assert pd.isna(got.loc[sid, "xirr"]) and got.loc[sid, "error"] == "NoSignChange"
            continue
        try:
            want = ropi.xirr(list(g["date"].dt.date), list(g["amount"]))
        except prm.PrmError as e:
            assert got.loc[sid, "error"] == e.code
            continue
        assert got.loc[sid, "xirr"] == want and pd.isna(got.loc[sid, "error"])


def test_xirr_batch_polars_returns_polars():
    df = pl.DataFrame(_long_frame(10).to_dict("list"))  # no pyarrow needed
    out = ropi.xirr_batch(df)
    assert isinstance(out, pl.DataFrame) and out.columns == ["series_id", "xirr", "error"]
    assert out["series_id"].to_list()[0] == "S000"  # order of first appearance
    assert out.filter(pl.col("series_id") == "BAD")["error"].to_list() == ["NoSignChange"]


def test_irr_batch_dataframe_keeps_flow_order_within_series():
    df = pd.DataFrame({"series_id": ["b", "a", "b", "a", "b"], "amount": [-100, -100, 0, 110, 121]})
    out = ropi.irr_batch(df)
    assert list(out["series_id"]) == ["b", "a"]
    assert out["irr"].tolist() == pytest.approx([0.1, 0.1])


def test_missing_column_is_an_input_error():
    with pytest.raises(prm.InvalidInput) as info:
        ropi.xirr_batch(pd.DataFrame({"id": [1]}))
    assert info.value.path == "series_id"


def test_threads_give_identical_results():
    df = _long_frame(3000)
    one = ropi.xirr_batch(df, threads=1)
    many = ropi.xirr_batch(df, threads=0)
    pd.testing.assert_frame_equal(one, many)
    pairs = [([date(2025, 1, 1), date(2026, 1, 1)], [-100, 100 + i]) for i in range(3000)]
    assert ropi.xirr_batch(pairs, threads=2) == ropi.xirr_batch(pairs)


def test_contiguous_and_interleaved_frames_agree():
    df = _long_frame(40)
    interleaved = df.sample(frac=1.0, random_state=11)
    a = ropi.xirr_batch(df).set_index("series_id").sort_index()
    b = ropi.xirr_batch(interleaved).set_index("series_id").sort_index()
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("ids", [
    [3, 3, 7, 7, 9],             # ascending runs: grouped without sorting the ids
    [9, 9, 7, 7, 3],             # descending runs: still one run per id
    ["b", "b", "a", "a", "c"],   # strings, in no order
    [1, 1, "x", "x", 2],         # ids that do not compare, in runs
    [1, "x", 1, 2, "x"],         # ids that do not compare, interleaved: grouped by hashing
    [1, 1, 2, 1, 2],             # interleaved: regrouped
])
def test_series_ids_in_any_order_group_alike(ids):
    days = ["2024-01-01", "2025-01-01", "2024-01-01", "2025-06-01", "2024-01-01"]
    flows = [-100.0, 110.0, -50.0, 60.0, -10.0]
    df = pd.DataFrame({"series_id": pd.Series(ids, dtype=object), "date": pd.to_datetime(days), "amount": flows})
    got = ropi.xirr_batch(df, errors="coerce")
    want = {}
    for sid, d, a in zip(ids, days, flows):
        want.setdefault(sid, ([], []))
        want[sid][0].append(date.fromisoformat(d))
        want[sid][1].append(a)
    assert list(got["series_id"]) == list(want)
    for sid, rate in zip(got["series_id"], got["xirr"]):
        d, a = want[sid]
        try:
            expected = ropi.xirr(d, a)
        except prm.PrmError:
            expected = None
        assert (pd.isna(rate) and expected is None) or rate == pytest.approx(expected, rel=1e-12)
