"""prm.routing from Python: tuples of (decision, state), text conditions, typed errors."""

from decimal import Decimal

import pytest

import prm

POLICY = {
    "rules": [
        {"name": "dach", "when": 'lead.country in ["DE", "AT", "CH"]',
         "eligible": "partner.countries contains lead.country", "strategy": {"type": "round_robin"}},
        {"name": "best", "eligible": {"field": "partner.tier", "op": "eq", "value": "gold"},
         "strategy": {"type": "best_score"}, "scoring": [{"field": "partner.performance.conversion_rate", "weight": 10}]},
    ],
    "fallback": {"type": "queue", "name": "inside"},
}
PARTNERS = [
    {"id": "P2", "countries": ["DE"], "tier": "gold", "performance": {"conversion_rate": Decimal("0.3")}},
    {"id": "P1", "countries": ["DE", "AT"], "capacity": 1},
]


def test_round_robin_state_round_trips():
    router = prm.routing.Router(POLICY, PARTNERS)
    d1, state = router.route({"id": "L1", "country": "DE"})
    d2, state = router.route({"id": "L2", "country": "DE"}, state)
    assert (d1["partner_id"], d2["partner_id"]) == ("P1", "P2")
    assert state == {"last": {"dach": "P2"}}
    d3, _ = router.route({"id": "L3", "country": "FR"}, state)
    assert d3["rule"] == "best" and d3["score"] == Decimal("3")
    assert [t["outcome"] for t in d3["trace"]] == ["when_false", "decided"]


def test_batch_counts_capacity_and_reroute_excludes():
    router = prm.routing.Router(POLICY, PARTNERS)
    decisions, _ = router.route_batch([{"id": f"L{i}", "country": "AT"} for i in range(3)])
    assert [d["partner_id"] for d in decisions] == ["P1", "P2", "P2"]  # P1 full after one
    d, _ = router.reroute({"id": "L9", "country": "AT"}, ["P1", "P2"])
    assert d["partner_id"] is None and d["fallback"] == {"type": "queue", "name": "inside"}


def test_text_conditions_and_errors():
    tree = prm.routing.parse_condition('lead.amount >= 50000 and not partner.tier == "registered"')
    assert tree["all"][0] == {"field": "lead.amount", "op": "gte", "value": 50000}
    assert prm.routing.format_condition(tree) == 'lead.amount >= 50000 and not partner.tier == "registered"'
    with pytest.raises(prm.ParseError) as info:
        prm.routing.parse_condition("lead.amount >=")
    assert "line 1, column 15" in str(info.value) and isinstance(info.value, ValueError)
    bad = {"rules": [{"name": "r", "when": "lead.amount > 1 and lead.colour == \"red\"", "strategy": {"type": "first"}}]}
    with pytest.raises(prm.InvalidCondition) as info:
        prm.routing.Router(bad, PARTNERS)
    assert info.value.path == "rules[0].when.all[1].field"


def test_assign_optimal_fills_capacity_then_score():
    policy = {"rules": [{"name": "b", "strategy": {"type": "best_score"},
                         "scoring": [{"when": 'partner.id == "A"', "points": 5}]}],
              "fallback": {"type": "queue", "name": "later"}}
    router = prm.routing.Router(policy, [{"id": "A", "capacity": 1}, {"id": "B", "capacity": 1}])
    out = router.assign_optimal([{"id": "L1"}, {"id": "L2"}, {"id": "L3"}])
    assert sorted(d["partner_id"] for d in out if d["partner_id"]) == ["A", "B"]
    assert sum(1 for d in out if d["fallback"] == {"type": "queue", "name": "later"}) == 1
