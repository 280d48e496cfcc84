"""Writes vectors/ropi/*.json from SPEC §6 using an independent arbitrary-precision reference.

The expected values here come from the spec's formulas evaluated with mpmath (50 digits) and
exact fractions, never from prm itself. Run: python scripts/make_ropi_vectors.py
"""
import json
from datetime import date
from fractions import Fraction as F
from pathlib import Path

import mpmath as mp

mp.mp.dps = 50
OUT = Path(__file__).resolve().parent.parent / "vectors" / "ropi"


def npv(rate, flows):
    r = mp.mpf(rate)
    return sum(mp.mpf(c) / (1 + r) ** t for t, c in enumerate(flows))


def years(d, base):
    return mp.mpf((date.fromisoformat(d) - date.fromisoformat(base)).days) / 365


def xnpv(rate, dates, amounts, base=None):
    base = base or min(dates)
    r = mp.mpf(rate)
    return sum(mp.mpf(a) / (1 + r) ** years(d, base) for d, a in zip(dates, amounts))


def root(f, x0):
    return mp.findroot(f, mp.mpf(x0), tol=mp.mpf(10) ** -40)


def num(x):
    return float(x)


def dec(x):
    """An exact Fraction as a decimal string (terminating) or 30 significant digits."""
    if isinstance(x, F):
        q = x
        d = q.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d == 1:
            s = mp.nstr(mp.mpf(q.numerator) / q.denominator, 40, strip_zeros=True)
            # exact terminating decimal, printed without exponent
            from decimal import Decimal, getcontext

            getcontext().prec = 60
            v = (Decimal(q.numerator) / Decimal(q.denominator)).normalize()
            return format(v, "f")
        x = mp.mpf(q.numerator) / q.denominator
    return mp.nstr(x, 30, strip_zeros=True)


cases = {}


def case(group, description, op, inp, expected=None, error=None, rel=1e-12):
    c = {"description": description, "op": op, "input": inp}
    if error is not None:
        c["expected_error"] = error
    else:
        c["expected"] = expected
        if isinstance(expected, float) or (isinstance(expected, list) and expected and isinstance(expected[0], float)):
            c["tolerance"] = rel
    cases.setdefault(group, []).append(c)


# ---- npv / npv_excel -------------------------------------------------------------------------
fl = [-100, 60, 60]
case("npv", "10% on -100, 60, 60", "npv", {"rate": 0.1, "flows": fl}, num(npv("0.1", fl)))
case("npv", "first flow undiscounted; zero rate is the sum", "npv", {"rate": 0.0, "flows": fl}, 20.0)
case("npv", "negative rate -50%", "npv", {"rate": -0.5, "flows": [1, 1]}, 3.0)
case("npv", "rate -100% is invalid", "npv", {"rate": -1.0, "flows": [1]}, error={"code": "InvalidRate", "path": "rate"})
case("npv", "no flows", "npv", {"rate": 0.1, "flows": []}, error={"code": "EmptyCashFlows", "path": "flows"})
case("npv", "spreadsheet NPV discounts the first flow", "npv_excel", {"rate": 0.1, "flows": fl},
     num(npv("0.1", fl) / mp.mpf("1.1")))
case("npv", "long series at 5%", "npv", {"rate": 0.05, "flows": [-1000] + [100] * 30},
     num(npv("0.05", [-1000] + [100] * 30)))

# ---- xnpv / xnpv_excel -----------------------------------------------------------------------
ds = ["2025-01-01", "2025-03-01", "2025-10-30", "2026-02-15"]
am = [-10000, 2750, 4250, 3250]
case("xnpv", "actual/365 from the earliest date", "xnpv", {"rate": 0.09, "dates": ds, "amounts": am},
     num(xnpv("0.09", ds, am)))
case("xnpv", "order does not matter", "xnpv",
     {"rate": 0.09, "dates": list(reversed(ds)), "amounts": list(reversed(am))}, num(xnpv("0.09", ds, am)))
