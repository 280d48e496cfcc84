#!/usr/bin/env python3
"""Golden vectors for the routing engine, from an independent reference of SPEC §2.

A deliberately naive reference: conditions are evaluated straight from their JSON trees on the
lead and partner dicts, every partner is scanned for every rule (no index, no precomputation),
numbers compare as ``decimal.Decimal``, distances use ``math`` (haversine, R = 6371.0088 km).
Nothing here is recorded from prm's output.

    python3 scripts/make_routing_vectors.py   # writes vectors/routing/*.json
"""

from __future__ import annotations

import copy
import json
import math
from decimal import Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "vectors" / "routing"
LIST_FIELDS = {"lead.products", "partner.countries", "partner.regions", "partner.industries", "partner.products",
               "partner.certifications"}


def num(x):
    return Decimal(str(x)) if isinstance(x, (int, float, str)) and not isinstance(x, bool) else None


def read(path, lead, partner, open_leads):
    root, _, rest = path.partition(".")
    obj = lead if root == "lead" else partner
    if obj is None:
        return None
    if path == "partner.open_leads":
        return open_leads
    if path == "partner.active":
        return obj.get("active", True)
    if path in LIST_FIELDS:
        return obj.get(rest.split(".")[0], [])
    cur = obj
    for part in rest.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    if path in ("lead.amount", "lead.employees", "partner.performance.conversion_rate",
                "partner.performance.response_hours") and cur is not None:
        return Decimal(str(cur))
    if path == "partner.location" or path == "lead.location":
        return cur
    return cur


