"""Deal-registration conflict detection (SPEC §5).

``normalize_company_name(name)`` and ``extract_domain(value)`` expose the matcher's building
blocks; ``match_customers(a, b, policy=None)`` returns the evidence for two customers (dicts with
``name``, ``website``, ``email``, ``country``, ``city``). ``ConflictIndex(policy=None,
partners=None)`` holds existing registrations and direct opportunities (``.insert(record)``,
``.remove(id)``, ``.expire(as_of)``) and ``.check(registration, as_of)`` returns the conflicts of
one new registration — the deal-registration form's check. ``detect_all(registrations,
opportunities=(), partners=(), policy=None, threads=1)`` finds every conflict in a data set
(blocking: near-linear; ``threads=0`` uses all cores, the GIL released);
``same_customer_pairs(...)`` lists every pair of records about the same customer (dedupe).

The same detection in pieces, for Spark and Dask (``prm.spark.detect_conflicts`` and
``prm.dask.detect_conflicts`` use them): ``blocking_keys(registrations, ...)`` gives each record's
keys (ints; records that could be the same customer share one); after a shuffle by key,
``detect_in_blocks(registrations, registration_blocks, opportunities, opportunity_blocks, ...)``
detects within each block and deduplicates; the union over workers equals ``detect_all``
(exactly, except that with the ``partner_of_record`` rule a block sees only the incumbents in
it). ``score_pairs(left, right, policy=None)`` scores caller-built candidate pairs.

The same on tables (pyarrow, polars, pandas — Arrow in, Arrow out), with flat record columns
(registrations: ``id, partner_id, customer_name, customer_website, customer_email,
customer_country, customer_city, products, submitted_at, approved_at, rejected_at, expires_at,
closed_at, status``; opportunities: ``id, owner_id, account_name, ..., products, created_at,
closed_at``): ``blocking_keys_table(registrations, opportunities)`` gives one ``kind, row, id,
block`` row per key; ``detect_in_blocks_table(registrations, opportunities)`` reads a ``block``
column on each and returns flat conflicts (``earlier_id, later_id, kind, winner_id, rule, score,
name_similarity, domain, overlapping_products, reasons``); ``score_pairs_table(pairs)`` scores
rows of ``left_name, left_website, ..., right_name, ...`` (``same_customer, score,
name_similarity, domain, left_normalized, right_normalized, reasons``).

Errors: ``prm.InvalidRecord``, ``prm.InvalidPolicy``, ``prm.InvalidInput``, ``prm.LimitExceeded``.
"""

from __future__ import annotations

from typing import Any

from . import _arrow
from ._prm import conflicts as _native

__all__ = ["ConflictIndex", "blocking_keys", "blocking_keys_table", "detect_all", "detect_in_blocks",
           "detect_in_blocks_table", "extract_domain", "match_customers", "normalize_company_name",
           "same_customer_pairs", "score_pairs", "score_pairs_table"]

ConflictIndex = _native.ConflictIndex
blocking_keys = _native.blocking_keys
detect_all = _native.detect_all
detect_in_blocks = _native.detect_in_blocks
score_pairs = _native.score_pairs
#: every pair of records about the same customer (deduplication of a customer book):
#: ``[(id_a, id_b, evidence)]`` with ``id_a < id_b``, through the same blocking and matcher
same_customer_pairs = _native.same_customer_pairs
extract_domain = _native.extract_domain
match_customers = _native.match_customers
normalize_company_name = _native.normalize_company_name


def blocking_keys_table(registrations: Any = None, opportunities: Any = None, partners: Any = None, policy: Any = None,
                        *, threads: int = 1, output: _arrow.Output = "arrow") -> Any:
    """One ``kind, row, id, block`` row per blocking key of each record of the tables; a record
    that cannot be read (no name, dates out of order, …) is one row with a null ``block`` and its
    ``error_code`` / ``error_path`` (null on the other rows), so it is reported and never shuffled."""
    return _arrow.result(_native._blocking_keys_arrow(registrations, opportunities, partners, policy, threads), output)


def detect_in_blocks_table(registrations: Any = None, opportunities: Any = None, partners: Any = None,
                           policy: Any = None, *, threads: int = 1, output: _arrow.Output = "arrow") -> Any:
    """The conflicts among record tables that carry a ``block`` column (one row per record and key),
    followed by one row per record that cannot be read, with its ``error_code`` and
    ``error_path`` (``registrations[3].approved_at``: the table and row); the others are detected."""
    return _arrow.result(_native._detect_in_blocks_arrow(registrations, opportunities, partners, policy, threads),
                         output)


def score_pairs_table(pairs: Any, policy: Any = None, *, threads: int = 1, output: _arrow.Output = "arrow") -> Any:
    """The matcher's evidence for each row's pair of customers (``left_*`` / ``right_*`` columns)."""
    return _arrow.result(_native._score_pairs_arrow(pairs, policy, threads), output)
