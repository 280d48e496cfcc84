"""Writes vectors/<engine>/limits.json: for each documented limit of prm_core::limits, a case at
the limit and one past it, in the generator notation of vectors/README.md so the files stay
small. Expected values are worked out here from the inputs' construction (a single touch takes
the whole deal, an even number of `not`s is the leaf itself, …) and, for the IRR at 64 sign
changes, by mpmath at 60 digits — never recorded from prm's output.

    .venv/bin/python scripts/make_limits_vectors.py
"""
import json
from pathlib import Path

import mpmath as mp

VECTORS = Path(__file__).resolve().parents[1] / "vectors"

MAX_NESTING = 100
MAX_CONDITION_DEPTH = 32
MAX_CONDITION_TEXT = 65_536
MAX_RULES = 10_000
MAX_PARTNERS = 1_000_000
MAX_FIELD_PATH_LEN = 256
MAX_TIERS = 1_000
MAX_TOUCHES = 10_000
MAX_JOURNEY_STEPS = 1_000
MAX_REQUIREMENT_DEPTH = 32
MAX_NAME_LEN = 1024
MAX_DOMAIN_INPUT_LEN = 2048
MAX_PRODUCTS = 256
MAX_PRODUCT_LEN = 256
MAX_MARKOV_CHANNELS = 1024
MAX_LOOKBACK_DAYS = 1_000_000
MAX_TIME_DECAY_MINOR_UNITS = 2**53
MAX_HORIZON_PERIODS = 100_000
MAX_SIGN_CHANGES = 64


def rep(s, n):
    return {"$repeat": s, "times": n}


def cat(*parts):
    return {"$concat": list(parts)}


def nest(template, n, leaf):
    return {"$nest": template, "times": n, "leaf": leaf}


def ok(description, op, input, expected, **extra):
    return {"description": description, "op": op, "input": input, "expected": expected, **extra}


def err(description, op, input, code, path):
    return {"description": description, "op": op, "input": input, "expected_error": {"code": code, "path": path}}


