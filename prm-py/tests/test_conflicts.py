"""prm.conflicts from Python: datetimes in, dicts out, the index's check, typed errors."""
from datetime import datetime, timezone

import pytest

import prm
from prm import conflicts


def reg(id, partner, name, at, **kw):
    return {"id": id, "partner_id": partner, "customer": {"name": name, **kw.pop("customer", {})},
            "products": kw.pop("products", ["security"]), "submitted_at": at, **kw}


def test_index_check_warns_before_submission():
    index = conflicts.ConflictIndex(partners=[{"id": "P1", "domain": "reseller.de"}])
    index.insert(reg("R1", "P1", "Müller Logistik GmbH", datetime(2026, 1, 5, tzinfo=timezone.utc),
                     customer={"website": "https://www.mueller-logistik.de"}))
    index.insert({"id": "O1", "owner_id": "U1", "account": {"name": "Other Co"},
                  "products": ["security"], "created_at": "2026-01-02T00:00:00Z"})
    assert len(index) == 2
    new = {"id": "new", "partner_id": "P2", "customer": {"name": "MUELLER LOGISTIK",
           "email": "k@mueller-logistik.de"}, "products": ["security"]}
    found = index.check(new, datetime(2026, 2, 1, tzinfo=timezone.utc))
    assert [(c["earlier_id"], c["later_id"], c["kind"]) for c in found] == [("R1", "new", "channel_conflict")]
    assert found[0]["evidence"]["domain"] == "equal"
    assert found[0]["resolution"] == {"winner_id": "R1", "rule": "first_submitted"}
    assert index.remove("R1") and not index.remove("R1")
    assert index.check(new, "2026-02-01T00:00:00Z") == []


def test_detect_all_threads_agree_and_errors_are_typed():
    regs = [reg(f"R{i}", f"P{i % 3}", "Acme Industries Inc." if i % 2 else "ACME INDUSTRIES LLC",
                f"2026-01-{i + 1:02d}T00:00:00Z") for i in range(10)]
    one = conflicts.detect_all(regs)
    assert one == conflicts.detect_all(list(reversed(regs)), threads=2)
    assert len(one) == 45  # every pending earlier registration is active
    with pytest.raises(prm.InvalidRecord) as e:
        conflicts.detect_all([reg("R1", "P1", "", "2026-01-01T00:00:00Z")])
    assert e.value.path == "registrations[0].customer.name" and isinstance(e.value, ValueError)
    with pytest.raises(prm.InvalidPolicy):
        conflicts.ConflictIndex(policy={"matching": {"threshold": 2}})


def test_match_and_normalize():
    e = conflicts.match_customers({"name": "First National Bank of Austin"},
                                  {"name": "First National Bank of Boston"})
    assert e["same_customer"] is False
    assert conflicts.normalize_company_name("ACME, Inc.")["key"] == "acme"
    assert conflicts.extract_domain("jane@gmail.com")["kind"] == "free_mail"
    assert conflicts.extract_domain("nonsense") is None


def test_detection_in_blocks_is_detect_all_and_errors_name_the_callers_row():
    at = lambda d: f"2026-01-{d:02d}T00:00:00Z"  # noqa: E731
    regs = [reg("R1", "P1", "Acme Industries Inc.", at(1)), reg("R2", "P2", "ACME INDUSTRIES LLC", at(2)),
            reg("R3", "P3", "Globex GmbH", at(3)), reg("R4", "P4", "Globex", at(4))]
    keys = conflicts.blocking_keys(regs)
    assert all(isinstance(k, int) for ks in keys for k in ks)
    rows = [r for r, ks in zip(regs, keys) for _ in ks]
    blocks = [k for ks in keys for k in ks]
    assert conflicts.detect_in_blocks(rows, blocks, threads=2) == conflicts.detect_all(regs)
    with pytest.raises(prm.InvalidInput) as info:
        conflicts.detect_in_blocks(rows, blocks[:-1])
    assert info.value.path == "registration_blocks"
    bad = rows + [reg("R5", "P5", "Acme Industries", at(5), submitted_at=None)]
    with pytest.raises(prm.InvalidRecord) as info:
        conflicts.detect_in_blocks(bad, blocks + [blocks[0]])
    assert info.value.path == f"registrations[{len(rows)}].submitted_at"


def test_score_pairs_is_match_customers_per_pair():
    left = [{"name": "Acme Inc."}, {"name": "Bank of Austin"}]
    right = [{"name": "ACME"}, {"name": "Bank of Boston"}]
    assert conflicts.score_pairs(left, right) == [conflicts.match_customers(a, b) for a, b in zip(left, right)]
    with pytest.raises(prm.InvalidInput) as info:
        conflicts.score_pairs(left, right[:1])
    assert info.value.path == "right"


def test_same_customer_pairs_lists_each_pair_once_with_evidence():
    regs = [reg("R2", "P1", "Acme Industries Inc.", "2026-01-01T00:00:00Z"),
            reg("R1", "P2", "ACME INDUSTRIES LLC", "2024-01-01T00:00:00Z"),
            reg("R3", "P3", "Acme Software", "2026-01-02T00:00:00Z")]
    pairs = conflicts.same_customer_pairs(regs)
    assert [(a, b) for a, b, _ in pairs] == [("R1", "R2")]
    assert pairs[0][2]["same_customer"] is True
