"""Cross-surface differential tests, step 2 (Python): every case that `prm-cross` wrote (random
inputs for every engine with the Rust API's answers, see tests/cross/src/main.rs) through the
Python wheel; the result, as wire JSON, must be the same bytes as Rust's after canonical key
order — or the error the same code and path.

    .venv/bin/python tests/cross/check.py [DIR]   # default target/cross
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "prm-py" / "tests"))

import prm  # noqa: E402
from _vectors import call, canonical, to_wire  # noqa: E402


def outcome(engine, case):
    try:
        return to_wire(call(engine, case))
    except prm.PrmError as e:
        return {"code": e.code, "path": e.path}


def main(folder: Path) -> int:
    passed, failed = 0, []
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"no cases in {folder}: run `cargo run -p prm-cross` first")
        return 1
    for path in files:
        doc = json.loads(path.read_text())
        for case in doc["cases"]:
            want = case["expected_error"] if "expected_error" in case else case["expected"]
            got = outcome(doc["engine"], case)
            if canonical(got) == canonical(want):
                passed += 1
            else:
                failed.append(f"{doc['engine']} {case['description']}:\n  python {canonical(got)[:600]}\n  rust   {canonical(want)[:600]}")
    for f in failed[:10]:
        print(f)
    print(f"python vs rust: {passed} identical, {len(failed)} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "cross"))
