"""Unpickling of prm's compiled objects (``Router``, ``TierProgram``, ``ConflictIndex``,
``Journeys``). Each pickles as ``restore(kind, format, json)``: its spec as prm's JSON and a
format version, so a pickle made by one prm loads on any worker whose prm reads that format
(and fails with a clear ``prm.InvalidInput`` otherwise). This module's path is part of the
pickle format: do not move it.
"""

from __future__ import annotations

from ._prm import _restore

__all__ = ["restore"]


def restore(kind: str, version: int, data: str):
    """Rebuilds a pickled prm object (validating its spec again)."""
    return _restore(kind, version, data)
