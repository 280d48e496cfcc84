"""pandas frames ⇄ prm records and the per-partition steps shared by ``prm.spark`` and
``prm.dask``. Conversion and delegation only: every decision is made by the engines.

Record columns (one row per record; missing values are nulls, NaN or NaT):

* registrations: ``id``, ``partner_id``, ``customer_name``, ``customer_website``,
  ``customer_email``, ``customer_country``, ``customer_city``, ``products`` (a list, a
  comma-separated string, or a list's repr — what Dask's string conversion makes of a list), ``submitted_at``, ``approved_at``, ``rejected_at``, ``expires_at``,
  ``closed_at``, ``status``;
* direct opportunities: ``id``, ``owner_id``, ``account_name``, ``account_website``,
  ``account_email``, ``account_country``, ``account_city``, ``products``, ``created_at``,
  ``closed_at``.

Timestamps without a time zone are UTC.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional

from . import attribution, conflicts

PARTY = ("name", "website", "email", "country", "city")
REGISTRATION_TIMES = ("submitted_at", "approved_at", "rejected_at", "expires_at", "closed_at")
OPPORTUNITY_TIMES = ("created_at", "closed_at")

#: columns of the exploded (block, record) rows that travel through the shuffle
EXPLODED_COLUMNS = ("block", "kind", "record")
#: columns of a conflicts frame
CONFLICT_COLUMNS = ("earlier_id", "later_id", "kind", "winner_id", "rule", "score", "name_similarity",
                    "domain", "overlapping_products", "reasons")


def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, (list, tuple, dict)) or hasattr(v, "__len__") and not isinstance(v, str):
        return False
    import pandas as pd

    return bool(pd.isna(v))


def _time(v: Any) -> Optional[str]:
    if _missing(v):
        return None
    if isinstance(v, str):
        return v
    import pandas as pd

    t = pd.Timestamp(v)
    if t.tzinfo is None:
        t = t.tz_localize("UTC")
    return t.isoformat()


def _products(v: Any) -> List[str]:
    if _missing(v):
        return []
    if isinstance(v, str):
        text = v.strip()
        if text.startswith("[") and text.endswith("]"):
            # a list that went through a string column (Dask's convert-string turns object
            # columns of lists into their repr): read it back
            import ast

            try:
                items = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                items = None
            if isinstance(items, (list, tuple)):
                return [str(p) for p in items]
        return [p.strip() for p in text.split(",") if p.strip()]
    return [str(p) for p in v]


def _party(row: Dict[str, Any], prefix: str) -> Dict[str, Any]:
    out = {}
    for f in PARTY:
        v = row.get(f"{prefix}_{f}")
        if not _missing(v):
            out[f] = str(v)
    return out


def registration(row: Dict[str, Any]) -> Dict[str, Any]:
    """One registration row → a registration record."""
    rec: Dict[str, Any] = {"id": str(row["id"]), "partner_id": str(row["partner_id"]),
                           "customer": _party(row, "customer"), "products": _products(row.get("products"))}
    for f in REGISTRATION_TIMES:
        t = _time(row.get(f))
        if t is not None:
            rec[f] = t
    if not _missing(row.get("status")):
        rec["status"] = str(row["status"])
    return rec


def opportunity(row: Dict[str, Any]) -> Dict[str, Any]:
    """One direct-opportunity row → an opportunity record."""
    rec: Dict[str, Any] = {"id": str(row["id"]), "owner_id": str(row["owner_id"]),
                           "account": _party(row, "account"), "products": _products(row.get("products"))}
    for f in OPPORTUNITY_TIMES:
        t = _time(row.get(f))
        if t is not None:
            rec[f] = t
    return rec


def records(pdf: Any, kind: str) -> List[Dict[str, Any]]:
    """The records of a pandas frame (``kind``: ``"registration"`` or ``"opportunity"``)."""
    build = registration if kind == "registration" else opportunity
    return [build(r) for r in pdf.to_dict("records")]


def explode(pdf: Any, kind: str, partners: Any, policy: Any):
    """Records → one ``(block, kind, record JSON)`` row per blocking key of each record."""
    import pandas as pd

    recs = records(pdf, kind)
    if kind == "registration":
        keys = conflicts.blocking_keys(recs, [], partners, policy)
    else:
        keys = conflicts.blocking_keys([], recs, partners, policy)
    blocks, texts = [], []
    for rec, ks in zip(recs, keys):
        text = json.dumps(rec, ensure_ascii=False)
        for k in ks:
            blocks.append(k)
            texts.append(text)
    return pd.DataFrame({"block": pd.Series(blocks, dtype="int64"),
                         "kind": pd.Series([kind] * len(blocks), dtype=object),
                         "record": pd.Series(texts, dtype=object)})


def detect(pdf: Any, partners: Any, policy: Any):
    """The conflicts among the exploded rows of one partition (all blocks in it)."""
    regs, rblocks, opps, oblocks = [], [], [], []
    for block, kind, text in zip(pdf["block"], pdf["kind"], pdf["record"]):
        if kind == "registration":
            regs.append(json.loads(text))
            rblocks.append(int(block))
        else:
            opps.append(json.loads(text))
            oblocks.append(int(block))
    found = conflicts.detect_in_blocks(regs, rblocks, opps, oblocks, partners, policy)
    return conflicts_frame(found)


def conflicts_frame(found: Iterable[Dict[str, Any]]):
    """Conflict dicts → a flat pandas frame (:data:`CONFLICT_COLUMNS`)."""
    import pandas as pd

    rows = [{
        "earlier_id": c["earlier_id"], "later_id": c["later_id"], "kind": c["kind"],
        "winner_id": c["resolution"]["winner_id"], "rule": c["resolution"]["rule"],
        "score": float(c["evidence"]["score"]), "name_similarity": float(c["evidence"]["name_similarity"]),
        "domain": c["evidence"]["domain"], "overlapping_products": list(c["overlapping_products"]),
        "reasons": list(c["evidence"]["reasons"]),
    } for c in found]
    frame = pd.DataFrame(rows, columns=list(CONFLICT_COLUMNS))
    return frame.astype({"score": "float64", "name_similarity": "float64"})


def journeys(pdf: Any, path_col: str, conversions_col: str, value_col: Optional[str], nulls_col: Optional[str]):
    """A journeys frame with prm's column names (``path``, ``conversions``, ``value``, ``nulls``)."""
    import pandas as pd

    cols = {"path": pdf[path_col], "conversions": pdf[conversions_col]}
    if value_col is not None and value_col in pdf:
        cols["value"] = pdf[value_col]
    if nulls_col is not None and nulls_col in pdf:
        cols["nulls"] = pdf[nulls_col]
    frame = pd.DataFrame(cols)
    # Spark hands list columns over as numpy arrays: prm wants lists or "A>B" text
    if len(frame) and not isinstance(frame["path"].iloc[0], (str, list)):
        frame["path"] = [list(p) for p in frame["path"]]
    return frame


