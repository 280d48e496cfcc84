"""Influence attribution (SPEC §4).

Per deal: ``split(deal, model)`` divides a closed deal's amount among the partners that touched
it — exactly, in the currency's minor units (shares always sum to the amount) — and explains
which touches counted, with which weight, and why others were dropped. ``model`` is a name
(``"linear"``) or a dict (``{"type": "time_decay", "half_life_days": 14, "lookback_days": 90}``).
``split_many`` and ``partner_totals`` work over a book of deals (totals per partner and currency:
partner-sourced vs partner-influenced revenue).

Across journeys: ``markov`` (exact order-1 removal effects, no simulation), ``shapley`` (Zhao et
al.'s simplified Shapley value, ``ordered=True`` for the per-position variant) and
``heuristics`` (first/last/linear as ChannelAttribution computes them). ``journeys`` is a list of
dicts, a pandas or polars DataFrame with columns ``path`` (``"P1>P2"`` or a list of ids),
``conversions``, ``value`` and optionally ``nulls``, or a :class:`Journeys` built once and reused.
For data that does not fit one machine, count per partition with ``markov_counts``, add the
counts with ``merge_markov_counts`` and solve once with ``markov_from_counts``: the result equals
``markov`` on the whole data. The same for Shapley: ``shapley_counts`` (sums per coalition),
``merge_shapley_counts``, ``shapley_from_counts`` (the unordered value; equal to ``shapley`` up to
floating-point summation order). ``prm.spark`` and ``prm.dask`` run these per partition.

Errors: ``prm.InvalidAmount``, ``prm.InvalidWeight``, ``prm.InvalidModel``,
``prm.UnknownTouchType``, ``prm.InvalidJourney``, ``prm.CurrencyMismatch``, ``prm.InvalidInput``
(each with ``.path``, e.g. ``"deal.touches[2].touch_type"``).
"""

from __future__ import annotations

import sys
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, Sequence, Union

from . import _arrow
from ._prm import attribution as _native

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover
    from typing_extensions import NotRequired, TypedDict

__all__ = [
    "split",
    "split_many",
    "split_frame",
    "split_table",
    "partner_totals",
    "markov",
    "markov_counts",
    "merge_markov_counts",
    "markov_from_counts",
    "shapley",
    "shapley_counts",
    "merge_shapley_counts",
    "shapley_from_counts",
    "heuristics",
    "Journeys",
    "journeys",
    "Deal",
    "Touch",
    "Attribution",
    "Share",
    "PartnerTotal",
    "MarkovResult",
    "ShapleyResult",
]

DecimalLike = Union[Decimal, int, float, str]
TimeLike = Union[datetime, str]
ModelName = Literal[
    "first_touch", "last_touch", "linear", "time_decay", "position_based", "w_shaped", "custom", "partner_even"
]
ModelLike = Union[ModelName, Dict[str, Any]]

Journeys = _native.Journeys


class Money(TypedDict):
    amount: DecimalLike
    currency: str


class Touch(TypedDict):
    partner_id: str
    at: TimeLike
    touch_type: str
    weight: NotRequired[DecimalLike]


class Deal(TypedDict):
    id: str
    amount: Money
    closed_at: TimeLike
    touches: List[Touch]


class Share(TypedDict):
    partner_id: str
    amount: Dict[str, Any]
    credit: Decimal
    sourced: bool
    touches: int


class CountedTouch(TypedDict):
    index: int
    partner_id: str
    at: datetime
    touch_type: str
    weight: Decimal


class DroppedTouch(TypedDict):
    index: int
    partner_id: str
    at: datetime
    reason: Literal["after_close", "before_lookback"]


class Attribution(TypedDict):
    deal_id: str
    model: str
    amount: Dict[str, Any]
    shares: List[Share]
    counted: List[CountedTouch]
    dropped: List[DroppedTouch]
    unattributed: Optional[Literal["no_counted_touches", "zero_total_weight"]]


class PartnerTotal(TypedDict):
    partner_id: str
    currency: str
    sourced_revenue: Decimal
    influenced_revenue: Decimal
    total_revenue: Decimal
    deals: int
    sourced_deals: int


class MarkovResult(TypedDict):
    p_conversion: float
    removal_effect_conversion: Dict[str, float]
    removal_effect_value: Dict[str, float]
    attributed_conversions: Dict[str, float]
    attributed_value: Dict[str, float]
    transition_probabilities: Dict[str, Dict[str, float]]
    total_conversions: float
    total_value: float
    value_mode: Literal["channelattribution", "proportional"]


class ShapleyResult(TypedDict):
    attributed_conversions: Dict[str, float]
    attributed_value: Dict[str, float]
    ordered_conversions: NotRequired[Dict[str, List[float]]]
    ordered_value: NotRequired[Dict[str, List[float]]]
    total_conversions: float
    total_value: float


def split(deal: Deal, model: ModelLike) -> Attribution:
    """Splits one deal's amount among its partners (shares sum exactly to the amount)."""
    return _native.split(deal, model)


