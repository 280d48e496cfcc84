"""Deal-registration conflict detection (SPEC §5).

``normalize_company_name(name)`` and ``extract_domain(value)`` expose the matcher's building
blocks; ``match_customers(a, b, policy=None)`` returns the evidence for two customers (dicts with
``name``, ``website``, ``email``, ``country``, ``city``). ``ConflictIndex(policy=None,
partners=None)`` holds existing registrations and direct opportunities (``.insert(record)``,
``.remove(id)``, ``.expire(as_of)``) and ``.check(registration, as_of)`` returns the conflicts of
one new registration — the deal-registration form's check. ``detect_all(registrations,
opportunities=(), partners=(), policy=None, threads=1)`` finds every conflict in a data set
(blocking: near-linear; ``threads=0`` uses all cores, the GIL released).

The same detection in pieces, for Spark and Dask (``prm.spark.detect_conflicts`` and
``prm.dask.detect_conflicts`` use them): ``blocking_keys(registrations, ...)`` gives each record's
keys (ints; records that could be the same customer share one); after a shuffle by key,
``detect_in_blocks(registrations, registration_blocks, opportunities, opportunity_blocks, ...)``
detects within each block and deduplicates; the union over workers equals ``detect_all``
(exactly, except that with the ``partner_of_record`` rule a block sees only the incumbents in
it). ``score_pairs(left, right, policy=None)`` scores caller-built candidate pairs.

Errors: ``prm.InvalidRecord``, ``prm.InvalidPolicy``, ``prm.InvalidInput``, ``prm.LimitExceeded``.
"""

from __future__ import annotations

from ._prm import conflicts as _native

__all__ = ["ConflictIndex", "blocking_keys", "detect_all", "detect_in_blocks", "extract_domain",
           "match_customers", "normalize_company_name", "score_pairs"]

ConflictIndex = _native.ConflictIndex
blocking_keys = _native.blocking_keys
detect_all = _native.detect_all
detect_in_blocks = _native.detect_in_blocks
score_pairs = _native.score_pairs
extract_domain = _native.extract_domain
match_customers = _native.match_customers
normalize_company_name = _native.normalize_company_name
