#!/usr/bin/env python3
"""Golden vectors for the attribution engine, from an independent reference of SPEC §4.

Per-deal splits use exact ``fractions.Fraction`` arithmetic (``float`` only for time_decay, as
the spec allows). Markov is solved exactly over the rationals, each removal effect by
re-solving the chain with the removed partner's incoming transitions redirected to null (the
definition, not prm's closed form). Shapley is the *true* Shapley value of the characteristic
function v(S) = Σ_{T⊆S} R(T), computed by enumerating coalitions, which checks that the
simplified formula prm uses is the Shapley value. Nothing here is recorded from prm's output.

    python3 scripts/make_attribution_vectors.py   # writes vectors/attribution/*.json
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal, getcontext
from fractions import Fraction
from itertools import combinations
from pathlib import Path

getcontext().prec = 60
OUT = Path(__file__).resolve().parents[1] / "vectors" / "attribution"
MINOR = {"JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}
DEFAULT_TYPE_WEIGHTS = {"sourced": 4, "co_sell": 3, "referral": 2, "influenced": 1}


def ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def frac_str(f: Fraction) -> str:
    """A fraction as a decimal string with 28 fractional digits (compared to 1e-20)."""
    q = Decimal(f.numerator) / Decimal(f.denominator)
    return format(q.quantize(Decimal(1).scaleb(-28)).normalize(), "f")


def money_str(units: int, digits: int) -> str:
    return format(Decimal(units).scaleb(-digits), "f")


# ---------------------------------------------------------------------------------------------
# Per deal


def model_spec(model):
    if isinstance(model, str):
        model = {"type": model}
    m = dict(model)
    t = m["type"]
    defaults = {
        "time_decay": {"half_life_days": "7"},
        "position_based": {"first": "0.4", "last": "0.4"},
        "w_shaped": {"first": "0.3", "middle": "0.3", "last": "0.3"},
        "custom": {"type_weights": DEFAULT_TYPE_WEIGHTS},
    }.get(t, {})
    for k, v in defaults.items():
        m.setdefault(k, v)
    return m


def F(x) -> Fraction:
    return Fraction(Decimal(str(x)))


def model_weights(m, counted, closed):
    """Weights of counted touches (Fractions, or floats for time_decay), in counted order."""
    t, n = m["type"], len(counted)
    if t == "first_touch":
        return [Fraction(1) if i == 0 else Fraction(0) for i in range(n)]
    if t == "last_touch":
        return [Fraction(1) if i == n - 1 else Fraction(0) for i in range(n)]
    if t == "linear":
        return [Fraction(1)] * n
    if t == "position_based":
        f, l = F(m["first"]), F(m["last"])
        if n <= 2:
            return [Fraction(1, n)] * n
        return [f if i == 0 else l if i == n - 1 else (1 - f - l) / (n - 2) for i in range(n)]
    if t == "w_shaped":
        f, mid, l = F(m["first"]), F(m["middle"]), F(m["last"])
        if n <= 3:
            return [Fraction(1, n)] * n
        med = (n - 1) // 2
        return [
            f if i == 0 else mid if i == med else l if i == n - 1 else (1 - f - mid - l) / (n - 3)
            for i in range(n)
        ]
    if t == "custom":
        tw = {k: F(v) for k, v in m["type_weights"].items()}
        return [tw[c["touch_type"]] * F(c.get("weight", 1)) for _, c in counted]
    if t == "time_decay":
        h = float(m["half_life_days"])
        return [2.0 ** (-((closed - ts(c["at"])).total_seconds() / 86400.0) / h) for _, c in counted]
    if t == "partner_even":
        per = {}
        for _, c in counted:
            per[c["partner_id"]] = per.get(c["partner_id"], 0) + 1
        return [Fraction(1, per[c["partner_id"]]) for _, c in counted]
    raise ValueError(t)


def split(deal, model):
    m = model_spec(model)
    cur = deal["amount"]["currency"]
    digits = MINOR.get(cur, 2)
    total = int(Decimal(str(deal["amount"]["amount"])).scaleb(digits))
    closed = ts(deal["closed_at"])
    horizon = closed - timedelta(days=float(m["lookback_days"])) if "lookback_days" in m else None
    counted, dropped = [], []
    for i, t in enumerate(deal["touches"]):
        at = ts(t["at"])
        if at > closed:
            dropped.append({"index": i, "partner_id": t["partner_id"], "at": t["at"], "reason": "after_close"})
        elif horizon is not None and at < horizon:
            dropped.append({"index": i, "partner_id": t["partner_id"], "at": t["at"], "reason": "before_lookback"})
        else:
            counted.append((i, t))
    counted.sort(key=lambda it: (ts(it[1]["at"]), it[1]["partner_id"].encode(), it[0]))
    out = {
        "deal_id": deal["id"],
        "model": m["type"],
        "amount": deal["amount"],
        "shares": [],
        "counted": [],
        "dropped": dropped,
        "unattributed": None,
    }
    if not counted:
        out["unattributed"] = "no_counted_touches"
        return out
    w = model_weights(m, counted, closed)
    for (i, t), wi in zip(counted, w):
        out["counted"].append(
            {
                "index": i,
                "partner_id": t["partner_id"],
                "at": t["at"],
                "touch_type": t["touch_type"],
                "weight": frac_str(wi) if isinstance(wi, Fraction) else repr(wi),
            }
        )
    per, touches, sourced = {}, {}, {}
    for (_, t), wi in zip(counted, w):
        p = t["partner_id"]
        per[p] = per.get(p, 0) + wi
        touches[p] = touches.get(p, 0) + 1
        sourced[p] = sourced.get(p, False) or t["touch_type"] == "sourced"
    per = {p: v for p, v in per.items() if v != 0}
    W = sum(per.values())
    if not per or W == 0:
        out["unattributed"] = "zero_total_weight"
        return out
    credit = {p: v / W for p, v in per.items()}
    if m["type"] == "time_decay":
        q = {p: total * c for p, c in credit.items()}
        f = {p: math.floor(v) for p, v in q.items()}
    else:
        q = {p: total * c for p, c in credit.items()}
        f = {p: v.numerator // v.denominator for p, v in q.items()}
    r = total - sum(f.values())
    order = sorted(per, key=lambda p: (-(q[p] - f[p]), p.encode()))
    for p in order[:r]:
        f[p] += 1
    for p in sorted(per, key=str.encode):
        out["shares"].append(
            {
                "partner_id": p,
                "amount": {"amount": money_str(f[p], digits), "currency": cur},
                "credit": frac_str(credit[p]) if isinstance(credit[p], Fraction) else repr(credit[p]),
                "sourced": sourced[p],
                "touches": touches[p],
            }
        )
    return out


def partner_totals(deals, model, currency=None):
    rows = {}
    for d in deals:
        a = split(d, model)
        for s in a["shares"]:
            key = (s["partner_id"].encode(), s["amount"]["currency"])
            row = rows.setdefault(
                key,
                {
                    "partner_id": s["partner_id"],
                    "currency": s["amount"]["currency"],
                    "sourced_revenue": Decimal(0),
                    "influenced_revenue": Decimal(0),
                    "total_revenue": Decimal(0),
                    "deals": 0,
                    "sourced_deals": 0,
                },
            )
            amt = Decimal(s["amount"]["amount"])
            if s["sourced"]:
                row["sourced_revenue"] += amt
                row["sourced_deals"] += 1
            else:
                row["influenced_revenue"] += amt
            row["total_revenue"] += amt
            row["deals"] += 1
    out = []
    for key in sorted(rows):
        row = rows[key]
        for k in ("sourced_revenue", "influenced_revenue", "total_revenue"):
            row[k] = format(row[k], "f")
        out.append(row)
    return out


# ---------------------------------------------------------------------------------------------
# Journeys


def tokens(path):
    steps = path.split(">") if isinstance(path, str) else path
    return [s.strip() for s in steps if s.strip()]


def rows_of(journeys):
    out = []
    for j in journeys:
        c, v, u = Fraction(j.get("conversions", 0)), Fraction(j.get("value", 0)), Fraction(j.get("nulls", 0))
        steps = tokens(j["path"])
        if not steps or (c == 0 and u == 0):
            continue
        out.append((steps, c, v, u))
    return out


def solve(A, b):
    """Exact Gauss elimination over Fractions: A x = b."""
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for col in range(n):
        piv = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        pv = M[col][col]
        M[col] = [x / pv for x in M[col]]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                M[r] = [x - f * y for x, y in zip(M[r], M[col])]
    return [M[i][n] for i in range(n)]


def markov(journeys, value_mode="channelattribution"):
    rows = rows_of(journeys)
    chans = sorted({s for steps, *_ in rows for s in steps}, key=str.encode)
    K = len(chans)
    idx = {c: i for i, c in enumerate(chans)}
    start = [Fraction(0)] * K
    T = [[Fraction(0)] * K for _ in range(K)]
    conv = [Fraction(0)] * K
    null = [Fraction(0)] * K
    cval = [Fraction(0)] * K
    tc = sum((c for _, c, _, _ in rows), Fraction(0))
    tv = sum((v for _, _, v, _ in rows), Fraction(0))
    for steps, c, v, u in rows:
        col = [steps[0]]
        for s in steps[1:]:
            if s != col[-1]:
                col.append(s)
        start[idx[col[0]]] += c + u
        for a, b in zip(col, col[1:]):
            T[idx[a]][idx[b]] += c + u
        conv[idx[col[-1]]] += c
        null[idx[col[-1]]] += u
        if c > 0:
            cval[idx[col[-1]]] += v
    out_m = [sum(T[i]) + conv[i] + null[i] for i in range(K)]
    st = sum(start)
    s = [x / st for x in start]
    Q = [[T[i][j] / out_m[i] for j in range(K)] for i in range(K)]
    bconv = [conv[i] / out_m[i] for i in range(K)]
    mu = [cval[i] / conv[i] if conv[i] else Fraction(0) for i in range(K)]

    def absorb(removed=None):
        # h: P(conversion) from each state, with `removed` made absorbing-null.
        A = [[(1 if i == j else 0) - (Q[i][j] if j != removed else 0) for j in range(K)] for i in range(K)]
        h = solve(A, [bconv[i] if i != removed else 0 for i in range(K)])
        g = solve(A, [bconv[i] * mu[i] if i != removed else 0 for i in range(K)])
        p = sum(s[j] * h[j] for j in range(K) if j != removed)
        ev = sum(s[j] * g[j] for j in range(K) if j != removed)
        return p, ev

    P, EV = absorb()
    re = {c: 1 - absorb(idx[c])[0] / P for c in chans}
    vre = {c: 1 - absorb(idx[c])[1] / EV for c in chans}
    sre, svre = sum(re.values()), sum(vre.values())
    att_c = {c: re[c] / sre * tc for c in chans}
    if value_mode == "proportional":
        att_v = {c: re[c] / sre * tv for c in chans}
    else:
        att_v = {c: vre[c] / svre * tv for c in chans}
    tp = {"(start)": {c: float(s[idx[c]]) for c in chans if s[idx[c]] > 0}}
    for c in chans:
        i = idx[c]
        row = {d: float(Q[i][idx[d]]) for d in chans if Q[i][idx[d]] > 0}
        if bconv[i] > 0:
            row["(conversion)"] = float(bconv[i])
        if null[i] > 0:
            row["(null)"] = float(null[i] / out_m[i])
        tp[c] = row
    fl = lambda d: {k: float(v) for k, v in d.items()}  # noqa: E731
    return {
        "p_conversion": float(P),
        "removal_effect_conversion": fl(re),
        "removal_effect_value": fl(vre),
        "attributed_conversions": fl(att_c),
        "attributed_value": fl(att_v),
        "transition_probabilities": tp,
        "total_conversions": float(tc),
        "total_value": float(tv),
        "value_mode": value_mode,
    }


def shapley(journeys, ordered=False):
    rows = [r for r in rows_of(journeys)]
    chans = sorted({s for steps, *_ in rows for s in steps}, key=str.encode)
    R_c, R_v = {}, {}
    for steps, c, v, _ in rows:
        T = frozenset(steps)
        R_c[T] = R_c.get(T, 0) + c
        R_v[T] = R_v.get(T, 0) + v

    def true_shapley(R):
        # v(S) = Σ_{T⊆S} R(T); φ_j = Σ_S |S|!(n−|S|−1)!/n! (v(S∪j) − v(S)).
        n = len(chans)
        val = lambda S: sum((r for T, r in R.items() if T <= S), Fraction(0))  # noqa: E731
        phi = {}
        for j in chans:
            others = [c for c in chans if c != j]
            tot = Fraction(0)
            for k in range(len(others) + 1):
                wgt = Fraction(math.factorial(k) * math.factorial(n - k - 1), math.factorial(n))
                for S in combinations(others, k):
                    S = frozenset(S)
                    tot += wgt * (val(S | {j}) - val(S))
            phi[j] = float(tot)
        return phi

    out = {
        "attributed_conversions": true_shapley(R_c),
        "attributed_value": true_shapley(R_v),
        "total_conversions": float(sum((c for _, c, _, _ in rows), Fraction(0))),
        "total_value": float(sum((v for _, _, v, _ in rows), Fraction(0))),
    }
    if ordered:
        oc = {c: [] for c in chans}
        ov = {c: [] for c in chans}
        for steps, c, v, _ in rows:
            if c == 0 and v == 0:
                continue
            d = set(steps)
            for j in d:
                pos = [i for i, s in enumerate(steps) if s == j]
                for i in pos:
                    for acc, x in ((oc, c), (ov, v)):
                        lst = acc[j]
                        while len(lst) <= i:
                            lst.append(Fraction(0))
                        lst[i] += x / len(d) / len(pos)
        out["ordered_conversions"] = {k: [float(x) for x in v] for k, v in oc.items()}
        out["ordered_value"] = {k: [float(x) for x in v] for k, v in ov.items()}
    return out


def heuristics(journeys):
    rows = rows_of(journeys)
    chans = sorted({s for steps, *_ in rows for s in steps}, key=str.encode)
    res = {m: {"conversions": {c: Fraction(0) for c in chans}, "value": {c: Fraction(0) for c in chans}}
           for m in ("first_touch", "last_touch", "linear")}
    for steps, c, v, _ in rows:
        for m, who in (("first_touch", [steps[0]]), ("last_touch", [steps[-1]])):
            res[m]["conversions"][who[0]] += c
            res[m]["value"][who[0]] += v
        for s in steps:
            res["linear"]["conversions"][s] += c / len(steps)
            res["linear"]["value"][s] += v / len(steps)
    return {m: {k: {c: float(x) for c, x in d.items()} for k, d in r.items()} for m, r in res.items()}


# ---------------------------------------------------------------------------------------------
# Cases


def touch(p, at, kind="influenced", **kw):
    t = {"partner_id": p, "at": at, "touch_type": kind}
    t.update(kw)
    return t


def deal(did, amount, cur, closed, touches):
    return {"id": did, "amount": {"amount": amount, "currency": cur}, "closed_at": closed, "touches": touches}


CLOSE = "2026-03-31T12:00:00Z"
FIVE = [
    touch("P3", "2026-01-05T09:00:00Z", "sourced"),
    touch("P1", "2026-01-20T09:00:00Z"),
    touch("P2", "2026-02-11T10:30:00Z", "co_sell"),
    touch("P1", "2026-03-02T08:00:00Z", "referral"),
    touch("P4", "2026-03-30T17:45:00Z"),
]
SEVEN = FIVE + [touch("P5", "2026-03-31T12:00:00Z", "co_sell"), touch("P2", "2026-03-15T00:00:00Z")]
THREE = [touch("P1", "2026-01-01T00:00:00Z", "sourced"), touch("P2", "2026-02-01T00:00:00Z"), touch("P3", "2026-03-01T00:00:00Z")]


def split_cases():
    cases = []

    def add(desc, d, model):
        cases.append({"description": desc, "op": "split", "input": {"deal": d, "model": model}, "expected": split(d, model)})

    add("100.01 linear over three partners: 33.34/33.34/33.33", deal("D1", "100.01", "USD", CLOSE, THREE), "linear")
    add("ties broken by partner id: 0.02 over three", deal("D2", "0.02", "EUR", CLOSE, THREE), "linear")
    add("zero amount: every partner with credit appears with 0.00", deal("D3", "0", "EUR", CLOSE, THREE), "linear")
    add("one touch takes everything", deal("D4", "999.99", "EUR", CLOSE, THREE[:1]), "w_shaped")
    add("all touches by one partner", deal("D5", "120", "EUR", CLOSE, [touch("P9", "2026-01-0%dT00:00:00Z" % i) for i in range(1, 5)]), "position_based")
    add(
        "equal timestamps ordered by partner id (first touch goes to the smaller id)",
        deal("D6", "50", "EUR", CLOSE, [touch("PB", "2026-02-01T00:00:00Z"), touch("PA", "2026-02-01T00:00:00Z"), touch("PC", "2026-03-01T00:00:00Z")]),
        "first_touch",
    )
    add(
        "touches after close are dropped, a touch exactly at close counts",
        deal("D7", "1000", "EUR", CLOSE, [touch("P1", "2026-01-01T00:00:00Z"), touch("P2", CLOSE), touch("P3", "2026-04-01T00:00:00Z")]),
        "last_touch",
    )
    add("JPY has no minor digits", deal("D8", "1000", "JPY", CLOSE, THREE), "linear")
    add("KWD has three minor digits", deal("D9", "10.001", "KWD", CLOSE, THREE), "linear")
    add("no touches: unattributed", deal("D10", "10", "EUR", CLOSE, []), "linear")
    add("only touches after close: unattributed", deal("D11", "10", "EUR", CLOSE, [touch("P1", "2026-05-01T00:00:00Z")]), "linear")
    for model in ["first_touch", "last_touch", "linear", "position_based", "w_shaped", "custom", "partner_even", "time_decay"]:
        add(f"{model} over five touches (defaults)", deal("D20", "12345.67", "USD", CLOSE, FIVE), model)
        add(f"{model} over seven touches (defaults)", deal("D21", "1000000.01", "EUR", CLOSE, SEVEN), model)
    add("position_based with two touches: halves", deal("D22", "100.01", "EUR", CLOSE, THREE[:2]), "position_based")
    add("position_based 0.3/0.5 over three", deal("D23", "77.77", "EUR", CLOSE, THREE), {"type": "position_based", "first": "0.3", "last": "0.5"})
    add("w_shaped with three touches: thirds", deal("D24", "100", "EUR", CLOSE, THREE), "w_shaped")
    add(
        "w_shaped over four: median is the second touch",
        deal("D25", "100", "EUR", CLOSE, FIVE[:4]),
        {"type": "w_shaped", "first": "0.25", "middle": "0.35", "last": "0.2"},
    )
    add("time_decay with a 14-day half-life", deal("D26", "5000", "USD", CLOSE, FIVE), {"type": "time_decay", "half_life_days": 14})
    add("lookback window of 30 days drops older touches", deal("D27", "900", "EUR", CLOSE, FIVE), {"type": "linear", "lookback_days": 30})
    add("lookback window of 0.5 days on time_decay", deal("D28", "900", "EUR", CLOSE, FIVE), {"type": "time_decay", "lookback_days": "0.5"})
    add(
        "custom type weights with touch weights and a custom type",
        deal("D29", "1000", "EUR", CLOSE, [touch("P1", "2026-01-01T00:00:00Z", "webinar", weight="2.5"), touch("P2", "2026-02-01T00:00:00Z", "sourced", weight="0.5"), touch("P3", "2026-03-01T00:00:00Z", "influenced")]),
        {"type": "custom", "type_weights": {"webinar": "1.5", "sourced": 4, "influenced": "0"}},
    )
    add(
        "custom weights all zero: unattributed",
        deal("D30", "1000", "EUR", CLOSE, [touch("P1", "2026-01-01T00:00:00Z", "influenced")]),
        {"type": "custom", "type_weights": {"influenced": 0}},
    )
    add(
        "partner_even ignores how many touches a partner has",
        deal("D31", "100", "EUR", CLOSE, [touch("P1", "2026-01-01T00:00:00Z"), touch("P1", "2026-01-02T00:00:00Z"), touch("P1", "2026-01-03T00:00:00Z"), touch("P2", "2026-01-04T00:00:00Z")]),
        "partner_even",
    )
    add(
        "position_based with first+last = 1: middle partners get no share",
        deal("D32", "100", "EUR", CLOSE, THREE),
        {"type": "position_based", "first": "0.5", "last": "0.5"},
    )
    add("input order never matters (FIVE reversed)", deal("D33", "12345.67", "USD", CLOSE, FIVE[::-1]), "w_shaped")
    add("a large amount splits exactly", deal("D34", "79228162514264.33", "USD", CLOSE, FIVE), "position_based")
    return cases


def error_cases():
    c = []

    def add(desc, op, inp, code, path):
        c.append({"description": desc, "op": op, "input": inp, "expected_error": {"code": code, "path": path}})

    add("negative amount", "split", {"deal": deal("E1", "-1", "EUR", CLOSE, THREE), "model": "linear"}, "InvalidAmount", "deal.amount.amount")
    add("more decimals than the currency", "split", {"deal": deal("E2", "1.5", "JPY", CLOSE, THREE), "model": "linear"}, "InvalidAmount", "deal.amount.amount")
    add("negative touch weight", "split", {"deal": deal("E3", "1", "EUR", CLOSE, [touch("P1", "2026-01-01T00:00:00Z", weight="-1")]), "model": "custom"}, "InvalidWeight", "deal.touches[0].weight")
    add("unknown touch type in the custom map", "split", {"deal": deal("E4", "1", "EUR", CLOSE, [THREE[0], touch("P2", "2026-01-01T00:00:00Z", "webinar")]), "model": "custom"}, "UnknownTouchType", "deal.touches[1].touch_type")
    add("position weights above 1", "split", {"deal": deal("E5", "1", "EUR", CLOSE, THREE), "model": {"type": "position_based", "first": "0.7", "last": "0.7"}}, "InvalidModel", "model")
    add("negative half-life", "split", {"deal": deal("E6", "1", "EUR", CLOSE, THREE), "model": {"type": "time_decay", "half_life_days": -1}}, "InvalidModel", "model.half_life_days")
    add("unknown model name", "split", {"deal": deal("E7", "1", "EUR", CLOSE, THREE), "model": "lenear"}, "InvalidInput", "model")
    add("missing closed_at", "split", {"deal": {"id": "E8", "amount": {"amount": "1", "currency": "EUR"}, "touches": []}, "model": "linear"}, "InvalidInput", "deal")
    add("bad currency code", "split", {"deal": deal("E9", "1", "eur", CLOSE, []), "model": "linear"}, "InvalidInput", "deal.amount.currency")
    add("split_many names the deal", "split_many", {"deals": [deal("E10", "1", "EUR", CLOSE, THREE), deal("E11", "-2", "EUR", CLOSE, THREE)], "model": "linear"}, "InvalidAmount", "deals[1].amount.amount")
    add("partner totals in one currency reject another", "partner_totals", {"deals": [deal("E12", "1", "EUR", CLOSE, THREE), deal("E13", "2", "USD", CLOSE, THREE)], "model": "linear", "currency": "EUR"}, "CurrencyMismatch", "deals[1].amount.currency")
    add("negative conversions", "markov", {"journeys": [{"path": "A>B", "conversions": 1}, {"path": "B", "conversions": -1}], "value_mode": "channelattribution"}, "InvalidJourney", "journeys[1].conversions")
    add("a path that is not text or a list", "shapley", {"journeys": [{"path": 7, "conversions": 1}], "ordered": False}, "InvalidInput", "journeys[0].path")
    add("unknown value mode", "markov", {"journeys": [{"path": "A", "conversions": 1}], "value_mode": "shares"}, "InvalidInput", "value_mode")
    return c


BOOK = [
    deal("B1", "1000", "EUR", CLOSE, THREE),
    deal("B2", "250.50", "EUR", CLOSE, [touch("P2", "2026-01-01T00:00:00Z", "sourced"), touch("P4", "2026-01-02T00:00:00Z")]),
    deal("B3", "99999", "JPY", CLOSE, FIVE),
    deal("B4", "10", "EUR", CLOSE, []),
    deal("B5", "77.01", "USD", CLOSE, SEVEN),
]

J1 = [
    {"path": "A > B > C", "conversions": 3, "value": 300, "nulls": 2},
    {"path": "A>C", "conversions": 1, "value": 50, "nulls": 4},
    {"path": "B", "conversions": 0, "value": 0, "nulls": 5},
    {"path": ["B", "A", "A", "C"], "conversions": 2, "value": 260, "nulls": 1},
    {"path": "C>A>B>A", "conversions": 1, "value": 75, "nulls": 0},
    {"path": "A>B>C", "conversions": 1, "value": 90, "nulls": 1},
    {"path": " > D >", "conversions": 2, "value": 10, "nulls": 3},
    {"path": "", "conversions": 9, "value": 9, "nulls": 9},
]
J2 = [  # without nulls: rows with 0 conversions drop out
    {"path": "P1>P2", "conversions": 10, "value": 1000},
    {"path": "P2>P3>P1", "conversions": 4, "value": 200},
    {"path": "P3", "conversions": 0, "value": 0},
    {"path": "P1>P3>P3>P2", "conversions": 1.5, "value": 80.25},
]
J3 = [  # a cycle and a partner every conversion passes through
    {"path": "X>Y>X>Y>Z", "conversions": 2, "value": 20, "nulls": 1},
    {"path": "Y>Z", "conversions": 1, "value": 5, "nulls": 3},
    {"path": "X>Z", "conversions": 4, "value": 44, "nulls": 0},
    {"path": "W>X", "conversions": 0, "value": 0, "nulls": 2},
]


def journey_cases():
    c = []
    for name, j in (("mixed paths with nulls", J1), ("no nulls column", J2), ("cycles and a bottleneck", J3)):
        for mode in ("channelattribution", "proportional"):
            c.append({"description": f"markov, {name}, {mode}", "op": "markov", "input": {"journeys": j, "value_mode": mode},
                      "expected": markov(j, mode), "tolerance": 1e-9})
        for ordered in (False, True):
            c.append({"description": f"shapley, {name}, ordered={ordered}", "op": "shapley", "input": {"journeys": j, "ordered": ordered},
                      "expected": shapley(j, ordered), "tolerance": 1e-9})
        c.append({"description": f"heuristics, {name}", "op": "heuristics", "input": {"journeys": j}, "expected": heuristics(j), "tolerance": 1e-12})
    return c


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    split = split_cases()
    for case in split:
        if case["input"]["model"] in ("time_decay",) or (isinstance(case["input"]["model"], dict) and case["input"]["model"]["type"] == "time_decay"):
            case["decimal_tolerance"] = 1e-12
    many = [
        {"description": "a book of deals, linear", "op": "split_many", "input": {"deals": BOOK, "model": "linear"},
         "expected": [globals()["split"](d, "linear") for d in BOOK]},
        {"description": "per-partner sourced vs influenced revenue per currency", "op": "partner_totals",
         "input": {"deals": BOOK, "model": "position_based", "currency": None}, "expected": partner_totals(BOOK, "position_based")},
        {"description": "partner totals restricted to one currency", "op": "partner_totals",
         "input": {"deals": [BOOK[0], BOOK[1], BOOK[3]], "model": "custom", "currency": "EUR"},
         "expected": partner_totals([BOOK[0], BOOK[1], BOOK[3]], "custom")},
    ]
    files = {
        "split.json": split + many,
        "journeys.json": journey_cases(),
        "errors.json": error_cases(),
    }
    for name, cases in files.items():
        (OUT / name).write_text(json.dumps({"engine": "attribution", "cases": cases}, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    main()
