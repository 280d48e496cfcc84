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
