"""The documented input limits (prm.LIMITS, prm_core::limits) and hostile nesting.

Cases at each limit and one past it are golden vectors (vectors/*/limits.json, run by
test_golden.py on every surface); here: the published table, and values far past the nesting
limit or cyclic, which must be a typed error — never a crash of the interpreter."""

import sys

import pytest

import prm

DEAL = {"id": "D1", "amount": {"amount": "10", "currency": "USD"}, "closed_at": "2026-01-10T00:00:00Z",
        "touches": [{"partner_id": "P1", "at": "2026-01-01T00:00:00Z", "touch_type": "demo"}]}


def test_limits_are_published():
    assert prm.LIMITS["MAX_NESTING"] == 100
    assert prm.LIMITS["MAX_CONDITION_DEPTH"] == 32
    assert prm.LIMITS["MAX_RATE"] == 1e15 and isinstance(prm.LIMITS["MAX_RATE"], float)
    assert all(isinstance(v, int) for k, v in prm.LIMITS.items() if k != "MAX_RATE")
    # the same names as the table of prm_core::limits
    from pathlib import Path
    import re
    doc = (Path(__file__).resolve().parents[2] / "prm-core" / "src" / "limits.rs").read_text()
    assert set(prm.LIMITS) == set(re.findall(r"^//! \| \[`(MAX_\w+)`\]", doc, re.M))
    assert (prm.LIMITS["MAX_TIERS"], prm.LIMITS["MAX_TOUCHES"], prm.LIMITS["MAX_JOURNEY_STEPS"],
            prm.LIMITS["MAX_FIELD_PATH_LEN"]) == (1_000, 10_000, 1_000, 256)


def nested(levels, leaf=1):
    for _ in range(levels):
        leaf = [leaf]
    return leaf


@pytest.mark.parametrize("levels", [prm.LIMITS["MAX_NESTING"] + 1, 10_000, 200_000])
def test_deep_nesting_is_a_typed_error(levels):
    with pytest.raises(prm.PrmError) as info:
        prm.attribution.split({**DEAL, "touches": nested(levels)}, "linear")
    assert (info.value.code, info.value.path) == ("LimitExceeded", "deal")
    with pytest.raises(prm.PrmError) as info:
        prm.tiers.TierProgram({"tiers": nested(levels)})
    assert info.value.code == "LimitExceeded"
    # the interpreter and the module are fine afterwards
    assert prm.attribution.split(DEAL, "linear")["shares"][0]["partner_id"] == "P1"


def test_cyclic_values_are_a_typed_error():
    loop = []
    loop.append(loop)
    with pytest.raises(prm.PrmError) as info:
        prm.attribution.split({**DEAL, "touches": loop}, "linear")
    assert info.value.code == "LimitExceeded"
    d = {"id": "D1"}
    d["self"] = d
    with pytest.raises(prm.PrmError) as info:
        prm.conflicts.detect_all([d], [], [], None)
    assert (info.value.code, info.value.path) == ("LimitExceeded", "registrations")


def test_deep_nesting_at_the_limit_is_accepted():
    # leads > lead > attributes > 97 arrays: MAX_NESTING levels in all
    router = prm.routing.Router({"rules": [{"name": "r", "strategy": {"type": "first"}}]}, [{"id": "P1"}])
    lead = {"id": "L1", "attributes": {"x": nested(prm.LIMITS["MAX_NESTING"] - 3)}}
    decisions, _ = router.route_batch([lead])
    assert decisions[0]["partner_id"] == "P1"
    assert sys.getrecursionlimit() > 0  # (still here)
