import json
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def load_vectors(engine: str):
    cases = []
    for path in sorted((VECTORS / engine).glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            cases.append(_param(path.name, case))
    assert cases, f"no vectors for {engine}"
    return cases


def _param(file, case):
    import pytest

    return pytest.param(case, id=f"{file}:{case['description']}")