case("xnpv", "spreadsheet XNPV is based on the first date", "xnpv_excel",
     {"rate": 0.09, "dates": ds, "amounts": am}, num(xnpv("0.09", ds, am, base=ds[0])))
case("xnpv", "spreadsheet XNPV rejects an earlier date", "xnpv_excel",
     {"rate": 0.09, "dates": list(reversed(ds)), "amounts": list(reversed(am))},
     error={"code": "DateBeforeStart", "path": "dates[1]"})
case("xnpv", "dates and amounts must align", "xnpv", {"rate": 0.1, "dates": ds, "amounts": am[:3]},
     error={"code": "LengthMismatch", "path": "amounts"})

# ---- irr ---------------------------------------------------------------------------------------
def irr_ref(flows, x0):
    return num(root(lambda r: npv(r, flows), x0))


case("irr", "one period, 10%", "irr", {"flows": [-100, 110]}, 0.1)
f = [-1000, 300, 400, 500]
case("irr", "conventional project", "irr", {"flows": f}, irr_ref(f, 0.1))
f = [-1, 2.4, -1.43]
case("irr", "two roots (10%, 30%): closest to 0 by default", "irr", {"flows": f}, 0.1)
case("irr", "two roots: a guess picks the nearer", "irr", {"flows": f, "guess": 0.5}, 0.3)
case("irr", "all roots, ascending", "irr_roots", {"flows": f}, [0.1, 0.3])
# (1-1.1v)(1-1.2v)(1-1.5v) -> roots 10%, 20%, 50%; times -1 so it starts with an outflow
c = [F(1), -(F(11, 10) + F(12, 10) + F(15, 10)), F(11, 10) * F(12, 10) + F(11, 10) * F(15, 10) + F(12, 10) * F(15, 10),
     -F(11, 10) * F(12, 10) * F(15, 10)]
f3 = [float(-x) for x in c]
case("irr", "three roots", "irr_roots", {"flows": f3}, [0.1, 0.2, 0.5], rel=1e-9)
case("irr", "three roots: default 10%", "irr", {"flows": f3}, 0.1, rel=1e-9)
# roots -5% and +30%: (1-v/0.95)(1-v/1.3)
a, b = F(19, 20), F(13, 10)
fneg = [float(-1), float(a + b), float(-a * b)]
case("irr", "a negative root closer to 0 wins", "irr", {"flows": fneg}, -0.05, rel=1e-9)
case("irr", "rate near -100%", "irr", {"flows": [-1, 0.0001]}, -0.9999)
case("irr", "rate above 1e6", "irr", {"flows": [-1, 1e7]}, 1e7 - 1)
case("irr", "amounts of 1e12", "irr", {"flows": [-1e12, 5e11, 7e11]}, irr_ref([-1e12, 5e11, 7e11], 0.1))
case("irr", "double root (ill-conditioned: absolute 1e-9)", "irr", {"flows": [1, -2, 1]}, 0.0, rel=1e-3)
case("irr", "no sign change", "irr", {"flows": [100, 50]}, error={"code": "NoSignChange", "path": "flows"})
case("irr", "zeros only", "irr", {"flows": [0, 0]}, error={"code": "NoSignChange", "path": "flows"})
case("irr", "sign changes but no real root", "irr", {"flows": [1, -3, 3]}, error={"code": "NoRealRoot", "path": "flows"})
case("irr", "empty", "irr", {"flows": []}, error={"code": "EmptyCashFlows", "path": "flows"})
case("irr", "guess must be > -1", "irr", {"flows": [-1, 2], "guess": -2}, error={"code": "InvalidRate", "path": "guess"})
case("irr", "root below -100% + 1e-12 is out of range", "irr", {"flows": [-1, 1e-14]},
     error={"code": "RateOutOfRange", "path": "flows"})