def write(engine, cases):
    path = VECTORS / engine / "limits.json"
    path.write_text(json.dumps({"engine": engine, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
    print(f"{path.relative_to(VECTORS.parent)}: {len(cases)} cases")


# ---- conflicts ---------------------------------------------------------------------------------
def registration(rid, partner, name, products=("security",), submitted="2026-01-01T00:00:00Z"):
    return {"id": rid, "partner_id": partner, "customer": {"name": name}, "products": products,
            "submitted_at": submitted}


def detect(registrations):
    return {"registrations": registrations, "opportunities": [], "partners": [], "policy": None}


long_name = cat("Acme ", rep("x", MAX_NAME_LEN - 5))
conflicts = [
    ok(f"a company name of MAX_NAME_LEN ({MAX_NAME_LEN}) bytes is matched in full", "detect_all",
       detect([registration("R1", "P1", long_name),
               registration("R2", "P2", long_name, submitted="2026-01-10T00:00:00Z")]),
       [{"earlier_id": "R1", "later_id": "R2", "kind": "channel_conflict", "overlapping_products": ["security"],
         "evidence": {"same_customer": True, "score": 1.0, "name_similarity": 1.0,
                      "normalized_names": [cat("acme ", rep("x", MAX_NAME_LEN - 5))] * 2,
                      "domain": "unknown", "reasons": ["name_equal"]},
         "resolution": {"winner_id": "R1", "rule": "first_submitted"}}]),
    err("a company name one byte past MAX_NAME_LEN", "detect_all",
        detect([registration("R1", "P1", cat("Acme ", rep("x", MAX_NAME_LEN - 4)))]),
        "LimitExceeded", "registrations[0].customer.name"),
    ok(f"MAX_PRODUCTS ({MAX_PRODUCTS}) product lines", "detect_all",
       detect([registration("R1", "P1", "Acme", {"$list": "p{i}", "times": MAX_PRODUCTS})]), []),
    err("one product line past MAX_PRODUCTS", "detect_all",
        detect([registration("R1", "P1", "Acme", {"$list": "p{i}", "times": MAX_PRODUCTS + 1})]),
        "LimitExceeded", "registrations[0].products"),
    ok(f"a product name of MAX_PRODUCT_LEN ({MAX_PRODUCT_LEN}) bytes", "detect_all",
       detect([registration("R1", "P1", "Acme", [rep("p", MAX_PRODUCT_LEN)])]), []),
    err("a product name one byte past MAX_PRODUCT_LEN", "detect_all",
        detect([registration("R1", "P1", "Acme", [rep("p", MAX_PRODUCT_LEN + 1)])]),
        "LimitExceeded", "registrations[0].products[0]"),
    err(f"registrations nested past MAX_NESTING ({MAX_NESTING}) levels", "detect_all",
        detect(nest(["$inner"], MAX_NESTING + 1, 1)), "LimitExceeded", "registrations"),
    ok(f"a website of MAX_DOMAIN_INPUT_LEN ({MAX_DOMAIN_INPUT_LEN}) bytes has its domain", "extract_domain",
       {"value": cat("https://acme.com/", rep("a", MAX_DOMAIN_INPUT_LEN - 17))},
       {"domain": "acme.com", "label": "acme", "kind": "organization"}),
    ok("one byte past MAX_DOMAIN_INPUT_LEN has none", "extract_domain",
       {"value": cat("https://acme.com/", rep("a", MAX_DOMAIN_INPUT_LEN - 16))}, None),
]

# ---- tiers -------------------------------------------------------------------------------------
def program(requirements):
    return {"program": {"tiers": [{"name": "registered"}, {"name": "gold", "requirements": requirements}]}}


leaf_req = {"metric": "revenue", "op": "gte", "value": "1"}
tiers = [
    ok(f"requirements nested MAX_REQUIREMENT_DEPTH ({MAX_REQUIREMENT_DEPTH}) deep", "compile",
       program(nest({"all": ["$inner"]}, MAX_REQUIREMENT_DEPTH, leaf_req)), None),
    err("requirements nested one level deeper", "compile",
        program(nest({"all": ["$inner"]}, MAX_REQUIREMENT_DEPTH + 1, leaf_req)),
        "LimitExceeded", cat("tiers[1].requirements", rep(".all[0]", MAX_REQUIREMENT_DEPTH + 1))),
    ok(f"MAX_TIERS ({MAX_TIERS}) tiers", "compile",
       {"program": {"tiers": {"$list": {"name": "t{i}"}, "times": MAX_TIERS}}}, None),
    err("one tier more", "compile",
        {"program": {"tiers": {"$list": {"name": "t{i}"}, "times": MAX_TIERS + 1}}}, "LimitExceeded", "tiers"),
]

# ---- routing -----------------------------------------------------------------------------------
leaf_cond = {"field": "lead.amount", "op": "gt", "value": 1}
first = {"type": "first"}
decided = {"lead_id": "L1", "partner_id": "P1", "rule": "r", "fallback": None, "score": None,
           "candidates": [{"partner_id": "P1", "score": None}], "trace": [{"rule": "r", "outcome": "decided"}]}
routing = [
    ok(f"condition text nested MAX_CONDITION_DEPTH ({MAX_CONDITION_DEPTH}) deep", "parse_condition",
       {"text": cat(rep("not ", MAX_CONDITION_DEPTH), "lead.amount > 1")},
       nest({"not": "$inner"}, MAX_CONDITION_DEPTH, leaf_cond)),
    err("condition text nested one level deeper", "parse_condition",
        {"text": cat(rep("not ", MAX_CONDITION_DEPTH + 1), "lead.amount > 1")}, "LimitExceeded", ""),
    ok(f"condition text of MAX_CONDITION_TEXT ({MAX_CONDITION_TEXT}) bytes", "parse_condition",
       {"text": cat("lead.amount > 1", rep(" ", MAX_CONDITION_TEXT - 15))}, leaf_cond),
    err("condition text one byte longer", "parse_condition",
        {"text": cat("lead.amount > 1", rep(" ", MAX_CONDITION_TEXT - 14))}, "LimitExceeded", ""),
    ok("a `when` of MAX_CONDITION_DEPTH nested `not`s (an even number: the leaf itself)", "route_batch",
       {"policy": {"rules": [{"name": "r", "when": nest({"not": "$inner"}, MAX_CONDITION_DEPTH, leaf_cond),
                              "strategy": first}]},
        "partners": [{"id": "P1"}], "leads": [{"id": "L1", "amount": 5}], "state": None},
       {"decisions": [decided], "state": {"last": {}}}),
    err("a `when` nested one level deeper", "route_batch",
        {"policy": {"rules": [{"name": "r", "when": nest({"not": "$inner"}, MAX_CONDITION_DEPTH + 1, leaf_cond),
                               "strategy": first}]},
         "partners": [{"id": "P1"}], "leads": [{"id": "L1", "amount": 5}], "state": None},
        "LimitExceeded", cat("rules[0].when", rep(".not", MAX_CONDITION_DEPTH + 1))),
    # leads (1) > lead (2) > attributes (3) > 97 arrays (4..100)
    ok(f"a lead attribute nested to MAX_NESTING ({MAX_NESTING}) levels in all", "route_batch",
       {"policy": {"rules": [{"name": "r", "strategy": first}]}, "partners": [{"id": "P1"}],
        "leads": [{"id": "L1", "attributes": {"x": nest(["$inner"], MAX_NESTING - 3, 1)}}], "state": None},
       {"decisions": [decided], "state": {"last": {}}}),
    err("one level deeper", "route_batch",
        {"policy": {"rules": [{"name": "r", "strategy": first}]}, "partners": [{"id": "P1"}],
         "leads": [{"id": "L1", "attributes": {"x": nest(["$inner"], MAX_NESTING - 2, 1)}}], "state": None},
        "LimitExceeded", "leads"),
    ok(f"MAX_RULES ({MAX_RULES}) rules", "route_batch",
       {"policy": {"rules": {"$list": {"name": "r{i}", "strategy": first}, "times": MAX_RULES}},
        "partners": [{"id": "P1"}], "leads": [], "state": None},
       {"decisions": [], "state": {"last": {}}}),
    err("one rule more", "route_batch",
        {"policy": {"rules": {"$list": {"name": "r{i}", "strategy": first}, "times": MAX_RULES + 1}},
         "partners": [{"id": "P1"}], "leads": [], "state": None},
        "LimitExceeded", "rules"),
    ok(f"MAX_PARTNERS ({MAX_PARTNERS:,}) partners", "route_batch",
       {"policy": {"rules": [{"name": "r", "strategy": first}]},
        "partners": {"$list": {"id": "P{i}"}, "times": MAX_PARTNERS}, "leads": [], "state": None},
       {"decisions": [], "state": {"last": {}}}),
    err("one partner more", "route_batch",
        {"policy": {"rules": [{"name": "r", "strategy": first}]},
         "partners": {"$list": {"id": "P{i}"}, "times": MAX_PARTNERS + 1}, "leads": [], "state": None},
        "LimitExceeded", "partners"),
    # `exists false` holds for a lead without the attribute: the rule decides
    ok(f"a field path of MAX_FIELD_PATH_LEN ({MAX_FIELD_PATH_LEN}) bytes", "route_batch",
       {"policy": {"rules": [{"name": "r", "strategy": first, "when": {
           "field": cat("lead.attributes.", rep("k", MAX_FIELD_PATH_LEN - 16)), "op": "exists", "value": False}}]},
        "partners": [{"id": "P1"}], "leads": [{"id": "L1", "amount": 5}], "state": None},
       {"decisions": [decided], "state": {"last": {}}}),
    err("a field path one byte longer", "route_batch",
        {"policy": {"rules": [{"name": "r", "strategy": first, "when": {
            "field": cat("lead.attributes.", rep("k", MAX_FIELD_PATH_LEN - 15)), "op": "exists", "value": False}}]},
         "partners": [{"id": "P1"}], "leads": [{"id": "L1", "amount": 5}], "state": None},
        "LimitExceeded", "rules[0].when.field"),
    err("a scoring term's field path one byte longer", "route_batch",
        {"policy": {"rules": [{"name": "r", "strategy": {"type": "best_score"}, "scoring": [{
            "field": cat("partner.attributes.", rep("k", MAX_FIELD_PATH_LEN - 18)), "weight": 1}]}]},
         "partners": [{"id": "P1"}], "leads": [{"id": "L1", "amount": 5}], "state": None},
        "LimitExceeded", "rules[0].scoring[0].field"),
]

# ---- attribution -------------------------------------------------------------------------------
# one touch, at the close (so a time-decay weight is 2^0 = 1), of a type that does not source
AT = "2026-01-10T00:00:00Z"


def one_touch_deal(amount, currency):
    return {"id": "D1", "amount": {"amount": amount, "currency": currency}, "closed_at": AT,
            "touches": [{"partner_id": "P1", "at": AT, "touch_type": "demo"}]}


def all_to_p1(model, amount, currency):
    money = {"amount": amount, "currency": currency}
    return {"deal_id": "D1", "model": model, "amount": money,
            "shares": [{"partner_id": "P1", "amount": money, "credit": "1", "sourced": False, "touches": 1}],
            "counted": [{"index": 0, "partner_id": "P1", "at": AT, "touch_type": "demo", "weight": "1"}],
            "dropped": [], "unattributed": None}


attribution = [
    ok(f"a lookback of MAX_LOOKBACK_DAYS ({MAX_LOOKBACK_DAYS})", "split",
       {"deal": one_touch_deal("100", "USD"), "model": {"type": "linear", "lookback_days": MAX_LOOKBACK_DAYS}},
       all_to_p1("linear", "100", "USD")),
    err("one day more", "split",
        {"deal": one_touch_deal("100", "USD"), "model": {"type": "linear", "lookback_days": MAX_LOOKBACK_DAYS + 1}},
        "InvalidModel", "model.lookback_days"),
    ok("time_decay on MAX_TIME_DECAY_MINOR_UNITS (2^53) minor units", "split",
       {"deal": one_touch_deal(str(MAX_TIME_DECAY_MINOR_UNITS), "JPY"), "model": {"type": "time_decay"}},
       all_to_p1("time_decay", str(MAX_TIME_DECAY_MINOR_UNITS), "JPY")),
    err("one minor unit more", "split",
        {"deal": one_touch_deal(str(MAX_TIME_DECAY_MINOR_UNITS + 1), "JPY"), "model": {"type": "time_decay"}},
        "DecimalOverflow", "deal.amount.amount"),
    # k one-step journeys, one conversion each: every partner starts 1/k of the journeys and
    # converts all of them, so removing one loses 1/k, and each is credited one conversion
    ok(f"MAX_MARKOV_CHANNELS ({MAX_MARKOV_CHANNELS}) partners in one Markov solve", "markov",
       {"journeys": {"$list": {"path": "P{i}", "conversions": 1}, "times": MAX_MARKOV_CHANNELS},
        "value_mode": "channelattribution"},
       {"p_conversion": 1.0,
        "removal_effect_conversion": {f"P{i}": 1 / MAX_MARKOV_CHANNELS for i in range(MAX_MARKOV_CHANNELS)},
        "removal_effect_value": {f"P{i}": 0.0 for i in range(MAX_MARKOV_CHANNELS)},
        "attributed_conversions": {f"P{i}": 1.0 for i in range(MAX_MARKOV_CHANNELS)},
        "attributed_value": {f"P{i}": 0.0 for i in range(MAX_MARKOV_CHANNELS)},
        "transition_probabilities": {"(start)": {f"P{i}": 1 / MAX_MARKOV_CHANNELS for i in range(MAX_MARKOV_CHANNELS)},
                                     **{f"P{i}": {"(conversion)": 1.0} for i in range(MAX_MARKOV_CHANNELS)}},
        "total_conversions": float(MAX_MARKOV_CHANNELS), "total_value": 0.0, "value_mode": "channelattribution"},
       tolerance=1e-9),
    err(f"MAX_MARKOV_CHANNELS ({MAX_MARKOV_CHANNELS}) + 1 partners in one Markov solve", "markov",
        {"journeys": {"$list": {"path": "P{i}", "conversions": 1}, "times": MAX_MARKOV_CHANNELS + 1},
         "value_mode": "channelattribution"},
        "LimitExceeded", "channels"),
    # every touch is P1's: P1 is credited the whole deal, none of it sourced
    ok(f"a deal of MAX_TOUCHES ({MAX_TOUCHES:,}) touches", "partner_totals",
       {"deals": [{**one_touch_deal("100", "USD"), "touches": {"$list": one_touch_deal("100", "USD")["touches"][0],
                                                                "times": MAX_TOUCHES}}],
        "model": "linear", "currency": None},
       [{"partner_id": "P1", "currency": "USD", "sourced_revenue": "0", "influenced_revenue": "100.00",
         "total_revenue": "100.00", "deals": 1, "sourced_deals": 0}]),
    err("one touch more", "partner_totals",
        {"deals": [{**one_touch_deal("100", "USD"), "touches": {"$list": one_touch_deal("100", "USD")["touches"][0],
                                                                 "times": MAX_TOUCHES + 1}}],
         "model": "linear", "currency": None},
        "LimitExceeded", "deals[0].touches"),
    # one partner on every step: it is the whole coalition of the journey
    ok(f"a journey of MAX_JOURNEY_STEPS ({MAX_JOURNEY_STEPS:,}) steps", "shapley",
       {"journeys": [{"path": cat(rep("P1>", MAX_JOURNEY_STEPS - 1), "P1"), "conversions": 1, "value": 10}],
        "ordered": False},
       {"attributed_conversions": {"P1": 1.0}, "attributed_value": {"P1": 10.0},
        "total_conversions": 1.0, "total_value": 10.0}),
    err("one step more", "shapley",
        {"journeys": [{"path": cat(rep("P1>", MAX_JOURNEY_STEPS), "P1"), "conversions": 1, "value": 10}],
         "ordered": False},
        "LimitExceeded", "journeys[0].path"),
    err("one step more, as a list", "markov",
        {"journeys": [{"path": {"$list": "P{i}", "times": MAX_JOURNEY_STEPS + 1}, "conversions": 1}],
         "value_mode": "channelattribution"},
        "LimitExceeded", "journeys[0].path"),
]

# ---- ropi --------------------------------------------------------------------------------------
mp.mp.dps = 60
flows64 = [-100, 110] + [(-1) ** (k + 1) * 1e-6 for k in range(MAX_SIGN_CHANGES - 1)]
signs = [x for x in flows64 if x]
assert sum(a * b < 0 for a, b in zip(signs, signs[1:])) == MAX_SIGN_CHANGES
npv = lambda r: mp.fsum(mp.mpf(c) / (1 + r) ** k for k, c in enumerate(flows64))  # noqa: E731
irr64 = mp.findroot(npv, mp.mpf("0.1"))
# the root closest to 0: no sign change of the NPV nearer to 0 than it (fine grid, both sides)
grid = [-abs(irr64) * 1.001 + i * abs(irr64) * 1.001 / 2000 for i in range(4001)]
assert sum(mp.sign(npv(a)) != mp.sign(npv(b)) for a, b in zip(grid, grid[1:])) == 1
# every root: sign changes of the NPV on a fine grid of x = ln(1 + r) over the solvers' window,
# each refined by mpmath
xs = [mp.mpf(-27.6) + i * mp.mpf("0.002") for i in range(int(31 / 0.002))]
signs = [mp.sign(npv(mp.e ** x - 1)) for x in xs]
roots64 = [float(mp.findroot(npv, (mp.e ** a - 1, mp.e ** b - 1), solver="anderson"))
           for a, b, sa, sb in zip(xs, xs[1:], signs, signs[1:]) if sa != sb]
assert len(roots64) == 2, roots64
flows65 = [(-1) ** (k + 1) for k in range(MAX_SIGN_CHANGES + 2)]
clv_inputs = {"arpa": "1", "margin_rate": "1", "retention": "0.5", "discount_rate": "0", "timing": "end"}
ropi = [
    ok(f"MAX_SIGN_CHANGES ({MAX_SIGN_CHANGES}) sign changes: the root closest to 0 (mpmath)", "irr",
       {"flows": flows64}, float(irr64), tolerance=1e-9),
    ok("every root at MAX_SIGN_CHANGES, by mpmath (the solver once missed one here)",
       "irr_roots", {"flows": flows64}, roots64, tolerance=1e-9),
    err("one sign change more", "irr", {"flows": flows65}, "LimitExceeded", "flows"),
    # m·r/(1+d) summed over N periods with r = 0.5, d = 0: 1 − 0.5^N, which is 1 to 28 digits
    ok(f"a CLV horizon of MAX_HORIZON_PERIODS ({MAX_HORIZON_PERIODS})", "clv",
       {"inputs": {**clv_inputs, "horizon_periods": MAX_HORIZON_PERIODS}},
       {"clv": "1", "ltv_simple": "2", "net_clv": "1", "ltv_to_cac": None}, decimal_tolerance=1e-20),
    err("one period more", "clv", {"inputs": {**clv_inputs, "horizon_periods": MAX_HORIZON_PERIODS + 1}},
        "LimitExceeded", "horizon_periods"),
]

for engine, cases in [("conflicts", conflicts), ("tiers", tiers), ("routing", routing),
                      ("attribution", attribution), ("ropi", ropi)]:
    write(engine, cases)