def split_many(deals: Sequence[Deal], model: ModelLike, threads: int = 1) -> List[Attribution]:
    """Splits many deals under one model (``threads=0``: every core). For a DataFrame of
    touches use :func:`split_frame`, which is much faster."""
    return _native.split_many(deals, model, threads)


def partner_totals(deals: Sequence[Deal], model: ModelLike, currency: Optional[str] = None) -> List[PartnerTotal]:
    """Sourced vs influenced revenue per partner and currency (sorted by partner id, currency).

    With ``currency``, a deal in another currency raises ``prm.CurrencyMismatch``."""
    return _native.partner_totals(deals, model, currency)


def _strings(col) -> List[str]:
    if hasattr(col, "cast"):  # polars
        import polars as pl

        return col.cast(pl.Utf8).to_list()
    return col.astype(str).tolist()


def _nanos(col) -> bytes:
    """Instants as int64 nanoseconds since the epoch, UTC (naive values are UTC)."""
    import numpy as np

    if hasattr(col, "cast"):  # polars
        import polars as pl

        if col.dtype == pl.Utf8:
            col = col.str.to_datetime(time_zone="UTC")
        return np.ascontiguousarray(col.dt.epoch("ns").to_numpy(), dtype=np.int64).tobytes()
    import pandas as pd

    ts = pd.to_datetime(col, utc=True)
    return np.ascontiguousarray(ts.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view(np.int64)).tobytes()


def split_table(touches: Any, model: ModelLike, threads: int = 1, output: _arrow.Output = "arrow") -> Any:
    """:func:`split_frame` on Arrow columns directly (any table speaking the Arrow PyCapsule
    interface: pyarrow, polars, pandas): no Python object per row in or out. Returns an Arrow
    table (or ``output="polars"`` / ``"pandas"``) with the columns of :func:`split_frame`. Amounts
    as floats must be whole minor units; decimals and text amounts are read exactly.

    A deal that cannot be split — a bad row (an amount finer than its currency, an unknown
    currency, rows disagreeing on the deal's amount, currency or close) or a failing split (an
    unknown touch type under ``custom``, more than ``MAX_TOUCHES`` touches) — does not fail the
    table: the shares are followed by one row per such deal with its ``deal_id``, nulls, and
    ``error_row`` (the input row at fault), ``error_code`` and ``error_path`` (``"[17].amount"``);
    these three columns are null on share rows. (:func:`split_frame` on pandas/polars raises
    instead.)"""
    return _arrow.result(_native._split_arrow(touches, model, threads), output)


def split_frame(touches: Any, model: ModelLike, threads: int = 1) -> Any:
    """Splits every deal of a long-format touch table — one row per touch with columns
    ``deal_id``, ``amount``, ``currency``, ``closed_at`` (the deal's, repeated on its rows),
    ``partner_id``, ``at``, ``touch_type`` and optionally ``weight`` — and returns one row per
    share as a DataFrame of the same library (pandas or polars): ``deal_id``, ``partner_id``,
    ``amount`` (float), ``amount_minor`` (exact int64 minor units), ``minor_digits``,
    ``currency``, ``credit`` (float), ``sourced``, ``touches``. Unattributed deals have no rows.

    Amounts may be floats (each must be a whole number of minor units), ``Decimal`` or strings;
    instants datetimes (naive = UTC) or ISO strings. ``threads=0`` uses every core. A pyarrow
    table (or other Arrow object) gives a ``pyarrow.Table``.
    """
    if _arrow.is_arrow(touches):
        return split_table(touches, model, threads)
    import numpy as np

    from ._errors import InvalidInput

    polars = hasattr(touches, "lazy")
    columns = list(touches.columns)
    for required in ("deal_id", "amount", "currency", "closed_at", "partner_id", "at", "touch_type"):
        if required not in columns:
            raise InvalidInput(f"no column {required!r}", "InvalidInput", f"touches.{required}")
    amount = touches["amount"]
    numeric = (amount.dtype.is_numeric() and not str(amount.dtype).startswith("Decimal")) if polars else amount.dtype.kind in "fiu"
    amount_arg = np.ascontiguousarray(amount.to_numpy(), dtype=np.float64).tobytes() if numeric else _strings(amount)
    weight = None
    if "weight" in columns:
        weight = np.ascontiguousarray(touches["weight"].to_numpy(), dtype=np.float64).tobytes()
    (deal_ids, deal_idx, partners, partner_idx, minor, digits, currency, credit, sourced, count) = _native._split_columns(
        _strings(touches["deal_id"]), amount_arg, _strings(touches["currency"]), _nanos(touches["closed_at"]),
        _strings(touches["partner_id"]), _nanos(touches["at"]), _strings(touches["touch_type"]), weight, model, threads,
    )
    deal_idx = np.frombuffer(deal_idx, dtype=np.uint32)
    partner_idx = np.frombuffer(partner_idx, dtype=np.uint32)
    minor = np.frombuffer(minor, dtype=np.int64)
    digits = np.frombuffer(digits, dtype=np.uint8)
    data = {
        "deal_id": np.array(deal_ids, dtype=object)[deal_idx] if deal_ids else np.array([], dtype=object),
        "partner_id": np.array(partners, dtype=object)[partner_idx] if partners else np.array([], dtype=object),
        "amount": minor / np.power(10.0, digits),
        "amount_minor": minor,
        "minor_digits": digits,
        "currency": currency,
        "credit": np.frombuffer(credit, dtype=np.float64),
        "sourced": np.frombuffer(sourced, dtype=np.uint8).astype(bool),
        "touches": np.frombuffer(count, dtype=np.uint32),
    }
    if polars:
        import polars as pl

        data["deal_id"] = data["deal_id"].tolist()
        data["partner_id"] = data["partner_id"].tolist()
        return pl.DataFrame(data)
    import pandas as pd

    return pd.DataFrame(data)


