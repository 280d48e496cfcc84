"""prm.tiers beyond the golden vectors: Python types, batch, simulate, errors."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

import prm
from prm.tiers import TierProgram, simulate

PROGRAM = {"grace_periods": 1, "tiers": [
    {"name": "registered", "benefits": {"cost": 0}},
    {"name": "silver", "requirements": {"metric": "revenue", "op": "gte", "value": 100_000}, "benefits": {"cost": 1000}},
    {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": "500000"}, "benefits": {"cost": "5000.50"}},
]}


def test_statuses_round_trip_as_previous_and_carry_python_types():
    program = TierProgram(PROGRAM)
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    first = program.evaluate({"partner_id": "P1", "values": {"revenue": Decimal("600000")}}, as_of=at)
    assert first["tier"] == "gold" and first["change"] == "new" and first["evaluated_at"] == at
    second = program.evaluate({"partner_id": "P1", "values": {"revenue": 200_000.0}}, first, "2026-04-01T00:00:00Z")
    assert (second["tier"], second["change"], second["probation_remaining"]) == ("gold", "probation", 0)
    third = program.evaluate({"partner_id": "P1", "values": {"revenue": 200_000}}, second)
    assert (third["tier"], third["change"]) == ("silver", "demoted")
    assert third["gaps_to_next"] == [{"metric": "revenue", "op": "gte", "required": Decimal("500000"),
                                      "actual": Decimal("200000"), "short_by": Decimal("300000")}]


def test_evaluate_many_matches_single_calls():
    program = TierProgram(PROGRAM)
    metrics = [{"partner_id": f"P{i}", "values": {"revenue": i * 60_000}} for i in range(12)]
    assert program.evaluate_many(metrics) == [program.evaluate(m) for m in metrics]


def test_simulate_summarises_a_program_change():
    proposed = dict(PROGRAM, tiers=[PROGRAM["tiers"][0],
                                    dict(PROGRAM["tiers"][1], requirements={"metric": "revenue", "op": "gte", "value": 250_000}),
                                    PROGRAM["tiers"][2]])
    metrics = [{"partner_id": p, "values": {"revenue": r}} for p, r in [("A", 120_000), ("B", 300_000), ("C", 50_000)]]
    sim = simulate(TierProgram(PROGRAM), proposed, metrics)
    assert [p["movement"] for p in sim["partners"]] == ["down", "unchanged", "unchanged"]
    assert (sim["up"], sim["down"], sim["unchanged"]) == (0, 1, 2)
    silver = next(t for t in sim["tiers"] if t["tier"] == "silver")
    assert (silver["current"], silver["proposed"], silver["gained"], silver["lost"]) == (2, 1, 0, 1)
    assert {"from": "silver", "to": "registered", "count": 1} in sim["transitions"]
    assert sim["benefit_cost"] == {"current": Decimal(2000), "proposed": Decimal(1000), "change": Decimal(-1000)}


@pytest.mark.parametrize("program, code, path", [
    ({"tiers": []}, "InvalidProgram", "tiers"),
    ({"tiers": [{"name": "a", "requirements": {"metric": "x", "op": "gte"}}]}, "InvalidInput", "tiers[0].requirements"),
    ({"tiers": [{"name": "a"}], "grace": 1}, "InvalidInput", "grace"),
])
def test_bad_programs_are_typed_errors(program, code, path):
    with pytest.raises(prm.PrmError) as info:
        TierProgram(program)
    assert (info.value.code, info.value.path) == (code, path)
    assert isinstance(info.value, ValueError)


def test_repr_and_spec():
    program = TierProgram(PROGRAM)
    assert repr(program) == 'TierProgram(tiers=["registered", "silver", "gold"], grace_periods=1)'
    assert program.spec()["tiers"][2]["name"] == "gold"
    assert type(program).__module__ == "prm.tiers"


def test_paths_to_next_offer_the_alternatives():
    program = TierProgram({"tiers": [{"name": "base"}, {"name": "gold", "requirements": {"any": [
        {"metric": "revenue", "op": "gte", "value": 100_000},
        {"all": [{"metric": "certified", "op": "gte", "value": 3}, {"metric": "csat", "op": "gte", "value": 4}]}]}}]})
    metrics = {"partner_id": "P", "values": {"revenue": 87_660, "certified": 2, "csat": Decimal("3.5")}}
    paths = program.paths_to_next(metrics)
    assert [[g["metric"] for g in p] for p in paths] == [["revenue"], ["certified", "csat"]]
    assert paths[0][0]["short_by"] == Decimal("12340")
    top = program.evaluate({"partner_id": "P", "values": {"revenue": 200_000}})
    assert program.paths_to_next({"partner_id": "P", "values": {"revenue": 200_000}}, top) == []


def test_metrics_from_events_feed_evaluation():
    from datetime import date

    events = [
        {"partner_id": "P2", "kind": "deal_won", "at": date(2025, 5, 1), "amount": Decimal("700000")},
        {"partner_id": "P1", "kind": "deal_won", "at": "2025-03-01", "amount": 40_000},
        {"partner_id": "P1", "kind": "deal_won", "at": "2024-06-30", "amount": 99_000},  # exactly 12 months before: out
        {"partner_id": "P1", "kind": "deal_won", "at": "2025-07-01", "amount": 5},  # after as_of: out
        {"partner_id": "P1", "kind": "cert", "at": "2024-06-01", "person": "ana", "expires_at": "2026-06-01"},
        {"partner_id": "P1", "kind": "cert", "at": "2024-07-01", "person": "ana"},
        {"partner_id": "P1", "kind": "cert", "at": "2023-01-01", "person": "bo", "expires_at": "2025-01-01"},
    ]
    metrics = [{"name": "revenue", "kind": "deal_won", "aggregate": "sum", "window_months": 12},
               {"name": "deals", "kind": "deal_won", "aggregate": "count", "window_months": 12},
               {"name": "certified", "kind": "cert", "aggregate": "count_distinct"}]
    out = prm.tiers.metrics_from_events(events, date(2025, 6, 30), metrics)
    assert out == [
        {"partner_id": "P1", "values": {"revenue": Decimal(40000), "deals": Decimal(1), "certified": Decimal(1)}},
        {"partner_id": "P2", "values": {"revenue": Decimal(700000), "deals": Decimal(1), "certified": Decimal(0)}},
    ]
    statuses = TierProgram(PROGRAM).evaluate_many(out)
    assert [s["tier"] for s in statuses] == ["registered", "gold"]