def counts_json(pdf: Any, method: str, path_col: str, conversions_col: str, value_col: Optional[str],
                nulls_col: Optional[str]) -> str:
    """One partition's Markov or Shapley counts as JSON (merged on the driver)."""
    frame = journeys(pdf, path_col, conversions_col, value_col, nulls_col)
    if len(frame) == 0:
        return "null"
    if method == "markov":
        return json.dumps(attribution.markov_counts(frame))
    return json.dumps(attribution.shapley_counts(frame))


def solve_counts(texts: Iterable[str], method: str, value_mode: str = "channelattribution"):
    """Merges per-partition counts and solves once."""
    counts = [json.loads(t) for t in texts if t and t != "null"]
    if method == "markov":
        return attribution.markov_from_counts(attribution.merge_markov_counts(counts), value_mode)
    return attribution.shapley_from_counts(attribution.merge_shapley_counts(counts))


def metrics(pdf: Any, partner_col: str, metric_cols: List[str]) -> List[Dict[str, Any]]:
    """Partner-metric rows → prm's ``{"partner_id", "values"}`` (missing stays missing)."""
    out = []
    for row in pdf.to_dict("records"):
        values = {m: row[m] for m in metric_cols if not _missing(row.get(m))}
        out.append({"partner_id": str(row[partner_col]), "values": values})
    return out


#: columns of an evaluate_tiers frame
TIER_COLUMNS = ("partner_id", "tier", "qualified_tier", "change", "failures", "probation_remaining")


def evaluate(pdf: Any, program: Any, partner_col: str, metric_cols: List[str], as_of: Any):
    """Evaluates one partition's partners."""
    import pandas as pd

    statuses = program.evaluate_many(metrics(pdf, partner_col, metric_cols), None, as_of)
    rows = [{"partner_id": s["partner_id"], "tier": s["tier"], "qualified_tier": s["qualified_tier"],
             "change": s["change"], "failures": int(s["failures"]),
             "probation_remaining": s.get("probation_remaining")} for s in statuses]
    frame = pd.DataFrame(rows, columns=list(TIER_COLUMNS))
    return frame.astype({"failures": "int64", "probation_remaining": "Int64"})


#: columns of a route_leads frame
ROUTE_COLUMNS = ("lead_id", "partner_id", "rule", "score", "fallback")


def leads(pdf: Any) -> List[Dict[str, Any]]:
    """Lead rows → lead dicts (columns as lead fields; nulls dropped; ``attributes`` kept)."""
    out = []
    for row in pdf.to_dict("records"):
        lead = {}
        for k, v in row.items():
            if _missing(v):
                continue
            if hasattr(v, "tolist") and not isinstance(v, str):
                v = v.tolist()
            lead[k] = v
        out.append(lead)
    return out


def route(pdf: Any, router: Any):
    """Routes one partition's leads in order (capacity and round robin counted within it)."""
    import pandas as pd

    decisions, _ = router.route_batch(leads(pdf))
    rows = [{"lead_id": d["lead_id"], "partner_id": d["partner_id"], "rule": d["rule"],
             "score": None if d.get("score") is None else float(d["score"]),
             "fallback": None if d.get("fallback") is None else json.dumps(d["fallback"], sort_keys=True)}
            for d in decisions]
    return pd.DataFrame(rows, columns=list(ROUTE_COLUMNS)).astype({"score": "float64"})