case("irr", "leading zero flows", "irr", {"flows": [0, 0, -100, 0, 121]}, 0.1)
f = [-100] + [10] * 40
case("irr", "40-period annuity", "irr", {"flows": f}, irr_ref(f, 0.1))

# ---- xirr --------------------------------------------------------------------------------------
def xirr_ref(dates, amounts, x0):
    return num(root(lambda r: xnpv(r, dates, amounts), x0))


case("xirr", "365 days, 10%", "xirr", {"dates": ["2025-01-01", "2026-01-01"], "amounts": [-100, 110]}, 0.1)
ds = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
am = [-10000, 2750, 4250, 3250, 2750]
case("xirr", "the spreadsheet documentation example", "xirr", {"dates": ds, "amounts": am}, xirr_ref(ds, am, 0.3))
case("xirr", "unordered dates", "xirr",
     {"dates": [ds[i] for i in (3, 0, 4, 1, 2)], "amounts": [am[i] for i in (3, 0, 4, 1, 2)]}, xirr_ref(ds, am, 0.3))
case("xirr", "same-date flows are netted", "xirr",
     {"dates": ["2025-01-01", "2025-01-01", "2026-01-01"], "amounts": [-150, 50, 110]}, 0.1)
case("xirr", "netting can remove the sign change", "xirr",
     {"dates": ["2025-01-01", "2025-01-01", "2026-01-01"], "amounts": [-100, 100, 5]},
     error={"code": "NoSignChange", "path": "amounts"})
case("xirr", "a loss of 99.99%", "xirr", {"dates": ["2025-01-01", "2026-01-01"], "amounts": [-1e12, 1e8]}, -0.9999)
case("xirr", "short horizon, huge rate", "xirr", {"dates": ["2025-01-01", "2025-01-11"], "amounts": [-100, 200]},
     xirr_ref(["2025-01-01", "2025-01-11"], [-100, 200], 1e10), rel=1e-10)
case("xirr", "doubling in a day: 2^365 - 1 is beyond 1e15", "xirr",
     {"dates": ["2025-01-01", "2025-01-02"], "amounts": [1, -2]}, error={"code": "RateOutOfRange", "path": "amounts"})
ds2 = ["2023-01-01", "2024-01-01", "2025-01-01"]
xr = sorted(num(root(lambda r: xnpv(r, ds2, [-1, 2.4, -1.43]), x0)) for x0 in (0.1, 0.3))
case("xirr", "all roots of dated flows", "xirr_roots", {"dates": ds2, "amounts": [-1, 2.4, -1.43]}, xr)
case("xirr", "a guess selects the root", "xirr", {"dates": ds2, "amounts": [-1, 2.4, -1.43], "guess": 1.0}, xr[1])
case("xirr", "length mismatch", "xirr", {"dates": ds2, "amounts": [-1, 2]}, error={"code": "LengthMismatch", "path": "amounts"})
case("xirr", "bad date", "xirr", {"dates": ["2025-02-30", "2026-01-01"], "amounts": [-1, 2]},
     error={"code": "InvalidInput", "path": "dates[0]"})

# ---- mirr --------------------------------------------------------------------------------------
def mirr_ref(flows, fr, rr):
    n = len(flows)
    fv = sum(mp.mpf(c) * (1 + mp.mpf(rr)) ** (n - 1 - t) for t, c in enumerate(flows) if c > 0)
    pv = sum(mp.mpf(c) / (1 + mp.mpf(fr)) ** t for t, c in enumerate(flows) if c < 0)
    return num((fv / -pv) ** (mp.mpf(1) / (n - 1)) - 1)


f = [-120000, 39000, 30000, 21000, 37000, 46000]
case("mirr", "the spreadsheet documentation example", "mirr", {"flows": f, "finance_rate": 0.1, "reinvest_rate": 0.12},
     mirr_ref(f, "0.1", "0.12"))
