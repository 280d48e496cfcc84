"""Cross-surface determinism, step 1: random cash flows and prm's results through the Python
wheel (native code), written to target/cross_ropi.json for tests/cross/compare.mjs, which checks
that the WebAssembly package returns the very same bits (SPEC §1: byte for byte on every surface).

    .venv/bin/python tests/cross/native_results.py && node tests/cross/compare.mjs
"""

import datetime as dt
import json
import random
from pathlib import Path

import prm

OUT = Path(__file__).resolve().parents[2] / "target" / "cross_ropi.json"


def outcome(f):
    try:
        return f()
    except prm.PrmError as e:
        return {"error": e.code, "path": e.path}


def main(n_cases: int = 3000, seed: int = 5):
    rng = random.Random(seed)
    cases = []
    for _ in range(n_cases):
        n = rng.randint(1, 25)
        d = [dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))]
        for _ in range(n - 1):
            d.append(d[-1] + dt.timedelta(days=rng.randint(0, 120)))
        a = [rng.choice([rng.uniform(-1e6, 1e6), rng.uniform(-10, 10), 0.0]) for _ in range(n)]
        if rng.random() < 0.8:
            a[0] = -abs(a[0]) - 1
        rate, fin, rein = rng.uniform(-0.5, 0.5), rng.uniform(0, 0.2), rng.uniform(0, 0.2)
        cases.append({
            "dates": [x.isoformat() for x in d], "amounts": a, "rate": rate, "finance": fin, "reinvest": rein,
            "results": {
                "npv": outcome(lambda: prm.ropi.npv(rate, a)),
                "xnpv": outcome(lambda: prm.ropi.xnpv(rate, d, a)),
                "irr": outcome(lambda: prm.ropi.irr(a)),
                "irr_roots": outcome(lambda: prm.ropi.irr_roots(a)),
                "xirr": outcome(lambda: prm.ropi.xirr(d, a)),
                "mirr": outcome(lambda: prm.ropi.mirr(a, fin, rein)),
                "payback": outcome(lambda: prm.ropi.payback(a)),
                "discounted_payback": outcome(lambda: prm.ropi.discounted_payback(rate, a)),
            },
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(cases))
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
