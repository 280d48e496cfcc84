"""prm — rules and scoring for partner relationship management.

One submodule per engine (``prm.attribution``, ``prm.conflicts``, ``prm.ropi``, ``prm.routing``, ``prm.tiers``). Inputs are dicts and lists shaped like prm's
JSON (``Decimal``/``int``/``float``/``str`` for decimals, ``date``/``datetime``/ISO strings for
time); outputs are plain dicts and lists with ``decimal.Decimal`` for exact decimals and
``float`` for solved rates. Every error is a :class:`prm.PrmError` with ``.code`` and ``.path``.
"""

from . import attribution, conflicts, ropi, routing, tiers
from ._errors import *  # noqa: F401,F403  (the exception hierarchy)
from ._errors import PrmError
from ._prm import LIMITS, __version__

__all__ = ["LIMITS", "PrmError", "attribution", "conflicts", "ropi", "routing", "tiers", "__version__"]
