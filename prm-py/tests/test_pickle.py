"""Compiled objects pickle by spec (so they ride in Spark and Dask closures), load in a fresh
process, report their public module path and tokenize deterministically."""

import pickle
import subprocess
import sys
from datetime import datetime, timezone

import pytest

import prm
from prm import attribution, conflicts, routing, tiers
from test_conflicts import reg
from test_routing import PARTNERS, POLICY
from test_tiers import PROGRAM

AT = datetime(2026, 2, 1, tzinfo=timezone.utc)


def objects():
    index = conflicts.ConflictIndex(partners=[{"id": "P1", "domain": "reseller.de"}])
    index.insert(reg("R1", "P1", "Müller Logistik GmbH", datetime(2026, 1, 5, tzinfo=timezone.utc),
                     customer={"website": "mueller-logistik.de"}))
    index.insert({"id": "O1", "owner_id": "U1", "account": {"name": "Other Co"},
                  "products": ["security"], "created_at": "2026-01-02T00:00:00Z"})
    return {
        "router": routing.Router(POLICY, PARTNERS),
        "program": tiers.TierProgram(PROGRAM),
        "index": index,
        "journeys": attribution.Journeys([{"path": "P1>P2", "conversions": 2, "value": 10},
                                          {"path": ["P2"], "nulls": 3}]),
    }


def use(o):
    """What each object computes: equal before and after a round trip."""
    new = {"id": "new", "partner_id": "P2", "customer": {"name": "MUELLER LOGISTIK"}, "products": ["security"]}
    return {
        "router": o["router"].route_batch([{"id": f"L{i}", "country": "DE"} for i in range(3)]),
        "program": o["program"].evaluate({"partner_id": "A", "values": {"revenue": 200_000}}, as_of=AT),
        "index": (len(o["index"]), o["index"].check(new, AT), o["index"].snapshot()),
        "journeys": (attribution.markov(o["journeys"]), o["journeys"].rows()),
    }


def test_round_trip_in_process_gives_equal_results():
    o = objects()
    back = {k: pickle.loads(pickle.dumps(v)) for k, v in o.items()}
    assert use(back) == use(o)
    assert len(use(o)["index"][1]) == 1


@pytest.mark.parametrize("cls, module", [(routing.Router, "prm.routing"), (tiers.TierProgram, "prm.tiers"),
                                         (conflicts.ConflictIndex, "prm.conflicts"),
                                         (attribution.Journeys, "prm.attribution")])
def test_classes_report_their_public_module(cls, module):
    assert cls.__module__ == module
    assert getattr(sys.modules[module], cls.__name__) is cls


def test_pickles_name_no_private_module():
    for v in objects().values():
        data = pickle.dumps(v)
        assert b"prm._pickle" in data and b"_prm" not in data.replace(b"prm._pickle", b"")


def test_round_trip_in_a_fresh_process(tmp_path):
    o = objects()
    (tmp_path / "objects.pickle").write_bytes(pickle.dumps(o))
    script = (
        "import pickle, sys\n"
        f"sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})\n"
        "from test_pickle import use\n"
        f"o = pickle.loads(open({str(tmp_path / 'objects.pickle')!r}, 'rb').read())\n"
        f"open({str(tmp_path / 'out.pickle')!r}, 'wb').write(pickle.dumps(use(o)))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path)
    assert pickle.loads((tmp_path / "out.pickle").read_bytes()) == use(o)


def test_tokens_are_deterministic_and_follow_content():
    a, b = objects(), objects()
    for k in a:
        assert a[k].__dask_tokenize__() == b[k].__dask_tokenize__()
        assert pickle.loads(pickle.dumps(a[k])).__dask_tokenize__() == a[k].__dask_tokenize__()
    a["index"].remove("O1")
    assert a["index"].__dask_tokenize__() != b["index"].__dask_tokenize__()
    other = tiers.TierProgram({**PROGRAM, "grace_periods": 2})
    assert other.__dask_tokenize__() != a["program"].__dask_tokenize__()


def test_foreign_or_tampered_pickles_are_typed_errors():
    from prm._pickle import restore
    with pytest.raises(prm.InvalidInput, match="format 99"):
        restore("Router", 99, "{}")
    with pytest.raises(prm.InvalidInput, match="not a prm class"):
        restore("Shell", 1, "{}")
    _, (kind, version, data) = tiers.TierProgram(PROGRAM).__reduce__()
    with pytest.raises(prm.InvalidProgram) as info:
        restore(kind, version, data.replace('"silver"', '"registered"'))
    assert info.value.path == "tiers[1].name"