def norm(v):
    """A comparable scalar: (kind, value)."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float, Decimal)):
        return ("num", Decimal(str(v)))
    if isinstance(v, str):
        return ("str", v)
    return ("other", id(v))


def eq(a, b):
    return norm(a) == norm(b)


def cmp(a, b):
    ka, va = norm(a)
    kb, vb = norm(b)
    if ka != kb or ka not in ("num", "str"):
        return None
    if ka == "str":
        va, vb = va.encode(), vb.encode()
    return (va > vb) - (va < vb)


def holds(c, lead, partner, open_leads=0):
    if "all" in c:
        return all(holds(x, lead, partner, open_leads) for x in c["all"])
    if "any" in c:
        return any(holds(x, lead, partner, open_leads) for x in c["any"])
    if "not" in c:
        return not holds(c["not"], lead, partner, open_leads)
    left = read(c["field"], lead, partner, open_leads)
    op = c["op"]
    if op == "exists":
        return (left is not None) == c.get("value", True)
    if left is None:
        return False
    right = read(c["field_ref"], lead, partner, open_leads) if "field_ref" in c else c["value"]
    if right is None:
        return False
    if isinstance(left, Decimal) and isinstance(right, str):
        right = Decimal(right)  # a typed numeric field: decimals may be strings
    if isinstance(left, Decimal) and isinstance(right, list):
        right = [Decimal(x) if isinstance(x, str) else x for x in right]
    if op == "eq":
        return eq(left, right)
    if op == "ne":
        return not eq(left, right)
    if op in ("lt", "lte", "gt", "gte"):
        r = cmp(left, right)
        return r is not None and {"lt": r < 0, "lte": r <= 0, "gt": r > 0, "gte": r >= 0}[op]
    if op == "in":
        return isinstance(right, list) and any(eq(left, x) for x in right)
    if op == "not_in":
        return isinstance(right, list) and not any(eq(left, x) for x in right)
    if op == "contains":
        if isinstance(left, str) and isinstance(right, str):
            return right in left
        return isinstance(left, list) and any(eq(x, right) for x in left)
    if op == "contains_any":
        return isinstance(left, list) and isinstance(right, list) and any(any(eq(h, w) for h in left) for w in right)
    if op == "contains_all":
        return isinstance(left, list) and isinstance(right, list) and all(any(eq(h, w) for h in left) for w in right)
    if op == "starts_with":
        return isinstance(left, str) and isinstance(right, str) and left.startswith(right)
    if op == "between":
        lo, hi = right
        a, b = cmp(left, lo), cmp(left, hi)
        return a is not None and b is not None and a >= 0 and b <= 0
    raise ValueError(op)


def fnv1a64(seed, text):
    h = 0xCBF29CE484222325
    for b in seed.to_bytes(8, "little") + text.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def haversine(a, b):
    r = math.pi / 180
    p1, p2 = a["lat"] * r, b["lat"] * r
    dp, dl = (b["lat"] - a["lat"]) * r, (b["lon"] - a["lon"]) * r
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def dec_str(d: Decimal) -> str:
    d = d.normalize()
    return format(d, "f")


def decide(policy, partners, lead, state, extra, declined=()):
    trace = []
    for rule in policy["rules"]:
        name = rule["name"]
        if "when" in rule and not holds(rule["when"], lead, None):
            trace.append({"rule": name, "outcome": "when_false"})
            continue
        strategy = rule["strategy"]["type"]
        cands = []
        for p in partners:
            open_ = p.get("open_leads", 0) + extra.get(p["id"], 0)
            if not p.get("active", True):
                continue
            if p.get("capacity") is not None and open_ >= p["capacity"]:
                continue
            if p["id"] in declined:
                continue
            if strategy == "weighted" and p.get("weight", 1) == 0:
                continue
            if strategy == "nearest" and p.get("location") is None:
                continue
            if "eligible" in rule and not holds(rule["eligible"], lead, p, open_):
                continue
            cands.append((p, open_))
        chosen = None
        if cands:
            if strategy == "first":
                chosen = (cands[0][0]["id"], None, [{"partner_id": p["id"], "score": None} for p, _ in cands])
            elif strategy in ("round_robin", "weighted"):
                order = sorted(cands, key=lambda c: c[0]["id"].encode())
                listing = [{"partner_id": p["id"], "score": None} for p, _ in order]
                if strategy == "round_robin":
                    last = state.get("last", {}).get(name)
                    after = [p for p, _ in order if last is not None and p["id"].encode() > last.encode()]
                    winner = after[0] if after else order[0][0]
                else:
                    total = sum(p.get("weight", 1) for p, _ in order)
                    point = fnv1a64(policy.get("seed", 0), lead["id"]) % total
                    run = 0
                    winner = None
                    for p, _ in order:
                        run += p.get("weight", 1)
                        if run > point:
                            winner = p
                            break
                chosen = (winner["id"], None, listing)
            elif strategy == "best_score":
                scored = []
                for p, open_ in cands:
                    s = Decimal(0)
                    for t in rule.get("scoring", []):
                        if "when" in t:
                            if holds(t["when"], lead, p, open_):
                                s += Decimal(str(t["points"]))
                        else:
                            v = read(t["field"], lead, p, open_)
                            if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
                                s += Decimal(str(v)) * Decimal(str(t["weight"]))
                    scored.append((p, s, open_))
                scored.sort(key=lambda x: (-x[1], x[2], x[0]["id"].encode()))
                chosen = (scored[0][0]["id"], dec_str(scored[0][1]),
                          [{"partner_id": p["id"], "score": dec_str(s)} for p, s, _ in scored])
            elif strategy == "nearest":
                if lead.get("location") is not None:
                    dist = sorted(((p, haversine(lead["location"], p["location"])) for p, _ in cands),
                                  key=lambda x: (x[1], x[0]["id"].encode()))
                    chosen = (dist[0][0]["id"], repr(dist[0][1]),
                              [{"partner_id": p["id"], "score": repr(d)} for p, d in dist])
        if chosen is None:
            trace.append({"rule": name, "outcome": "no_candidates"})
            continue
        trace.append({"rule": name, "outcome": "decided"})
        if strategy == "round_robin":
            state.setdefault("last", {})[name] = chosen[0]
        return {"lead_id": lead["id"], "partner_id": chosen[0], "rule": name, "fallback": None,
                "score": chosen[1], "candidates": chosen[2], "trace": trace}
    return {"lead_id": lead["id"], "partner_id": None, "rule": None,
            "fallback": policy.get("fallback", {"type": "direct"}), "score": None, "candidates": [], "trace": trace}


def route_batch(policy, partners, leads, state):
    state = copy.deepcopy(state or {"last": {}})
    state.setdefault("last", {})
    extra = {}
    out = []
    for lead in leads:
        d = decide(policy, partners, lead, state, extra)
        if d["partner_id"] is not None:
            extra[d["partner_id"]] = extra.get(d["partner_id"], 0) + 1
        out.append(d)
    return {"decisions": out, "state": state}


# ---------------------------------------------------------------------------------------------

PARTNERS = [
    {"id": "P-berlin", "tier": "gold", "countries": ["DE", "AT"], "regions": ["EMEA"], "industries": ["software", "finance"],
     "products": ["core", "security"], "certifications": ["sec-pro"], "capacity": 3, "open_leads": 1, "weight": 3,
     "location": {"lat": 52.52, "lon": 13.405}, "performance": {"conversion_rate": "0.31", "response_hours": 4},
     "attributes": {"segment": "enterprise", "languages": ["de", "en"], "founded": 2004}},
    {"id": "P-vienna", "tier": "silver", "countries": ["AT", "DE", "CH"], "regions": ["EMEA"], "industries": ["finance"],
     "products": ["core"], "capacity": 2, "weight": 1, "location": {"lat": 48.2082, "lon": 16.3738},
     "performance": {"conversion_rate": "0.22"}, "attributes": {"segment": "mid", "languages": ["de"]}},
    {"id": "P-paris", "tier": "gold", "countries": ["FR", "BE"], "regions": ["EMEA"], "industries": ["retail", "software"],
     "products": ["analytics", "core"], "certifications": ["analytics-pro", "sec-pro"], "open_leads": 4,
     "location": {"lat": 48.8566, "lon": 2.3522}, "performance": {"conversion_rate": "0.31", "response_hours": 2},
     "attributes": {"segment": "enterprise"}},
    {"id": "P-austin", "tier": "registered", "countries": ["US"], "regions": ["NA"], "industries": ["software"],
     "products": ["core", "payments"], "capacity": 1, "weight": 0, "location": {"lat": 30.2672, "lon": -97.7431}},
    {"id": "P-dormant", "active": False, "countries": ["DE", "FR", "US"], "regions": ["EMEA", "NA"], "products": ["core"]},
    {"id": "P-anywhere", "tier": "silver", "countries": ["DE", "FR", "US", "JP"], "regions": ["EMEA", "NA", "APAC"],
     "products": ["core", "analytics", "security", "payments"], "weight": 2},
]

LEADS = [
    {"id": "L-001", "country": "DE", "region": "EMEA", "industry": "finance", "products": ["security"], "amount": 120000,
     "employees": 800, "location": {"lat": 50.1109, "lon": 8.6821}, "created_at": "2026-03-02T09:00:00Z",
     "attributes": {"source": "webinar", "score": 71}},
    {"id": "L-002", "country": "AT", "region": "EMEA", "industry": "software", "products": ["core"], "amount": "45000.50",
     "location": {"lat": 47.0707, "lon": 15.4395}},
    {"id": "L-003", "country": "FR", "industry": "retail", "products": ["analytics", "core"], "amount": 9000,
     "attributes": {"source": "partner-portal"}},
    {"id": "L-004", "country": "US", "region": "NA", "postal_code": "78701", "industry": "software", "products": ["payments"],
     "amount": 500000, "location": {"lat": 30.2849, "lon": -97.7341}},
    {"id": "L-005", "country": "JP", "region": "APAC", "products": [], "amount": 25000},
    {"id": "L-006", "country": "DE", "region": "EMEA", "industry": "software", "products": ["core", "security"],
     "amount": 50000, "employees": 40},
    {"id": "L-007", "region": "EMEA"},
]

ANY_RULE = {"name": "all", "strategy": {"type": "first"}}


def leaf(field, op, value=None, ref=None):
    c = {"field": field, "op": op}
    if ref is not None:
        c["field_ref"] = ref
    elif value is not None:
        c["value"] = value
    return c


def op_cases():
    """One route_batch per condition: which leads match it (as `when`) and which partners (as
    `eligible`), through the decisions' candidates."""
    conds = [
        ("eq on a string", leaf("lead.country", "eq", "DE")),
        ("ne on a string (missing field is false)", leaf("lead.country", "ne", "DE")),
        ("lt on a decimal given as a string", leaf("lead.amount", "lt", 45000.5)),
        ("lte", leaf("lead.amount", "lte", "45000.50")),
        ("gt", leaf("lead.amount", "gt", 50000)),
        ("gte", leaf("lead.amount", "gte", 50000)),
        ("lt on strings is byte order", leaf("lead.country", "lt", "DE")),
        ("in", leaf("lead.country", "in", ["DE", "AT", "CH"])),
        ("not_in (a missing field is false)", leaf("lead.country", "not_in", ["DE", "AT"])),
        ("contains on a list", leaf("lead.products", "contains", "core")),
        ("contains on a string is a substring", leaf("lead.postal_code", "contains", "87")),
        ("contains_any", leaf("lead.products", "contains_any", ["security", "payments"])),
        ("contains_all", leaf("lead.products", "contains_all", ["core", "analytics"])),
        ("contains_all of an empty list holds", leaf("lead.products", "contains_all", [])),
        ("starts_with", leaf("lead.postal_code", "starts_with", "787")),
        ("exists true", leaf("lead.industry", "exists", True)),
        ("exists false", leaf("lead.industry", "exists", False)),
        ("between is inclusive", leaf("lead.amount", "between", [9000, 50000])),
        ("between on timestamps", leaf("lead.created_at", "between", ["2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z"])),
        ("attribute scalar", leaf("lead.attributes.source", "eq", "webinar")),
        ("attribute number", leaf("lead.attributes.score", "gte", 70)),
        ("not inverts, a missing field becomes true", {"not": leaf("lead.industry", "eq", "software")}),
        ("all and any", {"any": [{"all": [leaf("lead.region", "eq", "EMEA"), leaf("lead.amount", "gte", 50000)]},
                                 leaf("lead.country", "eq", "JP")]}),
        ("empty all holds, empty any does not", {"all": [{"all": []}, {"not": {"any": []}}]}),
    ]
    cases = []
    for desc, c in conds:
        policy = {"rules": [{"name": "r", "when": c, "strategy": {"type": "first"}}], "fallback": {"type": "queue", "name": "inside"}}
        cases.append(batch_case(f"when: {desc}", policy, PARTNERS, LEADS))
    elig = [
        ("partner list contains a lead field (indexed)", leaf("partner.countries", "contains", ref="lead.country")),
        ("lead field in a partner list (indexed)", leaf("lead.country", "in", ref="partner.countries")),
        ("partner scalar equals a lead field", leaf("partner.attributes.segment", "eq", "enterprise")),
        ("partner list contains_any a lead list", leaf("partner.products", "contains_any", ref="lead.products")),
        ("partner list contains_all a lead list", leaf("partner.products", "contains_all", ref="lead.products")),
        ("partner number against a literal", leaf("partner.performance.conversion_rate", "gte", 0.25)),
        ("partner attribute list contains", leaf("partner.attributes.languages", "contains", "de")),
        ("tier not registered, and open leads", {"all": [{"not": leaf("partner.tier", "eq", "registered")},
                                                         leaf("partner.open_leads", "lt", 2)]}),
        ("certifications and countries", {"all": [leaf("partner.certifications", "contains", "sec-pro"),
                                                 leaf("partner.countries", "contains", ref="lead.country")]}),
    ]
    for desc, c in elig:
        policy = {"rules": [{"name": "r", "eligible": c, "strategy": {"type": "first"}}]}
        cases.append(batch_case(f"eligible: {desc}", policy, PARTNERS, LEADS))
    return cases


