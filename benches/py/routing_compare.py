"""Side by side in one process: prm.routing against GoRules' zen-engine on the 50-rule lead-routing
decision table of ``../shared/bench`` (its rules, its leads, its fastest path).

    .venv/bin/pip install zen-engine
    .venv/bin/python benches/py/routing_compare.py [--leads 1000] [--seconds 1.5]

The table becomes a prm policy: each row a rule whose ``when`` is the row's conditions on the lead,
whose only eligible partner is the row's partner pool (one partner per pool), strategy ``first``.
Every lead's answer (pool and rule) is checked equal to zen's and to the harness's pure-Python
reference before anything is timed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import prm

HARNESS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "zen_routing_bench.py"


def load_harness():
    spec = importlib.util.spec_from_file_location("zen_routing_bench", HARNESS)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def band(expr: str):
    """zen's interval / comparison syntax -> prm leaves on lead.amount."""
    if expr.startswith(">="):
        return [{"field": "lead.amount", "op": "gte", "value": float(expr[2:])}]
    lo, hi = expr.strip("[)").split("..")
    return [{"field": "lead.amount", "op": "gte", "value": float(lo)},
            {"field": "lead.amount", "op": "lt", "value": float(hi)}]


def to_policy(rules):
    column_field = {"country": "lead.country", "region": "lead.region", "industry": "lead.industry"}
    out, pools = [], []
    for r in rules:
        leaves = []
        for col, (expr, _) in r["when"].items():
            if col == "dealSize":
                leaves += band(expr)
            elif col == "product":
                values = json.loads(f"[{expr}]")
                leaves.append({"field": "lead.products", "op": "contains_any", "value": values})
            else:
                values = json.loads(f"[{expr}]")
                leaves.append({"field": column_field[col], "op": "in", "value": values})
        rule = {"name": r["name"], "eligible": {"field": "partner.id", "op": "eq", "value": r["pool"]},
                "strategy": {"type": "first"}}
        if leaves:
            rule["when"] = {"all": leaves}
        out.append(rule)
        if r["pool"] not in pools:
            pools.append(r["pool"])
    return {"rules": out, "fallback": {"type": "queue", "name": "unrouted"}}, [{"id": p} for p in pools]


def to_lead(ctx):
    lead = ctx["lead"]
    return {"id": lead["id"], "country": lead["country"], "region": lead["region"], "industry": lead["industry"],
            "amount": lead["dealSize"], "products": [lead["product"]]}


def rate(fn, n, seconds, runs):
    out = []
    for _ in range(runs):
        done, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            fn()
            done += n
        out.append(done / (time.perf_counter() - t0))
    return statistics.median(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    h = load_harness()
    rules = h.build_rules()
    contexts = h.make_leads(args.leads)
    policy, partners = to_policy(rules)
    router = prm.routing.Router(policy, partners)
    leads = [to_lead(c) for c in contexts]
    decisions, _ = router.route_batch(leads)

    mismatches = 0
    for ctx, d in zip(contexts, decisions):
        want = h.route_reference(rules, ctx)
        if (d["partner_id"], d["rule"]) != (want["partnerPool"], want["rule"]):
            mismatches += 1
    try:
        import zen
    except ImportError:
        zen = None
    results = []
    if zen is not None:
        jdm = h.build_jdm(rules)
        engine = zen.ZenEngine({"loader": {"type": "static", "content": {h.DECISION_KEY: jdm}}})
        for ctx, d in zip(contexts, decisions):
            got = engine.evaluate(h.DECISION_KEY, ctx)["result"].get("routing", {})
            if (got.get("partnerPool"), got.get("rule")) != (d["partner_id"], d["rule"]):
                mismatches += 1
        reqs = [{"key": h.DECISION_KEY, "context": c} for c in contexts]
        results.append(("zen static engine.evaluate(dict), one by one",
                        rate(lambda: [engine.evaluate(h.DECISION_KEY, c) for c in contexts], len(contexts), args.seconds, args.runs)))
        if hasattr(engine, "evaluate_batch"):
            results.append((f"zen static engine.evaluate_batch({len(reqs)})",
                            rate(lambda: engine.evaluate_batch(reqs), len(reqs), args.seconds, args.runs)))
    results.append((f"prm Router.route_batch({len(leads)}) from dicts",
                    rate(lambda: router.route_batch(leads), len(leads), args.seconds, args.runs)))
    import pyarrow as pa
    table = pa.Table.from_pylist([{**l, "products": l["products"]} for l in leads])
    by_table, _ = prm.routing.route_table(router, table)
    for d, p_id, rule in zip(decisions, by_table.column("partner_id").to_pylist(), by_table.column("rule").to_pylist()):
        if (p_id, rule) != (d["partner_id"], d["rule"]):
            mismatches += 1
    results.append((f"prm route_table({len(leads)} rows, Arrow)",
                    rate(lambda: prm.routing.route_table(router, table), len(leads), args.seconds, args.runs)))
    results.append((f"prm Router.route_batch(pyarrow table of {len(leads)})",
                    rate(lambda: router.route_batch(table), len(leads), args.seconds, args.runs)))
    results.append((f"prm route_table({len(leads)} rows, Arrow, 2 threads)",
                    rate(lambda: prm.routing.route_table(router, table, threads=2), len(leads), args.seconds, args.runs)))
    results.append(("prm Router.route(dict), one by one",
                    rate(lambda: [router.route(l) for l in leads], len(leads), args.seconds, args.runs)))
    print(f"{len(rules)} rules, {len(partners)} partner pools, {len(leads)} leads; "
          f"{len({d['rule'] for d in decisions})} distinct rules hit; mismatches: {mismatches}")
    best_zen = max((r for n, r in results if n.startswith("zen")), default=None)
    for name, r in results:
        ratio = f"  ({r / best_zen:.1f}x zen's best)" if best_zen and name.startswith("prm") else ""
        print(f"{name:48} {r:12,.0f} leads/s {1e6 / r:8.2f} us/lead{ratio}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
