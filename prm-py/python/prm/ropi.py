"""ROPI and cash-flow math (SPEC §6).

* Partner economics (:func:`partner_economics`, :func:`mdf_roi`, :func:`clv`,
  :func:`weighted_pipeline`, :func:`time_to_revenue`): a dict shaped like the JSON input in
  (decimals as ``Decimal``, ``int``, ``float`` or ``str``), a dict of exact ``decimal.Decimal`` out.
* Cash flows (:func:`npv`, :func:`xnpv`, :func:`irr`, :func:`xirr`, :func:`mirr`,
  :func:`payback`, ...): numbers in, ``float`` out. Solvers find every root and return the one
  closest to 0, or to ``guess``; ``irr_roots``/``xirr_roots`` return them all.
* Batch (:func:`irr_batch`, :func:`xirr_batch`): a list of series, or a pandas/polars DataFrame in
  long format grouped by a series-id column; the work runs in Rust with the GIL released.

Errors are :class:`prm.PrmError` subclasses (``NoSignChange``, ``InvalidRate``, ...) with
``.code`` and ``.path``.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, List, Literal, Optional, Sequence, Tuple, Union

from . import _arrow
from ._prm import ropi as _native

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover
    from typing_extensions import NotRequired, TypedDict

Number = Union[int, float, Decimal]
DecimalLike = Union[Decimal, int, float, str]
DateLike = Union[date, str]

__all__ = [
    "npv", "npv_excel", "xnpv", "xnpv_excel", "irr", "irr_roots", "xirr", "xirr_roots", "mirr",
    "payback", "discounted_payback", "irr_batch", "xirr_batch", "partner_economics", "mdf_roi",
    "clv", "weighted_pipeline", "time_to_revenue",
]


class Costs(TypedDict, total=False):
    mdf: DecimalLike
    rebates: DecimalLike
    spiffs: DecimalLike
    other_incentives: DecimalLike
    discounts: DecimalLike
    enablement: DecimalLike
    support: DecimalLike
    partner_manager_hours: DecimalLike
    partner_manager_hourly_rate: DecimalLike
    program_overhead: DecimalLike


class PartnerEconomicsInput(TypedDict):
    sourced_revenue: DecimalLike
    margin_rate: DecimalLike
    influenced_revenue: NotRequired[DecimalLike]
    influence_weight: NotRequired[DecimalLike]
    revenue_is_net_of_discounts: NotRequired[bool]
    costs: NotRequired[Costs]


class PartnerEconomics(TypedDict):
    attributed_revenue: Decimal
    gross_margin: Decimal
    variable_partner_cost: Decimal
    total_investment: Decimal
    contribution_margin: Decimal
    contribution_margin_pct: Decimal
    ropi_margin: Decimal
    ropi_revenue: Decimal
    return_multiple: Decimal


class MdfRoiInput(TypedDict):
    mdf_spend: DecimalLike
    mdf_allocated: DecimalLike
    attributed_revenue: DecimalLike
    margin_rate: DecimalLike


class MdfRoi(TypedDict):
    mdf_roi_revenue: Decimal
    mdf_roi_margin: Decimal
    revenue_per_mdf_dollar: Decimal
    utilization: Decimal


class ClvInput(TypedDict):
    arpa: DecimalLike
    margin_rate: DecimalLike
    retention: DecimalLike
    discount_rate: NotRequired[DecimalLike]
    timing: NotRequired[Literal["end", "start"]]
    horizon_periods: NotRequired[Optional[int]]
    acquisition_cost: NotRequired[Optional[DecimalLike]]


class Clv(TypedDict):
    clv: Decimal
    ltv_simple: Decimal
    net_clv: Decimal
    ltv_to_cac: Optional[Decimal]


class PipelineDeal(TypedDict):
    amount: DecimalLike
    probability: DecimalLike
    partner_share: NotRequired[DecimalLike]


class WeightedPipelineInput(TypedDict):
    deals: List[PipelineDeal]
    quota: NotRequired[Optional[DecimalLike]]


class WeightedPipeline(TypedDict):
    weighted_pipeline: Decimal
    unweighted_pipeline: Decimal
    variance: Decimal
    coverage: Optional[Decimal]


class PartnerActivation(TypedDict):
    activation_date: DateLike
    first_revenue_date: NotRequired[Optional[DateLike]]


class TimeToRevenueInput(TypedDict):
    partners: List[PartnerActivation]
    within_days: NotRequired[Optional[int]]


class TimeToRevenue(TypedDict):
    per_partner_days: List[Optional[int]]
    median_days: Decimal
    mean_days: Decimal
    activated_within_share: Optional[Decimal]


def npv(rate: Number, flows: Iterable[Number]) -> float:
    """``Σ CFₜ/(1+r)ᵗ`` with the first flow at t = 0 (as numpy-financial)."""
    return _native.npv(rate, flows)


def npv_excel(rate: Number, flows: Iterable[Number]) -> float:
    """Spreadsheet ``NPV``: every flow discounted, the first one period (``npv/(1+r)``)."""
    return _native.npv_excel(rate, flows)


def xnpv(rate: Number, dates: Iterable[DateLike], amounts: Iterable[Number]) -> float:
    """Dated NPV, actual/365 from the earliest date (order irrelevant)."""
    return _native.xnpv(rate, dates, amounts)


def xnpv_excel(rate: Number, dates: Iterable[DateLike], amounts: Iterable[Number]) -> float:
    """Spreadsheet ``XNPV``: based on ``dates[0]``; an earlier date raises ``DateBeforeStart``."""
    return _native.xnpv_excel(rate, dates, amounts)


def irr(flows: Iterable[Number], guess: Optional[Number] = None) -> float:
    """The IRR closest to 0 (or to ``guess``) of periodic flows."""
    return _native.irr(flows, guess)


def irr_roots(flows: Iterable[Number]) -> List[float]:
    """Every IRR of periodic flows, ascending."""
    return _native.irr_roots(flows)


def xirr(dates: Iterable[DateLike], amounts: Iterable[Number], guess: Optional[Number] = None) -> float:
    """The XIRR closest to 0 (or to ``guess``); same-date flows are netted."""
    return _native.xirr(dates, amounts, guess)


def xirr_roots(dates: Iterable[DateLike], amounts: Iterable[Number]) -> List[float]:
    """Every XIRR, ascending."""
    return _native.xirr_roots(dates, amounts)


def mirr(flows: Iterable[Number], finance_rate: Number, reinvest_rate: Number) -> float:
    """Modified IRR (zero flows count in n)."""
    return _native.mirr(flows, finance_rate, reinvest_rate)


def payback(flows: Iterable[Number]) -> float:
    """Payback period in periods; raises ``NeverPaysBack``."""
    return _native.payback(flows)


def discounted_payback(rate: Number, flows: Iterable[Number]) -> float:
    """Payback of the discounted flows ``CFₜ/(1+rate)ᵗ``."""
    return _native.discounted_payback(rate, flows)


def partner_economics(inputs: PartnerEconomicsInput) -> PartnerEconomics:
    """ROPI (margin and revenue basis), return multiple and contribution margin, exact."""
    return _native.partner_economics(inputs)


def mdf_roi(inputs: MdfRoiInput) -> MdfRoi:
    """Return on market development funds, exact."""
    return _native.mdf_roi(inputs)


def clv(inputs: ClvInput) -> Clv:
    """Customer lifetime value (end/start timing, finite or infinite horizon), exact."""
    return _native.clv(inputs)


def weighted_pipeline(inputs: WeightedPipelineInput) -> WeightedPipeline:
    """Probability-weighted pipeline, variance and quota coverage, exact."""
    return _native.weighted_pipeline(inputs)


def time_to_revenue(inputs: TimeToRevenueInput) -> TimeToRevenue:
    """Days from activation to first revenue, per partner and for the cohort."""
    return _native.time_to_revenue(inputs)


Errors = Literal["raise", "coerce"]


def _finish(results: list, errors: Errors) -> List[Optional[float]]:
    if errors == "raise":
        for r in results:
            if isinstance(r, BaseException):
                raise r
        return results
    if errors == "coerce":
        return [None if isinstance(r, BaseException) else r for r in results]
    raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")


def _is_frame(data: Any) -> bool:
    mod = type(data).__module__
    return mod.startswith("pandas") or mod.startswith("polars")


def _columns(df: Any, names: Sequence[str]):
    import numpy as np

    cols = []
    for name in names:
        try:
            col = df[name]
        except Exception as e:  # noqa: BLE001 - a missing column is an input error
            from ._errors import InvalidInput

            raise InvalidInput(f"no column {name!r}", "InvalidInput", name) from e
        cols.append(np.asarray(col.to_numpy()))
    return cols


def _grouped(ids):
    """Row order that groups rows by series id (stable: flows keep their order; ``None`` when the
    rows already are in contiguous runs, the usual long format), the offsets of each group, and
    the ids in the order of first appearance."""
    import numpy as np

    n = len(ids)
    if n == 0:
        return np.arange(0), np.zeros(1, dtype=np.int64), ids[:0]
    starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    run_ids = ids[starts]
    if _ascending(run_ids) or _distinct(run_ids):  # every id in one run
        offsets = np.append(starts, n).astype(np.int64)
        return None, offsets, run_ids
    try:
        uniq, first, codes = np.unique(ids, return_index=True, return_inverse=True)
    except TypeError:
        # ids that do not sort together (ints and strings): number them by hashing instead
        numbers: dict = {}
        codes = np.fromiter((numbers.setdefault(x, len(numbers)) for x in ids.tolist()), dtype=np.int64, count=n)
        first = np.full(len(numbers), n, dtype=np.int64)
        np.minimum.at(first, codes, np.arange(n))
    else:
        # renumber groups by first appearance so output rows follow the input's order
        rank = np.empty(len(first), dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(first))
        codes = rank[codes.reshape(-1)]
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(first))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return order, offsets, ids[np.sort(first)]


def _ascending(ids) -> bool:
    """Whether ``ids`` strictly ascend (then each is distinct, without ``np.unique``'s sort: the
    long format sorted by series, the usual case); ``False`` when they do not compare."""
    import numpy as np

    try:
        return bool(np.all(ids[1:] > ids[:-1]))
    except TypeError:
        return False


def _distinct(ids) -> bool:
    """Whether no id repeats (by sorting, or by hashing when the ids do not sort together)."""
    import numpy as np

    try:
        return len(np.unique(ids)) == len(ids)
    except TypeError:
        return len(set(ids.tolist())) == len(ids)


def _frame_result(df: Any, series_col: str, ids, rates_bytes: bytes, errs: list, name: str):
    import numpy as np

    # a failed series is NaN in the native buffer and has an error code: it becomes null
    rates = np.frombuffer(rates_bytes, dtype=np.float64)
    codes = np.full(len(rates), None, dtype=object)
    for i, e in errs:
        codes[i] = e.code
    if type(df).__module__.startswith("polars"):
        import polars as pl

        return pl.DataFrame({
            series_col: ids,
            name: pl.Series(name, rates).fill_nan(None),
            "error": pl.Series("error", codes.tolist(), dtype=pl.Utf8),
        })
    import pandas as pd

    return pd.DataFrame({series_col: ids, name: rates, "error": codes})


def _take(column, order):
    import numpy as np

    return np.ascontiguousarray(column if order is None else column[order])


def irr_batch(
    data: Any,
    *,
    guess: Optional[float] = None,
    errors: Errors = "raise",
    threads: int = 1,
    series_col: str = "series_id",
    amount_col: str = "amount",
):
    """IRR of many series at once, in Rust with the GIL released.

    * ``data`` a list of flow lists → a list of floats (``errors="coerce"``: ``None`` where a
      series has no IRR; the default raises the first series' error, its path prefixed ``[i].``);
    * ``data`` a pandas or polars DataFrame in long format (one row per flow, flows in period
      order within each series) → a DataFrame of the same library with columns
      ``[series_col, "irr", "error"]``, one row per series in order of first appearance; a
      series without an IRR has a null ``irr`` and its error code in ``error``.

    ``threads``: 1 (default) solves on one core; ``n`` splits the series over ``n`` threads; 0
    uses every core. The GIL is released while solving. A pyarrow table (or other Arrow object)
    gives a ``pyarrow.Table``.
    """
    if _arrow.is_arrow(data):
        return _arrow.via_polars(lambda f: irr_batch(f, guess=guess, errors=errors, threads=threads,
                                                     series_col=series_col, amount_col=amount_col), data)
    if _is_frame(data):
        import numpy as np

        ids, amounts = _columns(data, [series_col, amount_col])
        order, offsets, uniq = _grouped(ids)
        rates, errs = _native._irr_columns(
            offsets.tobytes(), _take(amounts, order).astype(np.float64, copy=False).tobytes(), guess, threads)
        return _frame_result(data, series_col, uniq, rates, errs, "irr")
    return _finish(_native._irr_many(data, guess, threads), errors)


def xirr_batch(
    data: Any,
    *,
    guess: Optional[float] = None,
    errors: Errors = "raise",
    threads: int = 1,
    series_col: str = "series_id",
    date_col: str = "date",
    amount_col: str = "amount",
):
    """XIRR of many series at once, in Rust with the GIL released.

    * ``data`` a list of ``(dates, amounts)`` pairs → a list of floats (see :func:`irr_batch`
      for ``errors``);
    * ``data`` a pandas or polars DataFrame in long format (``series_col``, ``date_col``,
      ``amount_col``; any row order) → a DataFrame ``[series_col, "xirr", "error"]``.

    ``threads`` as in :func:`irr_batch`; a pyarrow table (or other Arrow object) gives a
    ``pyarrow.Table``.
    """
    if _arrow.is_arrow(data):
        return _arrow.via_polars(lambda f: xirr_batch(f, guess=guess, errors=errors, threads=threads,
                                                      series_col=series_col, date_col=date_col,
                                                      amount_col=amount_col), data)
    if _is_frame(data):
        import numpy as np

        ids, dates, amounts = _columns(data, [series_col, date_col, amount_col])
        order, offsets, uniq = _grouped(ids)
        days = _take(dates, order).astype("datetime64[D]").view(np.int64)
        rates, errs = _native._xirr_columns(
            offsets.tobytes(), np.ascontiguousarray(days).tobytes(),
            _take(amounts, order).astype(np.float64, copy=False).tobytes(), guess, threads)
        return _frame_result(data, series_col, uniq, rates, errs, "xirr")
    return _finish(_native._xirr_many(data, guess, threads), errors)
