"""Partner tier evaluation (SPEC §3).

``TierProgram(program)`` compiles a program once (a dict shaped like the JSON spec: tiers lowest
first, ``grace_periods``); ``.evaluate(metrics, previous=None, as_of=None)`` gives a partner's
status: the tier held, the qualified tier, the change (``new``, ``promoted``, ``retained``,
``probation``, ``demoted``), the failure count, the probation left and the gaps to the next tier
(decimals as ``Decimal``, ``evaluated_at`` as a ``datetime``). Feed the status back as
``previous`` next period. ``simulate(current, proposed, metrics_list)`` shows what a program
change does to every partner.

For a table of partners (pandas, polars, pyarrow — anything speaking the Arrow PyCapsule
interface), ``evaluate_table(program, data)`` — or ``program.evaluate_many(data)``, which returns
a table of the same library — reads ``partner_id`` and one column per metric of
the program (an absent column is a missing metric), evaluates in Rust with the GIL released
(``threads=0``: every core) and returns an Arrow table: ``partner_id, tier, qualified_tier,
change, failures, probation_remaining, gaps_to_next`` (a list of ``{metric, op, required, actual,
short_by}``; numbers as float64) and ``error_code, error_path`` — a bad row gets an error, not
the whole table. Float metrics are read as their shortest decimal form, as everywhere in prm.
Names are dictionary-encoded: ``tier`` and ``qualified_tier`` are *ordered* categories in the
program's tier order (in pandas, ``df[df.tier >= "gold"]`` selects gold and above), ``change``
and the gaps' ``metric`` and ``op`` are categories; ``to_pylist()`` and polars/pandas give the
names as usual.

Errors: ``prm.InvalidProgram`` (with the path of the offending node), ``prm.UnknownTier``,
``prm.InvalidInput``, ``prm.LimitExceeded``.
"""

from __future__ import annotations

import sys
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, Union

from . import _arrow
from ._prm import tiers as _native

if sys.version_info >= (3, 11):
    from typing import TypedDict
else:  # pragma: no cover
    from typing_extensions import TypedDict

__all__ = ["TierProgram", "evaluate_table", "simulate", "simulate_table", "metrics_from_events", "PartnerMetrics", "TierStatus", "Gap", "Simulation"]

DecimalLike = Union[Decimal, int, float, str]

TierProgram = _native.TierProgram


class PartnerMetrics(TypedDict):
    partner_id: str
    values: Dict[str, DecimalLike]


class Gap(TypedDict):
    metric: str
    op: Literal["gte", "gt", "lte", "lt", "eq", "ne"]
    required: Decimal
    actual: Optional[Decimal]
    short_by: Optional[Decimal]


class TierStatus(TypedDict):
    partner_id: str
    tier: Optional[str]
    qualified_tier: Optional[str]
    change: Literal["new", "promoted", "retained", "probation", "demoted"]
    failures: int
    probation_remaining: Optional[int]
    gaps_to_next: List[Gap]
    evaluated_at: Optional[datetime]


class Simulation(TypedDict):
    partners: List[Dict[str, Any]]
    up: int
    down: int
    unchanged: int
    tiers: List[Dict[str, Any]]
    transitions: List[Dict[str, Any]]
    benefit_cost: Optional[Dict[str, Decimal]]


def simulate(
    current: Any,
    proposed: Any,
    metrics_list: List[PartnerMetrics],
    previous_list: Optional[List[Optional[TierStatus]]] = None,
    as_of: Optional[Union[datetime, str]] = None,
) -> Simulation:
    """Every partner under ``current`` and ``proposed`` (``TierProgram`` objects or program
    dicts): per-partner statuses and movement, counts up/down/unchanged, per-tier gains and
    losses, the transition counts, and the change in total ``benefits.cost`` when tiers carry one."""
    return _native.simulate(current, proposed, metrics_list, previous_list, as_of)


class EventMetric(TypedDict, total=False):
    name: str
    kind: str
    aggregate: Literal["sum", "count", "count_distinct"]
    window_months: Optional[int]


def metrics_from_events(events: List[Dict[str, Any]], as_of: Any, metrics: List[EventMetric]) -> List[PartnerMetrics]:
    """Each partner's metrics as of a date from dated events (``partner_id``, ``kind``, ``at``,
    optional ``amount``, ``person``, ``expires_at``): sums, counts or distinct people over a
    trailing window of ``window_months`` calendar months (or all history), ignoring events after
    ``as_of`` and expired ones. Partners sorted by id; the result feeds ``evaluate_many``."""
    return _native.metrics_from_events(events, as_of, metrics)


def evaluate_table(
    program: "TierProgram",
    data: Any,
    *,
    partner_col: str = "partner_id",
    previous_tier_col: Optional[str] = None,
    failures_col: Optional[str] = None,
    as_of: Any = None,
    threads: int = 1,
    output: _arrow.Output = "arrow",
) -> Any:
    """Evaluates every partner row of an Arrow-compatible table (see the module docs).

    ``previous_tier_col`` / ``failures_col`` name the columns holding last period's tier and
    failure count (for probation; a null previous tier is a first evaluation); ``output`` is ``"arrow"`` (a ``pyarrow.Table``),
    ``"polars"``, ``"pandas"`` or ``"stream"`` (the raw Arrow C stream object).

    The evaluation is columnar (each requirement a mask over all rows, exact: the same answers
    as ``evaluate`` row for row). ``threads`` > 1 (0 = all cores) splits the rows into chunks of
    at least 16,384 evaluated on their own threads; the table then has one record batch per chunk.
    """
    table = _native._evaluate_arrow(program, data, partner_col, previous_tier_col, failures_col, as_of, threads)
    return _arrow.result(table, output)


def _evaluate_many_table(program: "TierProgram", data: Any, previous_list: Any = None, as_of: Any = None) -> Any:
    """``TierProgram.evaluate_many`` given a table: :func:`evaluate_table` with its column
    defaults, the result in the caller's library (pandas → pandas, polars → polars, else a
    ``pyarrow.Table``). Last period's tier and failures come from columns: pass
    ``previous_list="<tier column>"`` (a ``failures`` column is read when present)."""
    mod = type(data).__module__
    output = "pandas" if mod.startswith("pandas") else "polars" if mod.startswith("polars") else "arrow"
    failures_col = None
    if previous_list is not None:
        if not isinstance(previous_list, str):
            from ._errors import InvalidInput

            raise InvalidInput("with a table, previous_list names the previous tier column", "InvalidInput",
                               "previous_list")
        names = _arrow.column_names(data)
        failures_col = "failures" if "failures" in names else None
    return evaluate_table(program, data, previous_tier_col=previous_list, failures_col=failures_col, as_of=as_of,
                          output=output)


def simulate_table(
    current: "TierProgram",
    proposed: "TierProgram",
    data: Any,
    *,
    partner_col: str = "partner_id",
    as_of: Any = None,
    output: _arrow.Output = "arrow",
) -> Any:
    """What a program change does to every partner row of an Arrow-compatible table:
    ``(summary, table)`` — ``summary`` as :func:`simulate` gives it without the per-partner
    statuses (``up``, ``down``, ``unchanged``, ``tiers``, ``transitions``, ``benefit_cost``), the
    table ``partner_id, current_tier, proposed_tier, movement, current_change, proposed_change``.
    Metric columns are read as in :func:`evaluate_table`; a value that is not a number fails the
    call (with the row in the error path).
    """
    summary, table = _native._simulate_arrow(current, proposed, data, partner_col, as_of)
    return summary, _arrow.result(table, output)
