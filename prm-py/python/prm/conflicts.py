"""Deal-registration conflict detection (SPEC §5).

``normalize_company_name(name)`` and ``extract_domain(value)`` expose the matcher's building
blocks; ``match_customers(a, b, policy=None)`` returns the evidence for two customers (dicts with
``name``, ``website``, ``email``, ``country``, ``city``). ``ConflictIndex(policy=None,
partners=None)`` holds existing registrations and direct opportunities (``.insert(record)``,
``.remove(id)``, ``.expire(as_of)``) and ``.check(registration, as_of)`` returns the conflicts of
one new registration — the deal-registration form's check. ``detect_all(registrations,
opportunities=(), partners=(), policy=None, threads=1)`` finds every conflict in a data set
(blocking: near-linear; ``threads=0`` uses all cores, the GIL released).

Errors: ``prm.InvalidRecord``, ``prm.InvalidPolicy``, ``prm.InvalidInput``, ``prm.LimitExceeded``.
"""

from __future__ import annotations

from ._prm import conflicts as _native

__all__ = ["ConflictIndex", "detect_all", "extract_domain", "match_customers",
           "normalize_company_name"]

ConflictIndex = _native.ConflictIndex
detect_all = _native.detect_all
extract_domain = _native.extract_domain
match_customers = _native.match_customers
normalize_company_name = _native.normalize_company_name
