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
OUT_ATTRIBUTION = OUT.with_name("cross_attribution.json")


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
    attribution_cases(rng)


def shares(a):
    return [[s["partner_id"], format(s["amount"]["amount"], "f"), format(s["credit"], "f")] for s in a["shares"]]


def markov_view(r):
    keys = ("p_conversion", "removal_effect_conversion", "removal_effect_value", "attributed_conversions", "attributed_value")
    return {k: r[k] for k in keys}


def attribution_cases(rng, n_cases: int = 500):
    """Float-computing attribution paths (time_decay splits, Markov, Shapley) must agree bit for
    bit too; the exact models cannot differ by construction but run as well."""
    close = dt.datetime(2026, 3, 31, tzinfo=dt.timezone.utc)
    cases = []
    for _ in range(n_cases):
        touches = [{"partner_id": f"P{rng.randint(0, 6)}",
                    "at": (close - dt.timedelta(seconds=rng.randint(0, 200 * 86400))).isoformat().replace("+00:00", "Z"),
                    "touch_type": rng.choice(["sourced", "influenced", "co_sell", "referral"])} for _ in range(rng.randint(0, 8))]
        deal = {"id": "D", "amount": {"amount": f"{rng.randint(0, 10**9)}.{rng.randint(0, 99):02d}", "currency": "EUR"},
                "closed_at": "2026-03-31T00:00:00Z", "touches": touches}
        model = {"type": "time_decay", "half_life_days": rng.choice([1, 7, 30.5, 90])}
        journeys = [{"path": ">".join(f"C{rng.randint(0, 7)}" for _ in range(rng.randint(1, 6))),
                     "conversions": rng.randint(0, 3), "value": round(rng.uniform(0, 1e4), 2), "nulls": rng.randint(0, 4)}
                    for _ in range(rng.randint(1, 40))]
        cases.append({
            "deal": deal, "model": model, "journeys": journeys,
            "results": {
                "split_time_decay": outcome(lambda: shares(prm.attribution.split(deal, model))),
                "split_w_shaped": outcome(lambda: shares(prm.attribution.split(deal, "w_shaped"))),
                "markov": outcome(lambda: markov_view(prm.attribution.markov(journeys))),
                "shapley": outcome(lambda: prm.attribution.shapley(journeys, True)),
            },
        })
    OUT_ATTRIBUTION.write_text(json.dumps(cases))
    print(f"wrote {len(cases)} cases to {OUT_ATTRIBUTION}")


if __name__ == "__main__":
    main()
