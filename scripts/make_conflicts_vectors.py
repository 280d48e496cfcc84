"""Golden vectors of the conflicts engine (vectors/conflicts/*.json).

The conflict rule, its kinds, windows and resolution rules are computed here from SPEC §5 by an
independent implementation (below), on customers whose names are identical after the documented
normalisation, so the matcher's evidence is the documented fixed shape (`name_equal`, score 1).
The normalisation and domain tables are written by hand from the crate docs' rules.
Run: python3 scripts/make_conflicts_vectors.py
"""
import json
from datetime import datetime, timedelta

D = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
PROTECTION = 90


def t0(r):
    return D(r["submitted_at"] if "partner_id" in r else r["created_at"])


def active(r, t, protection=PROTECTION):
    if t0(r) > t:
        return False
    if "owner_id" in r:
        return "closed_at" not in r or t < D(r["closed_at"])
    if "rejected_at" in r and D(r["rejected_at"]) <= t:
        return False
    if "closed_at" in r and D(r["closed_at"]) <= t:
        return False
    if "approved_at" in r:
        exp = D(r["expires_at"]) if "expires_at" in r else D(r["approved_at"]) + timedelta(days=protection)
        if D(r["approved_at"]) <= t and t >= exp:
            return False
    return True


def resolve(x, y, rules, partners, tier_order):
    rules = list(rules) + ["first_submitted"]
    direct = lambda r: "owner_id" in r
    def pick(a, b):
        return x if a and not b else y if b and not a else None
    for rule in rules:
        w = None
        if rule == "direct_wins":
            w = pick(direct(x), direct(y))
        elif rule == "first_approved":
            ax, ay = x.get("approved_at"), y.get("approved_at")
            if ax and ay and D(ax) != D(ay):
                w = x if D(ax) < D(ay) else y
            else:
                w = pick(bool(ax), bool(ay)) if not (ax and ay) else None
        elif rule == "first_submitted":
            w = x
        elif rule == "higher_tier" and not direct(x) and not direct(y):
            rank = lambda r: tier_order.index(partners[r["partner_id"]]["tier"]) if partners.get(r["partner_id"], {}).get("tier") in tier_order else -1
            w = x if rank(x) > rank(y) else y if rank(y) > rank(x) else None
        elif rule == "territory_owner":
            owns = lambda r: not direct(r) and r["customer"].get("country") in partners.get(r["partner_id"], {}).get("territories", [])
            w = pick(owns(x), owns(y))
        if w is not None:
            return {"winner_id": w["id"], "rule": rule}


def detect(regs, opps, partners=(), policy=None):
    policy = policy or {}
    rules = policy.get("resolution", ["direct_wins", "first_submitted"])
    tier_order = policy.get("tier_order", ["registered", "silver", "gold", "platinum"])
    pmap = {p["id"]: p for p in partners}
    recs = sorted(regs + opps, key=lambda r: (t0(r), r["id"]))
    out = []
    for j, y in enumerate(recs):
        found = []
        for x in recs[:j]:
            if "owner_id" in x and "owner_id" in y:
                continue
            common = sorted(set(x.get("products", [])) & set(y.get("products", [])))
            if not common or not active(x, t0(y), policy.get("protection_days", PROTECTION)):
                continue
            kind = ("direct_conflict" if "owner_id" in x or "owner_id" in y else
                    "duplicate" if x["partner_id"] == y["partner_id"] else "channel_conflict")
            name = "acme"
            found.append({"earlier_id": x["id"], "later_id": y["id"], "kind": kind,
                          "overlapping_products": common,
                          "evidence": {"same_customer": True, "score": 1.0, "name_similarity": 1.0,
                                       "normalized_names": [name, name], "domain": "unknown",
                                       "reasons": ["name_equal"]},
                          "resolution": resolve(x, y, rules, pmap, tier_order)})
        out += sorted(found, key=lambda c: c["earlier_id"])
    return out