f = [-100, 0, 0, 150, -20, 50]
case("mirr", "zero flows count in n; several negatives", "mirr", {"flows": f, "finance_rate": 0.08, "reinvest_rate": 0.05},
     mirr_ref(f, "0.08", "0.05"))
case("mirr", "no negative flow", "mirr", {"flows": [1, 2], "finance_rate": 0.1, "reinvest_rate": 0.1},
     error={"code": "NoSignChange", "path": "flows"})
case("mirr", "invalid finance rate", "mirr", {"flows": [-1, 2], "finance_rate": -1, "reinvest_rate": 0.1},
     error={"code": "InvalidRate", "path": "finance_rate"})

# ---- payback -----------------------------------------------------------------------------------
case("payback", "recovers within period 3", "payback", {"flows": [-100, 30, 30, 80]}, 2.5)
case("payback", "exact decimal sums", "payback", {"flows": [-0.3, 0.1, 0.2]}, 2.0)
case("payback", "never negative", "payback", {"flows": [10, 5]}, 0.0)
case("payback", "first recovery counts", "payback", {"flows": [-100, 150, -200, 300]}, num(mp.mpf(100) / 150))
case("payback", "never pays back", "payback", {"flows": [-100, 30, 30]}, error={"code": "NeverPaysBack", "path": "flows"})
case("payback", "discounted at 10%", "discounted_payback", {"rate": 0.1, "flows": [-100, 55, 121]}, 1.5)
f = [-1000, 300, 400, 500, 200]
cum, k = mp.mpf(0), None
disc = [mp.mpf(c) / mp.mpf("1.08") ** t for t, c in enumerate(f)]
for t, d in enumerate(disc):
    prev = cum
    cum += d
    if t >= 1 and prev < 0 <= cum:
        k = (t - 1) + (-prev) / d
        break
case("payback", "discounted at 8%", "discounted_payback", {"rate": 0.08, "flows": f}, num(k))
case("payback", "discounting can prevent recovery", "discounted_payback", {"rate": 0.5, "flows": [-100, 60, 60]},
     error={"code": "NeverPaysBack", "path": "flows"})

# ---- partner economics (exact) -----------------------------------------------------------------
def econ(sourced, influenced, w, m, net, costs):
    R = F(sourced) + F(w) * F(influenced)
    Cl = {k: F(v) for k, v in costs.items()}
    g = lambda k: Cl.get(k, F(0))
    V = g("mdf") + g("rebates") + g("spiffs") + g("other_incentives") + g("enablement") + g("support") + \
        g("partner_manager_hours") * g("partner_manager_hourly_rate") + (F(0) if net else g("discounts"))
    C = V + g("program_overhead")
    gm = R * F(m)
    pcm = gm - V
    return {
        "attributed_revenue": dec(R), "gross_margin": dec(gm), "variable_partner_cost": dec(V),
        "total_investment": dec(C), "contribution_margin": dec(pcm), "contribution_margin_pct": dec(pcm / R),
        "ropi_margin": dec((gm - C) / C), "ropi_revenue": dec((R - C) / C), "return_multiple": dec(gm / C),
    }


costs = {"mdf": "40000", "rebates": "12500.50", "spiffs": "3000", "other_incentives": "1500", "discounts": "25000",
         "enablement": "8000", "support": "6000", "partner_manager_hours": "120", "partner_manager_hourly_rate": "85.5",
         "program_overhead": "10000"}
for net in (False, True):
    inp = {"sourced_revenue": "750000", "influenced_revenue": "320000.40", "influence_weight": "0.35",
           "margin_rate": "0.42", "revenue_is_net_of_discounts": net, "costs": costs}
    case("economics", f"all cost lines, revenue net of discounts = {net}", "partner_economics", {"inputs": inp},
         econ("750000", "320000.40", "0.35", "0.42", net, costs))
inp = {"sourced_revenue": 100000, "margin_rate": 0.3, "costs": {"mdf": 5000}}
case("economics", "numbers accepted; influence weight defaults to 0", "partner_economics", {"inputs": inp},
     econ("100000", "0", "0", "0.3", False, {"mdf": "5000"}))
