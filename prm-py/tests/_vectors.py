import json
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def load_vectors(engine: str):
    cases = []
    for path in sorted((VECTORS / engine).glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            cases.append(_param(path.name, expand(case)))
    assert cases, f"no vectors for {engine}"
    return cases


def _param(file, case):
    import pytest

    return pytest.param(case, id=f"{file}:{case['description']}")


def expand(v):
    """The generators of vectors/README.md (`$repeat`, `$concat`, `$list`, `$nest`) expanded."""
    if isinstance(v, dict):
        if "$repeat" in v:
            return v["$repeat"] * v["times"]
        if "$concat" in v:
            return "".join(expand(x) for x in v["$concat"])
        if "$list" in v:
            item = expand(v["$list"])
            return [_fill(item, str(i)) for i in range(v["times"])]
        if "$nest" in v:
            template, out = expand(v["$nest"]), expand(v["leaf"])
            for _ in range(v["times"]):
                out = _put(template, out)
            return out
        return {k: expand(x) for k, x in v.items()}
    if isinstance(v, list):
        return [expand(x) for x in v]
    return v


def _fill(t, i):
    if isinstance(t, str):
        return t.replace("{i}", i)
    if isinstance(t, list):
        return [_fill(x, i) for x in t]
    if isinstance(t, dict):
        return {k: _fill(x, i) for k, x in t.items()}
    return t


def _put(t, inner):
    if t == "$inner":
        return inner
    if isinstance(t, list):
        return [_put(x, inner) for x in t]
    if isinstance(t, dict):
        return {k: _put(x, inner) for k, x in t.items()}
    return t


def call(engine: str, case):
    """Runs one vector case (`op` and `input`) through the Python API, as a user would: the
    engine's function with the input by name, or the compiled object and its method. Shared by
    test_golden.py and the cross-surface check (tests/cross/check.py)."""
    import prm

    op, inp = case["op"], case["input"]
    if engine == "tiers":
        if op == "simulate":
            return prm.tiers.simulate(**inp)
        program = prm.tiers.TierProgram(inp["program"])
        if op == "compile":
            return None
        if op == "evaluate_many":
            return program.evaluate_many(inp["metrics_list"], inp.get("previous_list"), inp.get("as_of"))
        return program.evaluate(inp["metrics"], inp.get("previous"), inp.get("as_of"))
    if engine == "routing":
        if op == "parse_condition":
            return prm.routing.parse_condition(inp["text"])
        if op == "format_condition":
            return prm.routing.format_condition(inp["condition"])
        router = prm.routing.Router(inp["policy"], inp["partners"])
        if op == "route":
            decision, state = router.route(inp["lead"], inp["state"])
            return {"decision": decision, "state": state}
        if op == "route_batch":
            decisions, state = router.route_batch(inp["leads"], inp["state"])
            return {"decisions": decisions, "state": state}
        if op == "reroute":
            decision, state = router.reroute(inp["lead"], inp["declined"], inp["state"])
            return {"decision": decision, "state": state}
        if op == "assign_optimal":
            return router.assign_optimal(inp["leads"])
        if op == "explain":
            return router.explain(inp["lead"], inp["state"])
        raise AssertionError(op)
    if engine == "conflicts" and op == "check":
        index = prm.conflicts.ConflictIndex(inp["policy"], inp["partners"])
        for record in inp["records"]:
            index.insert(record)
        return index.check(inp["registration"], inp["as_of"])
    return getattr(getattr(prm, engine), op)(**inp)


def to_wire(v):
    """A Python API result as the JSON the Rust API writes (SPEC §1): `Decimal` as its digits,
    instants as RFC 3339 in UTC with `Z` and 0, 3 or 6 fraction digits (chrono's `AutoSi`),
    dates as `YYYY-MM-DD`, tuples as lists."""
    from datetime import date, datetime, timezone
    from decimal import Decimal

    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, datetime):
        v = v.astimezone(timezone.utc)
        frac = "" if v.microsecond == 0 else f".{v.microsecond // 1000:03d}" if v.microsecond % 1000 == 0 else f".{v.microsecond:06d}"
        return v.strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: to_wire(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_wire(x) for x in v]
    return v


def canonical(v) -> str:
    """JSON text with sorted keys and no spaces: two results are the same exactly when their
    canonical texts are the same bytes (floats print their shortest round-trip digits)."""
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