def reg(id, partner, at, **kw):
    r = {"id": id, "partner_id": partner, "customer": {"name": kw.pop("name", "Acme Inc.")},
         "products": kw.pop("products", ["security"]), "submitted_at": at}
    r.update(kw)
    return r


def opp(id, at, **kw):
    o = {"id": id, "owner_id": "U1", "account": {"name": kw.pop("name", "ACME, LLC")},
         "products": kw.pop("products", ["security"]), "created_at": at}
    o.update(kw)
    return o


cases = []
def case(desc, regs, opps=(), partners=(), policy=None):
    inp = {"registrations": regs, "opportunities": list(opps), "partners": list(partners), "policy": policy}
    cases.append({"description": desc, "op": "detect_all", "input": inp,
                  "expected": detect(regs, list(opps), list(partners), policy)})

A, B = "2026-01-01T00:00:00Z", "2026-01-10T00:00:00Z"
case("channel conflict, pending earlier registration is active", [reg("R1", "P1", A), reg("R2", "P2", B)])
case("duplicate: same partner twice", [reg("R1", "P1", A), reg("R2", "P1", B, name="ACME INCORPORATED")])
case("no shared product, no conflict", [reg("R1", "P1", A), reg("R2", "P2", B, products=["cloud"])])
case("overlapping products listed sorted", [reg("R1", "P1", A, products=["wan", "cloud", "security"]), reg("R2", "P2", B, products=["security", "cloud"])])
case("rejected before the later submission: inactive", [reg("R1", "P1", A, rejected_at="2026-01-05T00:00:00Z"), reg("R2", "P2", B)])
case("rejected exactly at the later submission: inactive", [reg("R1", "P1", A, rejected_at=B), reg("R2", "P2", B)])
case("rejected after the later submission: still active then", [reg("R1", "P1", A, rejected_at="2026-01-11T00:00:00Z"), reg("R2", "P2", B)])
case("closed before: inactive", [reg("R1", "P1", A, closed_at="2026-01-09T00:00:00Z", status="closed_lost"), reg("R2", "P2", B)])
case("approved, protection 90 days: active one second before expiry",
     [reg("R1", "P1", A, approved_at="2026-01-02T00:00:00Z"), reg("R2", "P2", "2026-04-01T23:59:59Z")])
case("approved, exactly at default expiry (approved_at + 90 days): inactive",
     [reg("R1", "P1", A, approved_at="2026-01-02T00:00:00Z"), reg("R2", "P2", "2026-04-02T00:00:00Z")])
case("explicit expires_at wins over the default",
     [reg("R1", "P1", A, approved_at="2026-01-02T00:00:00Z", expires_at="2026-01-09T00:00:00Z"), reg("R2", "P2", B)])
case("protection_days from the policy",
     [reg("R1", "P1", A, approved_at="2026-01-02T00:00:00Z"), reg("R2", "P2", "2026-01-20T00:00:00Z")],
     policy={"protection_days": 10})
case("direct opportunity earlier: direct_conflict, direct wins",
     [reg("R2", "P2", B)], [opp("O1", A)])
case("direct opportunity later: direct_conflict, direct wins by default",
     [reg("R1", "P1", A)], [opp("O1", B)])
case("closed opportunity is inactive", [reg("R2", "P2", B)], [opp("O1", A, closed_at="2026-01-05T00:00:00Z")])
case("two direct opportunities never conflict", [], [opp("O1", A), opp("O2", B)])
case("first_submitted only: the registration beats a later opportunity",
     [reg("R1", "P1", A)], [opp("O1", B)], policy={"resolution": ["first_submitted"]})
case("first_approved: later but approved first wins",
     [reg("R1", "P1", A, approved_at="2026-01-20T00:00:00Z"), reg("R2", "P2", B, approved_at="2026-01-11T00:00:00Z")],
     policy={"resolution": ["first_approved"]})