inp = {"sourced_revenue": "100000", "margin_rate": "0.3", "revenue_is_net_of_discounts": True, "costs": {"discounts": "500"}}
case("economics", "discounts excluded when revenue is net: nothing invested", "partner_economics", {"inputs": inp},
     error={"code": "ZeroInvestment", "path": "costs"})
inp = {"sourced_revenue": "0", "margin_rate": "0.3", "costs": {"mdf": "1"}}
case("economics", "zero revenue", "partner_economics", {"inputs": inp}, error={"code": "ZeroRevenue", "path": "sourced_revenue"})
inp = {"sourced_revenue": "1", "margin_rate": "0.3", "influence_weight": "1.5", "costs": {"mdf": "1"}}
case("economics", "influence weight outside [0, 1]", "partner_economics", {"inputs": inp},
     error={"code": "InvalidInput", "path": "influence_weight"})
inp = {"sourced_revenue": "1", "margin_rate": "0.3", "costs": {"mfd": "1"}}
case("economics", "unknown cost line", "partner_economics", {"inputs": inp}, error={"code": "InvalidInput", "path": "costs.mfd"})

# ---- MDF ---------------------------------------------------------------------------------------
def mdf(S, A, R, m):
    S, A, R, m = F(S), F(A), F(R), F(m)
    return {"mdf_roi_revenue": dec((R - S) / S), "mdf_roi_margin": dec((R * m - S) / S),
            "revenue_per_mdf_dollar": dec(R / S), "utilization": dec(S / A)}


case("mdf", "MDF return", "mdf_roi", {"inputs": {"mdf_spend": "30000", "mdf_allocated": "45000",
                                                "attributed_revenue": "210000", "margin_rate": "0.35"}},
     mdf("30000", "45000", "210000", "0.35"))
case("mdf", "zero spend", "mdf_roi", {"inputs": {"mdf_spend": "0", "mdf_allocated": "1", "attributed_revenue": "1",
                                                "margin_rate": "0.35"}}, error={"code": "ZeroInvestment", "path": "mdf_spend"})
case("mdf", "zero allocation", "mdf_roi", {"inputs": {"mdf_spend": "1", "mdf_allocated": "0", "attributed_revenue": "1",
                                                     "margin_rate": "0.35"}}, error={"code": "ZeroAllocation", "path": "mdf_allocated"})

# ---- CLV ---------------------------------------------------------------------------------------
def clv(arpa, m, r, d, timing, n, cac):
    M, r, d = F(arpa) * F(m), F(r), F(d)
    if n is None:
        v = M * r / (1 + d - r) if timing == "end" else M * (1 + d) / (1 + d - r)
    else:
        ts = range(1, n + 1) if timing == "end" else range(0, n)
        v = sum(M * r ** t / (1 + d) ** t for t in ts)
    out = {"clv": dec(v), "ltv_simple": dec(M / (1 - r))}
    if cac is None:
        out.update(net_clv=dec(v), ltv_to_cac=None)
    else:
        out.update(net_clv=dec(v - F(cac)), ltv_to_cac=dec(v / F(cac)))
    return out


for timing in ("end", "start"):
    for n in (None, 5, 36):
        inp = {"arpa": "1200", "margin_rate": "0.6", "retention": "0.85", "discount_rate": "0.1", "timing": timing,
               "horizon_periods": n, "acquisition_cost": "900"}
        case("clv", f"timing {timing}, horizon {n}", "clv", {"inputs": inp}, clv("1200", "0.6", "0.85", "0.1", timing, n, "900"))