def batch_case(desc, policy, partners, leads, state=None, tol=None):
    case = {"description": desc, "op": "route_batch",
            "input": {"policy": policy, "partners": partners, "leads": leads, "state": state},
            "expected": route_batch(policy, partners, leads, state)}
    if tol:
        case["decimal_tolerance"] = tol
    return case


def strategy_cases():
    geo = {"field": "partner.countries", "op": "contains", "field_ref": "lead.country"}
    many = [dict(l, id=f"{l['id']}-{k}") for k in range(3) for l in LEADS]
    c = [
        batch_case("first: the order the partners were given; capacity counted across the batch",
                   {"rules": [{"name": "geo", "eligible": geo, "strategy": {"type": "first"}}]}, PARTNERS, many),
        batch_case("round_robin: ids in byte order after the last choice, wrapping; memory in the state",
                   {"rules": [{"name": "rr", "eligible": geo, "strategy": {"type": "round_robin"}}]}, PARTNERS, many),
        batch_case("round_robin continues from a given state",
                   {"rules": [{"name": "rr", "strategy": {"type": "round_robin"}}]}, PARTNERS, LEADS,
                   state={"last": {"rr": "P-paris"}}),
        batch_case("weighted: FNV-1a point of (seed, lead id) over the weights; weight 0 never chosen",
                   {"rules": [{"name": "w", "strategy": {"type": "weighted"}}], "seed": 42}, PARTNERS,
                   [{"id": f"W-{i:03d}"} for i in range(40)]),
        batch_case("weighted with seed 0",
                   {"rules": [{"name": "w", "eligible": geo, "strategy": {"type": "weighted"}}]}, PARTNERS, many),
        batch_case("best_score: points and weighted fields; ties by fewer open leads, then id",
                   {"rules": [{"name": "best", "eligible": geo, "strategy": {"type": "best_score"}, "scoring": [
                       {"when": {"field": "partner.tier", "op": "eq", "value": "gold"}, "points": 10},
                       {"when": {"field": "partner.industries", "op": "contains", "field_ref": "lead.industry"}, "points": "2.5"},
                       {"field": "partner.performance.conversion_rate", "weight": 20},
                       {"field": "partner.performance.response_hours", "weight": "-0.5"},
                       {"field": "lead.amount", "weight": "0.00001"}]}]}, PARTNERS, many),
        batch_case("best_score: an all-tie falls to open leads then id",
                   {"rules": [{"name": "tie", "strategy": {"type": "best_score"}}]}, PARTNERS, LEADS),
        batch_case("nearest: haversine km; partners without a location are not candidates; no lead location, no candidates",
                   {"rules": [{"name": "near", "strategy": {"type": "nearest"}},
                              {"name": "rest", "strategy": {"type": "first"}}]}, PARTNERS, many, tol=1e-12),
        batch_case("rules in order with when_false / no_candidates traces, then the queue fallback",
                   {"rules": [
                       {"name": "strategic", "when": {"field": "lead.amount", "op": "gte", "value": 250000},
                        "eligible": {"field": "partner.tier", "op": "eq", "value": "gold"}, "strategy": {"type": "first"}},
                       {"name": "apac", "when": {"field": "lead.region", "op": "eq", "value": "APAC"},
                        "eligible": {"field": "partner.regions", "op": "contains", "value": "LATAM"}, "strategy": {"type": "first"}},
                       {"name": "local", "eligible": geo, "strategy": {"type": "round_robin"}}],
                    "fallback": {"type": "queue", "name": "inside-sales"}}, PARTNERS, many),
        batch_case("direct fallback by default", {"rules": [{"name": "none", "eligible": {"any": []}, "strategy": {"type": "first"}}]},
                   PARTNERS, LEADS[:2]),
        batch_case("capacity 0 left and inactive partners are never candidates",
                   {"rules": [{"name": "all", "strategy": {"type": "first"}}]},
                   [dict(PARTNERS[0], capacity=1, open_leads=1), PARTNERS[4], dict(PARTNERS[3], capacity=2, open_leads=0)],
                   LEADS),
    ]
    return c