case("first_approved: approved beats unapproved",
     [reg("R1", "P1", A), reg("R2", "P2", B, approved_at="2026-01-11T00:00:00Z")],
     policy={"resolution": ["first_approved", "first_submitted"]})
case("higher_tier decides", [reg("R1", "P1", A), reg("R2", "P2", B)],
     partners=[{"id": "P1", "tier": "silver"}, {"id": "P2", "tier": "gold"}], policy={"resolution": ["higher_tier"]})
case("higher_tier ties fall through to first_submitted", [reg("R1", "P1", A), reg("R2", "P2", B)],
     partners=[{"id": "P1", "tier": "gold"}, {"id": "P2", "tier": "gold"}], policy={"resolution": ["higher_tier"]})
case("territory_owner decides", [reg("R1", "P1", A, customer={"name": "Acme Inc.", "country": "DE"}),
                                 reg("R2", "P2", B, customer={"name": "Acme GmbH", "country": "DE"})],
     partners=[{"id": "P1", "territories": ["FR"]}, {"id": "P2", "territories": ["DE", "AT"]}],
     policy={"resolution": ["territory_owner"]})
case("three records: every active earlier one conflicts, sorted by later then earlier",
     [reg("R3", "P3", "2026-01-20T00:00:00Z"), reg("R1", "P1", A), reg("R2", "P2", B)])
case("equal t0: ordered by id", [reg("R2", "P2", A), reg("R1", "P1", A)])

for c in cases:  # the territory case's customers carry a country: evidence reason country_equal
    for conflict in c["expected"]:
        ids = {conflict["earlier_id"], conflict["later_id"]}
        recs = [r for r in c["input"]["registrations"] if r["id"] in ids]
        if all(r["customer"].get("country") == "DE" for r in recs) and len(recs) == 2:
            conflict["evidence"]["reasons"] = ["name_equal", "country_equal:DE"]

errors = [
    ("empty name", "detect_all", {"registrations": [reg("R1", "P1", A, name=" - ")], "opportunities": [], "partners": [], "policy": None},
     {"code": "InvalidRecord", "path": "registrations[0].customer.name"}),
    ("approved before submitted", "detect_all", {"registrations": [reg("R1", "P1", B, approved_at=A)], "opportunities": [], "partners": [], "policy": None},
     {"code": "InvalidRecord", "path": "registrations[0].approved_at"}),
    ("missing submitted_at", "detect_all", {"registrations": [{"id": "R1", "partner_id": "P1", "customer": {"name": "Acme"}}], "opportunities": [], "partners": [], "policy": None},
     {"code": "InvalidRecord", "path": "registrations[0].submitted_at"}),
    ("duplicate id", "detect_all", {"registrations": [reg("R1", "P1", A), reg("R1", "P2", B)], "opportunities": [], "partners": [], "policy": None},
     {"code": "InvalidRecord", "path": "registrations[1].id"}),
    ("threshold out of range", "detect_all", {"registrations": [], "opportunities": [], "partners": [], "policy": {"matching": {"threshold": 1.5}}},
     {"code": "InvalidPolicy", "path": "matching.threshold"}),
    ("repeated resolution rule", "detect_all", {"registrations": [], "opportunities": [], "partners": [], "policy": {"resolution": ["direct_wins", "direct_wins"]}},
     {"code": "InvalidPolicy", "path": "resolution[1]"}),
]
for d, op, inp, e in errors:
    cases.append({"description": d, "op": op, "input": inp, "expected_error": e})

json.dump({"engine": "conflicts", "cases": cases}, open("vectors/conflicts/rule.json", "w"), indent=1, ensure_ascii=False)

N = lambda name, normalized, key, tokens, legal, removed: {
    "description": f"normalize {name!r}", "op": "normalize_company_name", "input": {"name": name},
    "expected": {"normalized": normalized, "key": key, "tokens": tokens, "legal_forms": legal, "removed": removed}}
