"""prm.attribution from Python: types in and out, DataFrames, splittable Markov, properties."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prm
from prm import attribution as A

CLOSE = datetime(2026, 3, 31, tzinfo=timezone.utc)


def deal(amount="100.01", currency="USD", touches=None):
    touches = touches if touches is not None else [
        {"partner_id": "P1", "at": CLOSE - timedelta(days=60), "touch_type": "sourced"},
        {"partner_id": "P2", "at": "2026-02-15T00:00:00Z", "touch_type": "influenced"},
        {"partner_id": "P3", "at": CLOSE - timedelta(days=1), "touch_type": "co_sell"},
    ]
    return {"id": "D1", "amount": {"amount": Decimal(amount), "currency": currency}, "closed_at": CLOSE, "touches": touches}


def test_split_types_and_exact_sum():
    a = A.split(deal(), "linear")
    assert [s["amount"]["amount"] for s in a["shares"]] == [Decimal("33.34"), Decimal("33.34"), Decimal("33.33")]
    assert all(isinstance(s["credit"], Decimal) for s in a["shares"])
    assert isinstance(a["counted"][0]["at"], datetime)
    assert a["shares"][0]["sourced"] is True and a["shares"][1]["sourced"] is False


def test_model_as_dict_with_lookback():
    a = A.split(deal(), {"type": "time_decay", "half_life_days": 14, "lookback_days": 30})
    assert [(d["partner_id"], d["reason"]) for d in a["dropped"]] == [("P1", "before_lookback"), ("P2", "before_lookback")]
    assert [s["partner_id"] for s in a["shares"]] == ["P3"]
    assert sum(s["amount"]["amount"] for s in a["shares"]) == Decimal("100.01")


def test_errors_are_typed_value_errors():
    with pytest.raises(prm.UnknownTouchType) as info:
        A.split(deal(touches=[{"partner_id": "P", "at": CLOSE, "touch_type": "webinar"}]), "custom")
    assert info.value.path == "deal.touches[0].touch_type"
    assert isinstance(info.value, ValueError)
    with pytest.raises(prm.InvalidModel):
        A.split(deal(), {"type": "w_shaped", "first": 0.5, "middle": 0.5, "last": 0.5})
    with pytest.raises(prm.InvalidInput) as info:
        A.split(deal(), "lenear")
    assert info.value.path == "model"


def test_partner_totals_per_currency():
    rows = A.partner_totals([deal(), deal("50", "EUR")], "linear")
    assert [(r["partner_id"], r["currency"]) for r in rows] == [
        ("P1", "EUR"), ("P1", "USD"), ("P2", "EUR"), ("P2", "USD"), ("P3", "EUR"), ("P3", "USD")]
    assert rows[1]["sourced_revenue"] == Decimal("33.34")
    with pytest.raises(prm.CurrencyMismatch) as info:
        A.partner_totals([deal(), deal("50", "EUR")], "linear", currency="USD")
    assert info.value.path == "deals[1].amount.currency"


JOURNEYS = [
    {"path": "A>B>C", "conversions": 3, "value": 300.0, "nulls": 2},
    {"path": "A>C", "conversions": 1, "value": 50.0, "nulls": 4},
    {"path": ["B", "A", "C"], "conversions": 2, "value": 260.0, "nulls": 1},
    {"path": "C", "conversions": 0, "value": 0.0, "nulls": 6},
]


def close(a, b):
    if isinstance(a, dict):
        assert set(a) == set(b)
        for k in a:
            close(a[k], b[k])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            close(x, y)
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15)
    else:
        assert a == b


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_dataframes_give_the_list_result(lib):
    mod = pytest.importorskip(lib)
    frame = mod.DataFrame({
        "path": ["A>B>C", "A>C", "B>A>C", "C"],
        "conversions": [3, 1, 2, 0],
        "value": [300.0, 50.0, 260.0, 0.0],
        "nulls": [2, 4, 1, 6],
    })
    close(A.markov(frame), A.markov(JOURNEYS))
    close(A.shapley(frame, ordered=True), A.shapley(JOURNEYS, ordered=True))
    close(A.heuristics(frame), A.heuristics(JOURNEYS))
    with pytest.raises(prm.InvalidInput) as info:
        A.markov(frame.drop("conversions") if lib == "polars" else frame.drop(columns=["conversions"]))
    assert info.value.path == "journeys.conversions"


def test_journeys_object_reused_and_counts_merge():
    j = A.journeys(JOURNEYS)
    assert len(j) == 4 and j.channels == ["A", "B", "C"]
    whole = A.markov(j, "proportional")
    parts = [A.markov_counts(JOURNEYS[:2]), A.markov_counts(JOURNEYS[2:])]
    merged = A.markov_from_counts(A.merge_markov_counts(parts), "proportional")
    close(merged, whole)
    assert sum(whole["attributed_conversions"].values()) == pytest.approx(6.0)


def test_bad_journeys():
    with pytest.raises(prm.InvalidJourney) as info:
        A.markov([{"path": "A", "conversions": -1}])
    assert info.value.path == "journeys[0].conversions"
    with pytest.raises(prm.InvalidInput) as info:
        A.markov(JOURNEYS, value_mode="shares")
    assert info.value.path == "value_mode"


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
touches = st.lists(
    st.tuples(st.sampled_from(["P1", "P2", "P3", "P4"]), st.integers(0, 200), st.sampled_from(["sourced", "influenced", "co_sell", "referral"])),
    max_size=8,
)
models = st.sampled_from(["first_touch", "last_touch", "linear", "time_decay", "position_based", "w_shaped", "custom", "partner_even"])


@settings(max_examples=150, deadline=None)
@given(amounts, touches, models)
def test_shares_always_sum_to_the_amount(amount, ts, model):
    d = deal(str(amount), "EUR", [{"partner_id": p, "at": CLOSE - timedelta(days=days), "touch_type": t} for p, days, t in ts])
    a = A.split(d, model)
    if a["unattributed"] is None:
        assert sum(s["amount"]["amount"] for s in a["shares"]) == amount
    else:
        assert a["shares"] == []


def _book():
    import random

    rng = random.Random(5)
    rows, deals = [], []
    for i in range(300):
        amount = Decimal(rng.randint(0, 10**7)) / 100
        touches = []
        for _ in range(rng.randint(1, 6)):
            t = {"partner_id": f"P{rng.randint(0, 9)}", "at": CLOSE - timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 23)),
                 "touch_type": rng.choice(["sourced", "influenced", "co_sell", "referral"])}
            touches.append(t)
            rows.append({"deal_id": f"D{i}", "amount": amount, "currency": "EUR", "closed_at": CLOSE, **t})
        deals.append({"id": f"D{i}", "amount": {"amount": amount, "currency": "EUR"}, "closed_at": CLOSE, "touches": touches})
    return rows, deals


@pytest.mark.parametrize("lib", ["pandas", "polars"])
@pytest.mark.parametrize("model", ["linear", "w_shaped", "time_decay", {"type": "custom"}])
def test_split_frame_equals_split_many(lib, model):
    mod = pytest.importorskip(lib)
    rows, deals = _book()
    frame = mod.DataFrame(rows)
    if lib == "pandas":
        frame["amount"] = frame["amount"].astype(float)  # float amounts are rounded to cents
    else:
        frame = frame.with_columns(mod.col("amount").cast(mod.Float64))
    out = prm.attribution.split_frame(frame, model, threads=2)
    got = list(zip(out["deal_id"].to_list(), out["partner_id"].to_list(), out["amount_minor"].to_list(), out["sourced"].to_list()))
    want = [(a["deal_id"], s["partner_id"], int(s["amount"]["amount"] * 100), s["sourced"])
            for a in A.split_many(deals, model) for s in a["shares"]]
    assert got == want
    assert abs(sum(out["credit"].to_list()) - len(deals)) < 1e-9


def test_split_frame_reports_the_row():
    pd = pytest.importorskip("pandas")
    rows, _ = _book()
    frame = pd.DataFrame(rows)
    frame.loc[frame["deal_id"] == "D0", "amount"] = Decimal("-1")
    with pytest.raises(prm.InvalidAmount) as info:
        A.split_frame(frame, "linear")
    assert info.value.path == "touches[0].amount"
    frame = pd.DataFrame(rows)
    second = frame.index[frame["deal_id"] == frame.loc[0, "deal_id"]][1]
    frame.loc[second, "amount"] = Decimal("1")
    with pytest.raises(prm.InvalidInput) as info:  # one deal, two amounts
        A.split_frame(frame, "linear")
    assert info.value.path == f"touches[{second}]"
    frame = pd.DataFrame(rows)
    frame["amount"] = frame["amount"].astype(float)
    frame.loc[4, "amount"] = 1.005
    with pytest.raises(prm.InvalidAmount) as info:
        A.split_frame(frame, "linear")
    assert info.value.path == "touches[4].amount"


def test_shapley_counts_merge_to_the_whole():
    rows = [{"path": "A>B>A", "conversions": 3, "value": 30}, {"path": ["A"], "conversions": 1, "value": 10},
            {"path": "C", "nulls": 4}, {"path": "B>C", "conversions": 2, "value": 7}]
    parts = [prm.attribution.shapley_counts(rows[:2]), prm.attribution.shapley_counts(rows[2:])]
    merged = prm.attribution.merge_shapley_counts(parts)
    assert [c["partners"] for c in merged["coalitions"]] == [["A"], ["A", "B"], ["B", "C"]]
    assert prm.attribution.shapley_from_counts(merged) == prm.attribution.shapley(rows)