def _is_frame(data: Any) -> bool:
    mod = type(data).__module__
    return mod.startswith("pandas") or mod.startswith("polars")


def _journey_table(data: Any) -> Any:
    """``data`` when it is a table or frame that exports Arrow (its columns checked), else None."""
    if not (_arrow.is_arrow(data) or (_is_frame(data) and hasattr(data, "__arrow_c_stream__"))):
        return None
    names = _arrow.column_names(data)
    from ._errors import InvalidInput

    for required in ("path", "conversions"):
        if names and required not in names:
            raise InvalidInput(f"no column {required!r}", "InvalidInput", f"journeys.{required}")
    return data


def _journeys(data: Any) -> Any:
    """A list of dicts or a Journeys passes through; a DataFrame or Arrow table becomes a Journeys
    (read from its Arrow buffers when it exports them: no Python object per row)."""
    table = _journey_table(data)
    if table is not None:
        return _native._journeys_from_arrow(table)
    if not _is_frame(data):
        return data
    import numpy as np

    from ._errors import InvalidInput

    columns = list(data.columns)
    for required in ("path", "conversions"):
        if required not in columns:
            raise InvalidInput(f"no column {required!r}", "InvalidInput", f"journeys.{required}")

    def floats(name: str) -> Optional[bytes]:
        if name not in columns:
            return None
        col = data[name]
        arr = np.ascontiguousarray(np.asarray(col.to_numpy(), dtype=np.float64))
        return arr.tobytes()

    paths = data["path"].to_list() if hasattr(data["path"], "to_list") else list(data["path"])
    paths = [p.tolist() if hasattr(p, "tolist") else p for p in paths] if paths and not isinstance(paths[0], str) else paths
    return _native._journeys_from_columns(paths, floats("conversions"), floats("value"), floats("nulls"))


def journeys(data: Any) -> Journeys:
    """Parses journeys once (a list of dicts or a DataFrame) for reuse across models."""
    j = _journeys(data)
    return j if isinstance(j, Journeys) else Journeys(j)


def markov(journeys: Any, value_mode: Literal["channelattribution", "proportional"] = "channelattribution") -> MarkovResult:
    """Exact order-1 Markov attribution: removal effects, attributed conversions and value,
    the transition matrix and P(conversion). A table or DataFrame is read from its Arrow buffers
    and counted slice by slice, so the memory it takes stays a fraction of the input's."""
    table = _journey_table(journeys)
    if table is not None:
        return _native._markov_arrow(table, value_mode)
    return _native.markov(_journeys(journeys), value_mode)


def markov_counts(journeys: Any) -> Dict[str, Any]:
    """Transition counts of a batch of journeys (add batches with :func:`merge_markov_counts`)."""
    return _native.markov_counts(_journeys(journeys))


def merge_markov_counts(counts: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Sums the counts of several batches (states matched by partner id)."""
    return _native.merge_markov_counts(list(counts))


def markov_from_counts(
    counts: Dict[str, Any], value_mode: Literal["channelattribution", "proportional"] = "channelattribution"
) -> MarkovResult:
    """Solves the exact Markov model from (merged) counts."""
    return _native.markov_from_counts(counts, value_mode)


def shapley(journeys: Any, ordered: bool = False) -> ShapleyResult:
    """Simplified Shapley value per partner (and per position with ``ordered=True``)."""
    return _native.shapley(_journeys(journeys), ordered)


def shapley_counts(journeys: Any) -> Dict[str, Any]:
    """Conversions and value summed per coalition (add batches with :func:`merge_shapley_counts`)."""
    return _native.shapley_counts(_journeys(journeys))


def merge_shapley_counts(counts: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Sums the Shapley counts of several batches (coalitions matched by partner ids)."""
    return _native.merge_shapley_counts(list(counts))


def shapley_from_counts(counts: Dict[str, Any]) -> ShapleyResult:
    """The simplified (unordered) Shapley value from (merged) counts."""
    return _native.shapley_from_counts(counts)


def heuristics(journeys: Any) -> Dict[str, Dict[str, Dict[str, float]]]:
    """``{"first_touch" | "last_touch" | "linear": {"conversions": {...}, "value": {...}}}``."""
    return _native.heuristics(_journeys(journeys))
