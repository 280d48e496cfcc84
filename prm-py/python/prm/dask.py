"""prm inside Dask (``pip install prm[dask]``): the engines on Dask DataFrames, one call per
partition (``map_partitions`` after a shuffle), never one call per group.

* ``detect_conflicts(registrations, opportunities=None, partners=None, policy=None)`` — explode
  each record into its blocking keys, shuffle on the key, detect within each partition's blocks,
  drop the pairs found in several blocks. A lazy DataFrame of flat conflicts (columns
  ``earlier_id, later_id, kind, winner_id, rule, score, name_similarity, domain,
  overlapping_products, reasons``); the same pairs and winners as
  ``prm.conflicts.detect_all`` on all the data (see ``prm.conflicts`` for the one approximation,
  with ``partner_of_record``). Record columns: see ``prm._frames``.
* ``markov(df, ...)`` / ``shapley(df, ...)`` — counts per partition, merged and solved once on
  the client: equal to ``prm.attribution.markov`` / ``shapley`` on all the data (journey columns
  ``path``, ``conversions``, ``value``, ``nulls`` by default).
* ``xirr(df, series_col, date_col, amount_col)`` — shuffle on the series id, then
  ``prm.ropi.xirr_batch`` per partition: a lazy frame ``[series_col, "xirr", "error"]``.
* ``route_leads(df, router)`` — ``Router.route_batch`` per partition (a lazy frame ``lead_id,
  partner_id, rule, score, fallback``). Stateless policies (no capacity, no round robin) route
  exactly as on one machine. Capacity and round-robin state live in one place: route such
  policies on one partition (``df.repartition(npartitions=1)``) or give each partition its own
  partners' capacity share.
* ``evaluate_tiers(df, program, metric_cols, partner_col="partner_id", as_of=None)`` —
  ``TierProgram.evaluate_many`` per partition.

The compiled objects (``Router``, ``TierProgram``) pickle by spec and tokenize
deterministically, so they travel in the task graph as they are.
"""

from __future__ import annotations

import functools
from typing import Any, List, Optional

from . import _frames, ropi

__all__ = ["detect_conflicts", "markov", "shapley", "xirr", "route_leads", "evaluate_tiers"]


def _meta(columns, dtypes):
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in columns})


def detect_conflicts(registrations: Any, opportunities: Any = None, partners: Any = None, policy: Any = None,
                     npartitions: Optional[int] = None):
    """Every conflict among the records of Dask DataFrames (lazy; call ``.compute()``)."""
    import dask.dataframe as dd

    exploded_meta = _meta(_frames.EXPLODED_COLUMNS, {"block": "int64"})
    parts = [registrations.map_partitions(
        functools.partial(_frames.explode, kind="registration", partners=partners, policy=policy),
        meta=exploded_meta)]
    if opportunities is not None:
        parts.append(opportunities.map_partitions(
            functools.partial(_frames.explode, kind="opportunity", partners=partners, policy=policy),
            meta=exploded_meta))
    exploded = dd.concat(parts) if len(parts) > 1 else parts[0]
    shuffled = exploded.shuffle(on="block", npartitions=npartitions or exploded.npartitions)
    found = shuffled.map_partitions(functools.partial(_frames.detect, partners=partners, policy=policy),
                                    meta=_meta(_frames.CONFLICT_COLUMNS, {"score": "float64",
                                                                          "name_similarity": "float64"}))
    return found.drop_duplicates(subset=["earlier_id", "later_id"])


def _counts(df: Any, method: str, path_col: str, conversions_col: str, value_col: Optional[str],
            nulls_col: Optional[str]) -> List[str]:
    import pandas as pd

    def part(pdf):
        return pd.DataFrame({"counts": [_frames.counts_json(pdf, method, path_col, conversions_col, value_col,
                                                            nulls_col)]})

    return list(df.map_partitions(part, meta=_meta(["counts"], {})).compute()["counts"])


def markov(df: Any, value_mode: str = "channelattribution", *, path_col: str = "path",
           conversions_col: str = "conversions", value_col: Optional[str] = "value",
           nulls_col: Optional[str] = "nulls"):
    """Exact Markov attribution of a Dask DataFrame of journeys (computed now)."""
    return _frames.solve_counts(_counts(df, "markov", path_col, conversions_col, value_col, nulls_col),
                                "markov", value_mode)


def shapley(df: Any, *, path_col: str = "path", conversions_col: str = "conversions",
            value_col: Optional[str] = "value", nulls_col: Optional[str] = "nulls"):
    """Simplified (unordered) Shapley attribution of a Dask DataFrame of journeys (computed now)."""
    return _frames.solve_counts(_counts(df, "shapley", path_col, conversions_col, value_col, nulls_col),
                                "shapley")


def _xirr_part(pdf, series_col, date_col, amount_col, guess):
    out = ropi.xirr_batch(pdf, series_col=series_col, date_col=date_col, amount_col=amount_col, guess=guess)
    return out.astype({"xirr": "float64", "error": object})


def xirr(df: Any, series_col: str = "series_id", date_col: str = "date", amount_col: str = "amount",
         guess: Optional[float] = None, npartitions: Optional[int] = None):
    """XIRR per series of a long Dask DataFrame (lazy): one row per series."""
    shuffled = df.shuffle(on=series_col, npartitions=npartitions or df.npartitions)
    meta = _meta([series_col, "xirr", "error"], {series_col: df[series_col].dtype, "xirr": "float64"})
    return shuffled.map_partitions(functools.partial(_xirr_part, series_col=series_col, date_col=date_col,
                                                     amount_col=amount_col, guess=guess), meta=meta)


def route_leads(df: Any, router: Any):
    """Routes each partition's leads with ``router`` (lazy)."""
    return df.map_partitions(functools.partial(_frames.route, router=router),
                             meta=_meta(_frames.ROUTE_COLUMNS, {"score": "float64"}))


def evaluate_tiers(df: Any, program: Any, metric_cols: List[str], partner_col: str = "partner_id",
                   as_of: Any = None):
    """Evaluates each partner row against ``program`` (lazy)."""
    return df.map_partitions(
        functools.partial(_frames.evaluate, program=program, partner_col=partner_col, metric_cols=list(metric_cols),
                          as_of=as_of),
        meta=_meta(_frames.TIER_COLUMNS, {"failures": "int64", "probation_remaining": "Int64"}))