def reroute_cases():
    policy = {"rules": [{"name": "geo", "eligible": {"field": "partner.countries", "op": "contains", "field_ref": "lead.country"},
                         "strategy": {"type": "first"}}], "fallback": {"type": "queue", "name": "inside"}}
    out = []
    for declined in (["P-berlin"], ["P-berlin", "P-vienna"], ["P-berlin", "P-vienna", "P-anywhere"]):
        state = {"last": {}}
        d = decide(policy, PARTNERS, LEADS[0], state, {}, declined=set(declined))
        out.append({"description": f"reroute after {', '.join(declined)} declined", "op": "reroute",
                    "input": {"policy": policy, "partners": PARTNERS, "lead": LEADS[0], "declined": declined, "state": None},
                    "expected": {"decision": d, "state": state}})
    return out


def first_false(c, path, lead, partner, open_leads):
    """The path of the first false node of an `eligible` tree: descend through `all`; an `any`,
    a `not` or a leaf that is false is itself the answer."""
    if "all" in c:
        for i, x in enumerate(c["all"]):
            found = first_false(x, f"{path}.all[{i}]", lead, partner, open_leads)
            if found:
                return found
        return None
    return None if holds(c, lead, partner, open_leads) else path


def explain(policy, partners, lead, state):
    decision = decide(policy, partners, lead, copy.deepcopy(state), {})
    rules = []
    for r, t in enumerate(decision["trace"]):
        rule, excluded = policy["rules"][r], []
        if t["outcome"] != "when_false":
            strategy = rule["strategy"]["type"]
            for p in partners:
                open_ = p.get("open_leads", 0)
                path = first_false(rule["eligible"], f"rules[{r}].eligible", lead, p, open_) if "eligible" in rule else None
                if not p.get("active", True):
                    reason, path = "inactive", None
                elif path:
                    reason = "eligible"
                elif p.get("capacity") is not None and open_ >= p["capacity"]:
                    reason = "capacity"
                elif strategy == "weighted" and p.get("weight", 1) == 0:
                    reason = "weight_zero"
                elif strategy == "nearest" and (p.get("location") is None or lead.get("location") is None):
                    reason = "no_location"
                else:
                    continue
                excluded.append({"partner_id": p["id"], "reason": reason, "condition": path})
        rules.append({"rule": t["rule"], "outcome": t["outcome"], "excluded": excluded})
    return {"decision": decision, "rules": rules}


