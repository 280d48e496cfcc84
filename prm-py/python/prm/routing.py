"""Rules-based lead routing (SPEC §2).

``Router(policy, partners)`` compiles a policy once — ordered rules, each a ``when`` on the lead,
an ``eligible`` on the partner (may reference the lead), a strategy (``first``, ``round_robin``,
``weighted``, ``best_score``, ``nearest``) and optional scoring — validating every field path and
op with the path of the offending node, and indexing partners. Then ``.route(lead, state=None)``
returns ``(decision, state)``; ``.route_batch(leads, state=None)`` routes in order counting
capacity across the batch; ``.reroute(lead, declined, state=None)`` routes again without the
partners that declined. Round-robin memory lives in ``state`` (a dict), never hidden.

Conditions are dicts (``{"field": "lead.country", "op": "in", "value": ["DE"]}``) or text
(``'lead.country in ["DE", "AT"] and lead.amount >= 50000'``): ``parse_condition`` and
``format_condition`` convert between the two.

Errors: ``prm.InvalidCondition``, ``prm.ParseError``, ``prm.InvalidPolicy``, ``prm.InvalidInput``,
``prm.LimitExceeded``.
"""

from __future__ import annotations

from ._prm import routing as _native

__all__ = ["Router", "parse_condition", "format_condition"]

Router = _native.Router
parse_condition = _native.parse_condition
format_condition = _native.format_condition