inp = {"arpa": "100", "margin_rate": "1", "retention": "0.5"}
case("clv", "defaults: end timing, infinite, no discount, no CAC", "clv", {"inputs": inp}, clv("100", "1", "0.5", "0", "end", None, None))
inp = {"arpa": "100", "margin_rate": "1", "retention": "0.9", "discount_rate": "-0.2"}
case("clv", "1 + d - r <= 0", "clv", {"inputs": inp}, error={"code": "InvalidRate", "path": "discount_rate"})
inp = {"arpa": "100", "margin_rate": "1", "retention": "1", "discount_rate": "0.1"}
case("clv", "retention 100% in the simple form", "clv", {"inputs": inp}, error={"code": "ZeroChurn", "path": "retention"})
inp = {"arpa": "100", "margin_rate": "1", "retention": "0.5", "acquisition_cost": "0"}
case("clv", "zero acquisition cost", "clv", {"inputs": inp}, error={"code": "ZeroInvestment", "path": "acquisition_cost"})

# ---- pipeline ----------------------------------------------------------------------------------
deals = [{"amount": "100000", "probability": "0.25", "partner_share": "0.5"},
         {"amount": "40000", "probability": "0.9"},
         {"amount": "250000.50", "probability": "0.1", "partner_share": "1"}]
W = sum(F(x["amount"]) * F(x["probability"]) * F(x.get("partner_share", "1")) for x in deals)
U = sum(F(x["amount"]) * F(x.get("partner_share", "1")) for x in deals)
Var = sum((F(x["amount"]) * F(x.get("partner_share", "1"))) ** 2 * F(x["probability"]) * (1 - F(x["probability"])) for x in deals)
case("pipeline", "weighted pipeline, variance, coverage", "weighted_pipeline", {"inputs": {"deals": deals, "quota": "60000"}},
     {"weighted_pipeline": dec(W), "unweighted_pipeline": dec(U), "variance": dec(Var), "coverage": dec(W / F(60000))})
case("pipeline", "probability above 1", "weighted_pipeline",
     {"inputs": {"deals": [{"amount": "1", "probability": "0.5"}, {"amount": "1", "probability": "1.2"}], "quota": "1"}},
     error={"code": "InvalidProbability", "path": "deals[1].probability"})
case("pipeline", "zero quota", "weighted_pipeline", {"inputs": {"deals": deals, "quota": "0"}},
     error={"code": "ZeroQuota", "path": "quota"})

parts = [("2025-01-10", "2025-03-01"), ("2025-02-01", None), ("2025-01-15", "2025-01-30"), ("2025-03-01", "2025-08-01"),
         ("2025-04-01", "2025-04-01")]
days = [(date.fromisoformat(b) - date.fromisoformat(a)).days if b else None for a, b in parts]
have = sorted(d for d in days if d is not None)
med = F(have[len(have) // 2 - 1] + have[len(have) // 2], 2) if len(have) % 2 == 0 else F(have[len(have) // 2])
case("pipeline", "time to revenue: even count median, share within 60 days", "time_to_revenue",
     {"inputs": {"partners": [{"activation_date": a, "first_revenue_date": b} for a, b in parts], "within_days": 60}},
     {"per_partner_days": days, "median_days": dec(med), "mean_days": dec(F(sum(have), len(have))),
      "activated_within_share": dec(F(sum(1 for d in have if d <= 60), len(parts)))})
case("pipeline", "revenue before activation", "time_to_revenue",
     {"inputs": {"partners": [{"activation_date": "2025-02-01", "first_revenue_date": "2025-01-01"}]}},
     error={"code": "RevenueBeforeActivation", "path": "partners[0].first_revenue_date"})
case("pipeline", "nobody has revenue", "time_to_revenue",
     {"inputs": {"partners": [{"activation_date": "2025-02-01", "first_revenue_date": None}]}},
     error={"code": "NoRevenue", "path": "partners"})

OUT.mkdir(parents=True, exist_ok=True)
for group, items in cases.items():
    (OUT / f"{group}.json").write_text(json.dumps({"engine": "ropi", "cases": items}, indent=1) + "\n")
print(sum(len(v) for v in cases.values()), "cases in", len(cases), "files")