def explain_cases():
    geo = {"field": "partner.countries", "op": "contains", "field_ref": "lead.country"}
    policies = [
        ("a leaf of an `all`, an `any` none of whose children held, a `not` whose child held; inactive; capacity",
         {"rules": [{"name": "enterprise", "when": {"field": "lead.amount", "op": "gte", "value": 1000000},
                     "strategy": {"type": "first"}},
                    {"name": "dach", "eligible": {"all": [geo,
                        {"any": [{"field": "partner.tier", "op": "eq", "value": "gold"},
                                 {"field": "partner.certifications", "op": "contains", "value": "sec-pro"}]},
                        {"not": {"field": "partner.products", "op": "contains", "value": "payments"}}]},
                     "strategy": {"type": "first"}}],
          "fallback": {"type": "queue", "name": "inside"}}),
        ("weighted: weight 0; a rule without candidates excludes everyone",
         {"rules": [{"name": "nobody", "eligible": {"field": "partner.tier", "op": "eq", "value": "platinum"},
                     "strategy": {"type": "first"}},
                    {"name": "share", "eligible": geo, "strategy": {"type": "weighted"}}], "seed": 7}),
        ("nearest: partners without a location",
         {"rules": [{"name": "close", "strategy": {"type": "nearest"}}]}),
    ]
    # a gold DE partner selling payments (its `not` fails) and one at capacity
    partners = PARTNERS + [{"id": "P-munich", "tier": "gold", "countries": ["DE"], "products": ["payments"]},
                           {"id": "P-full", "tier": "gold", "countries": ["DE"], "capacity": 2, "open_leads": 2}]
    out = []
    for desc, policy in policies:
        for lead in LEADS[:3]:
            case = {"description": f"explain, {desc}: {lead['id']}", "op": "explain",
                    "input": {"policy": policy, "partners": partners, "lead": lead, "state": None},
                    "expected": explain(policy, partners, lead, {"last": {}})}
            if policy["rules"][0]["strategy"]["type"] == "nearest":
                case["decimal_tolerance"] = 1e-12  # distances from f64 trigonometry
            out.append(case)
    policy = {"rules": [{"name": "share", "strategy": {"type": "weighted"}}]}
    out.append({"description": "explain, weighted without `eligible`: weight 0", "op": "explain",
                "input": {"policy": policy, "partners": partners, "lead": LEADS[0], "state": None},
                "expected": explain(policy, partners, LEADS[0], {"last": {}})})
    lead = {k: v for k, v in LEADS[0].items() if k != "location"}
    policy = policies[2][1]
    out.append({"description": "explain, nearest: a lead without a location excludes every partner", "op": "explain",
                "input": {"policy": policy, "partners": partners, "lead": lead, "state": None},
                "expected": explain(policy, partners, lead, {"last": {}})})
    return out


