"""Rules-based lead routing (SPEC §2).

``Router(policy, partners)`` compiles a policy once — ordered rules, each a ``when`` on the lead,
an ``eligible`` on the partner (may reference the lead), a strategy (``first``, ``round_robin``,
``weighted``, ``best_score``, ``nearest``) and optional scoring — validating every field path and
op with the path of the offending node, and indexing partners. Then ``.route(lead, state=None)``
returns ``(decision, state)``; ``.route_batch(leads, state=None)`` routes in order counting
capacity across the batch; ``.reroute(lead, declined, state=None)`` routes again without the
partners that declined; ``.explain(lead, state=None)`` returns the decision ``route`` would make
(state unchanged) with, per rule tried, every partner that was not a candidate and the first reason
(``inactive``, ``eligible`` with the path of the first false condition, ``capacity``,
``weight_zero``, ``no_location``). Round-robin memory lives in ``state`` (a dict), never hidden.

Conditions are dicts (``{"field": "lead.country", "op": "in", "value": ["DE"]}``) or text
(``'lead.country in ["DE", "AT"] and lead.amount >= 50000'``): ``parse_condition`` and
``format_condition`` convert between the two.

For a table of leads (pandas, polars, pyarrow — anything speaking the Arrow PyCapsule interface),
``route_table(router, data, id_col="id", state=None)`` — or ``router.route_batch(data)``, which
answers in the table's library — routes the rows in order (capacity counted
across them, the GIL released) and returns ``(table, state)``: an Arrow table ``lead_id,
partner_id, rule, score, fallback`` (``"direct"`` or ``"queue:<name>"``), ``error_code,
error_path`` (a row without an id is reported, not routed). Columns named like lead fields
(``country``, ``region``, ``postal_code``, ``industry``, ``products`` — a list or comma-separated
text —, ``employees``, ``amount``, ``created_at``, ``lat``/``lon``) fill them; every other column
is an attribute (``lead.attributes.<column>``). Traces are not returned (use ``route``).

Errors: ``prm.InvalidCondition``, ``prm.ParseError``, ``prm.InvalidPolicy``, ``prm.InvalidInput``,
``prm.LimitExceeded``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from . import _arrow
from ._prm import routing as _native

__all__ = ["Router", "parse_condition", "format_condition", "route_table"]

Router = _native.Router
parse_condition = _native.parse_condition
format_condition = _native.format_condition


def _route_batch_table(router: "Router", data: Any, state: Optional[Dict[str, Any]] = None):
    """``Router.route_batch`` given a table: :func:`route_table`, the decisions in the caller's
    library (pandas → pandas, polars → polars, else a ``pyarrow.Table``)."""
    mod = type(data).__module__
    output = "pandas" if mod.startswith("pandas") else "polars" if mod.startswith("polars") else "arrow"
    return route_table(router, data, state=state, output=output)


def route_table(router: "Router", data: Any, *, id_col: str = "id", state: Optional[Dict[str, Any]] = None,
                threads: int = 1, output: _arrow.Output = "arrow") -> Tuple[Any, Dict[str, Any]]:
    """Routes every lead row of an Arrow-compatible table in order: ``(table, state)``.

    ``threads`` (0: every core) splits the rows only when no decision depends on an earlier
    one (no capacity, round robin, best_score or ``partner.open_leads``); otherwise the rows
    are routed in order on one thread, counting capacity across them.
    """
    table, state = _native._route_arrow(router, data, id_col, state, threads)
    return _arrow.result(table, output), state
