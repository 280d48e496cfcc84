"""Every golden vector of vectors/ (see vectors/README.md) through the Python API."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

import pytest

import prm
from _vectors import call, load_vectors


def compare(actual, expected, tol, at="result", dtol=Decimal("1e-20")):
    if isinstance(actual, datetime) and isinstance(expected, str):
        assert actual == datetime.fromisoformat(expected.replace("Z", "+00:00")), f"{at}: {actual} != {expected}"
    elif isinstance(expected, bool) or expected is None:
        assert actual == expected, at
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{at}: {actual!r}"
        assert abs(actual - expected) <= tol * max(abs(expected), 1e-6), f"{at}: {actual!r} != {expected!r}"
    elif isinstance(expected, str):
        try:
            want = Decimal(expected)
        except InvalidOperation:
            assert actual == expected, at
            return
        assert isinstance(actual, Decimal), f"{at}: {actual!r} is not a Decimal"
        assert abs(actual - want) <= dtol * max(abs(want), Decimal(1)), f"{at}: {actual} != {want}"
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{at}: {actual!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            compare(a, e, tol, f"{at}[{i}]", dtol)
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{at}: keys {sorted(actual)}"
        for k, e in expected.items():
            compare(actual[k], e, tol, f"{at}.{k}", dtol)
    else:
        raise AssertionError(f"unexpected vector value {expected!r}")


@pytest.mark.parametrize("case", load_vectors("ropi"))
def test_ropi_vector(case):
    fn = getattr(prm.ropi, case["op"])
    if "expected_error" in case:
        with pytest.raises(prm.PrmError) as info:
            fn(**case["input"])
        assert {"code": info.value.code, "path": info.value.path} == case["expected_error"]
        assert type(info.value).__name__ == case["expected_error"]["code"]
        assert isinstance(info.value, ValueError)
    else:
        compare(fn(**case["input"]), case["expected"], case.get("tolerance", 1e-12))


@pytest.mark.parametrize("case", load_vectors("tiers"))
def test_tiers_vector(case):
    def run():
        return call("tiers", case)

    if "expected_error" in case:
        with pytest.raises(prm.PrmError) as info:
            run()
        assert {"code": info.value.code, "path": info.value.path} == case["expected_error"]
    elif case["op"] == "compile":
        assert run() is None and case["expected"] is None  # compiled without an error
    else:
        out = run()
        at = out.pop("evaluated_at")
        expected = dict(case["expected"])
        want_at = expected.pop("evaluated_at")
        assert (at is None and want_at is None) or at == datetime.fromisoformat(want_at.replace("Z", "+00:00"))
        compare(out, expected, case.get("tolerance", 1e-12))


@pytest.mark.parametrize("case", load_vectors("attribution"))
def test_attribution_vector(case):
    fn = getattr(prm.attribution, case["op"])
    if "expected_error" in case:
        with pytest.raises(prm.PrmError) as info:
            fn(**case["input"])
        assert {"code": info.value.code, "path": info.value.path} == case["expected_error"]
        assert type(info.value).__name__ == case["expected_error"]["code"]
    else:
        dtol = Decimal(str(case.get("decimal_tolerance", "1e-20")))
        compare(fn(**case["input"]), case["expected"], case.get("tolerance", 1e-12), dtol=dtol)


@pytest.mark.parametrize("case", load_vectors("routing"))
def test_routing_vector(case):
    def run():
        return call("routing", case)

    if "expected_error" in case:
        with pytest.raises(prm.PrmError) as info:
            run()
        assert {"code": info.value.code, "path": info.value.path} == case["expected_error"]
    else:
        dtol = Decimal(str(case.get("decimal_tolerance", "1e-20")))
        compare(run(), case["expected"], case.get("tolerance", 1e-12), dtol=dtol)


@pytest.mark.parametrize("case", load_vectors("conflicts"))
def test_conflicts_vector(case):
    fn = getattr(prm.conflicts, case["op"])
    if "expected_error" in case:
        with pytest.raises(prm.PrmError) as info:
            fn(**case["input"])
        assert {"code": info.value.code, "path": info.value.path} == case["expected_error"]
        assert type(info.value).__name__ == case["expected_error"]["code"]
    else:
        compare(fn(**case["input"]), case["expected"], case.get("tolerance", 1e-12))