def text_cases():
    pairs = [
        ('lead.country in ["DE","AT"] and lead.amount >= 50000 and not partner.tier == "registered"',
         {"all": [leaf("lead.country", "in", ["DE", "AT"]), leaf("lead.amount", "gte", 50000),
                  {"not": leaf("partner.tier", "eq", "registered")}]},
         'lead.country in ["DE", "AT"] and lead.amount >= 50000 and not partner.tier == "registered"'),
        ('lead.region == "EMEA" or lead.amount > 5 and lead.products contains "core"',
         {"any": [leaf("lead.region", "eq", "EMEA"), {"all": [leaf("lead.amount", "gt", 5), leaf("lead.products", "contains", "core")]}]},
         'lead.region == "EMEA" or (lead.amount > 5 and lead.products contains "core")'),
        ('(lead.region == "EMEA" or lead.region == "NA") and lead.amount between [1, 2.5]',
         {"all": [{"any": [leaf("lead.region", "eq", "EMEA"), leaf("lead.region", "eq", "NA")]}, leaf("lead.amount", "between", [1, 2.5])]},
         '(lead.region == "EMEA" or lead.region == "NA") and lead.amount between [1, 2.5]'),
        ('partner.countries contains lead.country and lead.industry exists and lead.postal_code exists false',
         {"all": [leaf("partner.countries", "contains", ref="lead.country"), leaf("lead.industry", "exists", True),
                  leaf("lead.postal_code", "exists", False)]},
         'partner.countries contains lead.country and lead.industry exists and lead.postal_code exists false'),
        ('lead.attributes.note starts_with "say \\"hi\\"\\n\\u00e9" and lead.country not in ["FR"]',
         {"all": [leaf("lead.attributes.note", "starts_with", 'say "hi"\né'), leaf("lead.country", "not_in", ["FR"])]},
         'lead.attributes.note starts_with "say \\"hi\\"\\né" and lead.country not in ["FR"]'),
        ("true", {"all": []}, "true"),
        ("not (false or lead.amount <= -3.5e2)", {"not": {"any": [{"any": []}, leaf("lead.amount", "lte", -350)]}},
         "not (false or lead.amount <= -350)"),
    ]
    out = []
    for text, tree, printed in pairs:
        out.append({"description": f"parse: {text}", "op": "parse_condition", "input": {"text": text}, "expected": tree})
        out.append({"description": f"format: {printed}", "op": "format_condition", "input": {"condition": tree}, "expected": printed})
    return out