E = lambda value, exp: {"description": f"extract_domain {value!r}", "op": "extract_domain", "input": {"value": value}, "expected": exp}
table = [
    N("ACME, Inc.", "acme", "acme", ["acme"], ["inc"], []),
    N("Müller Bäckerei GmbH & Co. KG", "muller backerei", "mullerbackerei", ["muller", "backerei"], ["gmbh", "and", "co", "kg"], []),
    N("Mueller Baeckerei", "mueller baeckerei", "mullerbackerei", ["muller", "backerei"], [], []),
    N("Société Générale S.A.", "societe generale", "societegenerale", ["societe", "generale"], ["sa"], []),
    N("Miller Foods S.A. de C.V.", "miller foods", "millerfoods", ["miller", "foods"], ["sa", "de", "cv"], []),
    N("Tuflax Sp. z o.o.", "tuflax", "tuflax", ["tuflax"], ["sp", "z", "oo"], []),
    N("Spuchuta Imports Kabushiki Kaisha", "spuchuta imports", "spuchutaimports", ["spuchuta", "imports"], ["kabushiki", "kaisha"], []),
    N("Komir Pty. Ltd.", "komir", "komir", ["komir"], ["pty", "ltd"], []),
    N("Pohir Pvt Ltd", "pohir", "pohir", ["pohir"], ["pvt", "ltd"], []),
    N("Nevada Analytics Sàrl", "nevada analytics", "nevadaanalytics", ["nevada", "analytics"], ["sarl"], []),
    N("Gonzalez Int'l Mfg Bros", "gonzalez international manufacturing brothers", "gonzalezinternationalmanufacturingbrothers",
      ["gonzalez", "international", "manufacturing", "brothers"], [], []),
    N("The Cox Group PLC", "cox group", "coxgroup", ["cox", "group"], ["plc"], ["the"]),
    N("Cox Group, The", "cox group", "coxgroup", ["cox", "group"], [], ["the"]),
    N("Northern Biotech SA Brasil", "northern biotech", "northernbiotech", ["northern", "biotech"], ["sa"], ["brasil"]),
    N("Bank of Allentown - EMEA HQ", "bank of allentown", "bankofallentown", ["bank", "of", "allentown"], [], ["emea hq"]),
    N("Queststack Printing LLP Purchasing Dept.", "queststack printing", "quststackprinting", ["quststack", "printing"], ["llp"], ["purchasing", "dept"]),
    N("Bank of America", "bank of america", "bankofamerica", ["bank", "of", "america"], [], []),
    N("Souza & Goh", "souza goh", "souzagoh", ["souza", "goh"], [], []),
    N("", "", "", [], [], []),
    E("https://WWW.Acme.co.uk/en/about?x=1", {"domain": "acme.co.uk", "label": "acme", "kind": "organization"}),
    E("investors.komir.com.au", {"domain": "komir.com.au", "label": "komir", "kind": "organization"}),
    E("jane.doe@eu.mail.acme.de", {"domain": "acme.de", "label": "acme", "kind": "organization"}),
    E("wwwlancasterenergy.com", {"domain": "wwwlancasterenergy.com", "label": "lancasterenergy", "kind": "organization"}),
    E("jane@gmail.com", {"domain": "gmail.com", "label": "gmail", "kind": "free_mail"}),
    E("x@yahoo.co.jp", {"domain": "yahoo.co.jp", "label": "yahoo", "kind": "free_mail"}),
    E("westdale.myshopify.com", {"domain": "westdale.myshopify.com", "label": "westdale", "kind": "builder"}),
    E("acme.wixsite.com/home", {"domain": "acme.wixsite.com", "label": "acme", "kind": "builder"}),
    E("https://sites.google.com/view/acme", {"domain": "google.com", "label": "google", "kind": "builder"}),
    E("co.uk", None),
    E("not a url", None),
    E("http://10.0.0.1/", None),
]
json.dump({"engine": "conflicts", "cases": table}, open("vectors/conflicts/normalize.json", "w"), indent=1, ensure_ascii=False)
print(len(cases), "rule cases,", len(table), "table cases")