def error_cases():
    def bad(desc, policy, code, path, partners=None):
        return {"description": desc, "op": "route_batch",
                "input": {"policy": policy, "partners": partners if partners is not None else PARTNERS, "leads": LEADS[:1], "state": None},
                "expected_error": {"code": code, "path": path}}

    r = lambda **kw: dict({"name": "r", "strategy": {"type": "first"}}, **kw)  # noqa: E731
    return [
        bad("unknown field path", {"rules": [r(when={"all": [leaf("lead.country", "eq", "DE"), leaf("lead.contry", "eq", "DE")]})]},
            "InvalidCondition", "rules[0].when.all[1].field"),
        bad("op on the wrong type of field", {"rules": [r(eligible=leaf("partner.countries", "gt", 3))]},
            "InvalidCondition", "rules[0].eligible"),
        bad("value of the wrong type", {"rules": [r(when=leaf("lead.amount", "eq", "lots"))]},
            "InvalidCondition", "rules[0].when.value"),
        bad("between with lo > hi", {"rules": [r(when=leaf("lead.amount", "between", [10, 1]))]},
            "InvalidCondition", "rules[0].when.value"),
        bad("a partner field in when", {"rules": [r(when=leaf("partner.tier", "eq", "gold"))]},
            "InvalidCondition", "rules[0].when.field"),
        bad("unknown strategy", {"rules": [{"name": "r", "strategy": {"type": "random"}}]}, "InvalidInput", "rules[0].strategy.type"),
        bad("duplicate rule names", {"rules": [r(), r()]}, "InvalidPolicy", "rules[1].name"),
        bad("scoring outside best_score", {"rules": [r(scoring=[{"field": "partner.weight", "weight": 1}])]},
            "InvalidPolicy", "rules[0].scoring"),
        bad("duplicate partner ids", {"rules": [r()]}, "InvalidPolicy", "partners[1].id", partners=[PARTNERS[0], PARTNERS[0]]),
        bad("unknown field in a lead-free text condition", {"rules": [r(when="lead.country == \"DE\" and lead.size > 3")]},
            "InvalidCondition", "rules[0].when.all[1].field"),
        {"description": "text that does not parse", "op": "parse_condition", "input": {"text": 'lead.country in ["DE"'},
         "expected_error": {"code": "ParseError", "path": ""}},
        {"description": "an unknown op", "op": "format_condition",
         "input": {"condition": {"field": "lead.country", "op": "like", "value": "D%"}},
         "expected_error": {"code": "InvalidInput", "path": "condition"}},
    ]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "ops.json": op_cases(),
        "strategies.json": strategy_cases() + reroute_cases(),
        "explain.json": explain_cases(),
        "text.json": text_cases(),
        "errors.json": error_cases(),
    }
    for name, cases in files.items():
        (OUT / name).write_text(json.dumps({"engine": "routing", "cases": cases}, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    main()
