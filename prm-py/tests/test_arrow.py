"""The columnar entry points: Arrow-compatible tables in (pyarrow, polars, pandas), Arrow tables
out, the same decisions as the dict API, bad rows reported per row."""

import random
from datetime import datetime
from decimal import Decimal

import pytest

import prm
from prm import routing, tiers

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

PROGRAM = {"grace_periods": 1, "tiers": [
    {"name": "registered"},
    {"name": "silver", "requirements": {"all": [{"metric": "revenue", "op": "gte", "value": "100000.5"},
                                                {"metric": "csat", "op": "gte", "value": 3.5}]}},
    {"name": "gold", "requirements": {"at_least": 2, "of": [
        {"metric": "revenue", "op": "gte", "value": 500_000}, {"metric": "certified", "op": "gte", "value": 3},
        {"metric": "csat", "op": "gt", "value": "4.25"}]}},
    {"name": "platinum", "requirements": {"points": [
        {"metric": "revenue", "per": 250_000, "points": 1, "cap": 4},
        {"metric": "certified", "per": 1, "points": 1, "cap": 3}], "min": 6}},
]}


def partner_rows(n=400, seed=5):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append({
            "partner_id": f"P{i}",
            "revenue": rng.choice([None, float(rng.randrange(0, 1_200_000)), rng.randrange(0, 1_200_000) + 0.5]),
            "certified": rng.choice([None, rng.randrange(0, 6)]),
            "csat": rng.choice([None, round(rng.random() * 5, 2)]),
            "prev": rng.choice([None, "registered", "silver", "gold", "platinum"]),
            "fails": rng.choice([0, 0, 1]),
        })
    return rows


def as_dicts(rows):
    metrics = [{"partner_id": r["partner_id"],
                "values": {k: r[k] for k in ("revenue", "certified", "csat") if r[k] is not None}} for r in rows]
    previous = [None if r["prev"] is None else {"partner_id": r["partner_id"], "tier": r["prev"], "failures": r["fails"],
                                                "change": "retained", "qualified_tier": r["prev"]}
                for r in rows]
    return metrics, previous


def floats(gaps):
    return [{**g, **{k: None if g[k] is None else float(g[k]) for k in ("required", "actual", "short_by")}}
            for g in gaps]


@pytest.mark.parametrize("kind", ["pyarrow", "polars", "pandas"])
def test_evaluate_table_equals_evaluate_many(kind):
    program = tiers.TierProgram(PROGRAM)
    rows = partner_rows()
    table = pa.Table.from_pylist(rows)
    data = {"pyarrow": table, "polars": pl.from_arrow(table), "pandas": table.to_pandas()}[kind]
    out = tiers.evaluate_table(program, data, previous_tier_col="prev", failures_col="fails", threads=2).to_pylist()
    metrics, previous = as_dicts(rows)
    for got, m, prev in zip(out, metrics, previous):
        want = program.evaluate(m, prev)
        assert got["partner_id"] == want["partner_id"]
        assert (got["tier"], got["qualified_tier"], got["change"], got["failures"], got["probation_remaining"]) == \
            (want["tier"], want["qualified_tier"], want["change"], want["failures"], want["probation_remaining"])
        assert got["gaps_to_next"] == floats(want["gaps_to_next"])
        assert got["error_code"] is None


def test_evaluate_table_on_two_threads_answers_in_chunks_as_one_thread_does():
    program = tiers.TierProgram(PROGRAM)
    rows = partner_rows(40_000, seed=9)
    rows[123]["csat"] = float("inf")  # a bad row in the first chunk
    rows[30_000]["partner_id"] = None  # and one in the second
    table = pa.Table.from_pylist(rows)
    one = tiers.evaluate_table(program, table, previous_tier_col="prev", failures_col="fails")
    two = tiers.evaluate_table(program, table, previous_tier_col="prev", failures_col="fails", threads=2)
    assert len(two.to_batches()) == 2 and two.num_rows == 40_000
    assert two.to_pylist() == one.to_pylist()
    assert (two["error_path"][123].as_py(), two["error_path"][30_000].as_py()) == ("csat", "partner_id")
    metrics, previous = as_dicts(rows)
    for i in random.Random(1).sample(range(40_000), 1_000):
        if i in (123, 30_000):
            continue
        want = program.evaluate(metrics[i], previous[i])
        got = one.slice(i, 1).to_pylist()[0]
        assert (got["tier"], got["change"], got["gaps_to_next"]) == \
            (want["tier"], want["change"], floats(want["gaps_to_next"]))


def test_evaluate_table_writes_names_as_categories_in_program_order():
    program = tiers.TierProgram(PROGRAM)
    table = pa.Table.from_pylist(partner_rows(60))
    out = tiers.evaluate_table(program, table)
    tier_type = out.schema.field("tier").type
    assert pa.types.is_dictionary(tier_type) and tier_type.ordered
    assert out.column("tier").chunk(0).dictionary.to_pylist() == [t["name"] for t in PROGRAM["tiers"]]
    gap_fields = out.schema.field("gaps_to_next").type.value_type
    assert pa.types.is_dictionary(gap_fields.field("metric").type)
    frame = tiers.evaluate_table(program, table, output="pandas")
    # an ordered categorical: tiers compare by rank, not alphabetically
    assert list(frame["tier"].cat.categories) == ["registered", "silver", "gold", "platinum"]
    at_least_silver = frame[frame["tier"] >= "silver"]
    assert set(at_least_silver["tier"]) <= {"silver", "gold", "platinum"}
    assert len(at_least_silver) == sum(r["tier"] != "registered" for r in out.to_pylist())
    assert set(frame["change"].dropna()) <= {"new", "promoted", "retained", "probation", "demoted"}
    polars = tiers.evaluate_table(program, table, output="polars")
    assert polars["tier"].to_list() == out.column("tier").to_pylist()


def test_evaluate_table_reads_exact_decimals_and_reports_bad_rows():
    program = tiers.TierProgram(PROGRAM)
    table = pa.table({
        "partner_id": ["A", "B", None, "D"],
        "revenue": pa.array([Decimal("100000.50"), Decimal("100000.49"), Decimal(1), None], pa.decimal128(12, 2)),
        "csat": [3.5, 5.0, 1.0, float("inf")],
        "prev": ["silver", "silver", None, "diamond"],
    })
    out = tiers.evaluate_table(program, table, previous_tier_col="prev", output="polars")
    assert out["tier"].to_list() == ["silver", "silver", None, None]
    assert out["change"].to_list() == ["retained", "probation", None, None]
    assert out["error_code"].to_list() == [None, None, "InvalidInput", "InvalidInput"]
    assert out["error_path"].to_list() == [None, None, "partner_id", "csat"]
    # a column the program does not find is a missing metric, reported in the gaps
    only_ids = tiers.evaluate_table(program, pa.table({"partner_id": ["X"]}))
    gaps = only_ids.column("gaps_to_next").to_pylist()[0]
    assert [g["metric"] for g in gaps] == ["revenue", "csat"] and gaps[0]["actual"] is None
    with pytest.raises(prm.InvalidInput) as info:
        tiers.evaluate_table(program, pa.table({"id": ["X"]}))
    assert info.value.path == "partner_id"


POLICY = {
    "rules": [
        {"name": "dach", "when": 'lead.country in ["DE", "AT", "CH"] and lead.attributes.segment != "smb"',
         "eligible": "partner.countries contains lead.country", "strategy": {"type": "round_robin"}},
        {"name": "sec", "when": 'lead.products contains "security"', "strategy": {"type": "best_score"},
         "scoring": [{"field": "partner.performance.conversion_rate", "weight": 10}]},
    ],
    "fallback": {"type": "queue", "name": "inside"},
}
PARTNERS = [
    {"id": "P2", "countries": ["DE"], "performance": {"conversion_rate": Decimal("0.3")}, "capacity": 30},
    {"id": "P1", "countries": ["DE", "AT"], "capacity": 25},
]


def lead_rows(n=120, seed=6):
    rng = random.Random(seed)
    return [{"id": f"L{i}", "country": rng.choice(["DE", "AT", "FR", None]),
             "products": rng.sample(["security", "cloud"], rng.randrange(0, 3)),
             "amount": rng.choice([None, float(rng.randrange(100, 90_000))]),
             "segment": rng.choice(["smb", "ent", None])} for i in range(n)]


def test_route_table_equals_route_batch_with_state_and_capacity():
    router = routing.Router(POLICY, PARTNERS)
    rows = lead_rows()
    dicts = [{k: v for k, v in {**r, "attributes": {"segment": r["segment"]} if r["segment"] else {}}.items()
              if k != "segment" and v is not None} for r in rows]
    want, want_state = router.route_batch(dicts, {"last": {"dach": "P1"}})
    table, state = routing.route_table(router, pa.Table.from_pylist(rows), state={"last": {"dach": "P1"}})
    got = table.to_pylist()
    assert state == want_state
    assert [(g["lead_id"], g["partner_id"], g["rule"]) for g in got] == \
        [(d["lead_id"], d["partner_id"], d["rule"]) for d in want]
    assert [g["score"] for g in got] == [None if d["score"] is None else float(d["score"]) for d in want]
    assert [g["fallback"] for g in got] == ["queue:inside" if d["fallback"] else None for d in want]
    assert sum(g["partner_id"] == "P1" for g in got) <= 25


def test_route_table_products_as_text_rows_without_id_and_threads():
    router = routing.Router({"rules": [{"name": "sec", "when": 'lead.products contains "security"',
                                        "strategy": {"type": "first"}}]}, [{"id": "A"}])
    frame = pd.DataFrame({"id": ["L1", None, "L3"], "products": ["cloud, security", "security", "cloud"]})
    table, _ = routing.route_table(router, frame, threads=2, output="pandas")
    assert table["partner_id"].tolist() == ["A", None, None]
    assert table["error_code"].tolist() == [None, "InvalidInput", None]
    assert table["fallback"].tolist()[2] == "direct"


def test_frame_functions_take_arrow_tables_and_return_them():
    flows = pd.DataFrame({"series_id": ["a", "a", "b", "b", "b"],
                          "date": pd.to_datetime(["2025-01-01", "2026-01-01", "2025-01-01", "2025-07-01", "2026-01-01"]),
                          "amount": [-100.0, 110.0, -50.0, 10.0, 45.0]})
    by_pandas = prm.ropi.xirr_batch(flows)
    by_arrow = prm.ropi.xirr_batch(pa.Table.from_pandas(flows))
    assert isinstance(by_arrow, pa.Table)
    assert by_arrow.column("xirr").to_pylist() == by_pandas["xirr"].tolist()
    journeys = pd.DataFrame({"path": ["A>B", "B", "A>C>B"], "conversions": [1.0, 2.0, 0.0], "nulls": [0.0, 1.0, 3.0]})
    assert prm.attribution.markov(pa.Table.from_pandas(journeys)) == prm.attribution.markov(journeys)
    assert prm.attribution.shapley(pa.Table.from_pandas(journeys)) == prm.attribution.shapley(journeys)
    touches = pd.DataFrame({"deal_id": ["D1"] * 3, "amount": [100.01] * 3, "currency": ["USD"] * 3,
                            "closed_at": pd.to_datetime(["2026-03-31"] * 3),
                            "partner_id": ["P1", "P2", "P3"],
                            "at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
                            "touch_type": ["influenced"] * 3})
    split = prm.attribution.split_frame(pa.Table.from_pandas(touches), "linear")
    assert isinstance(split, pa.Table)
    assert split.column("amount_minor").to_pylist() == [3334, 3334, 3333]


def test_conflict_tables_explode_detect_and_equal_detect_all():
    from test_distributed import PARTNERS, opportunities, registrations

    from prm import _frames, conflicts

    regs, opps = registrations(120), opportunities(20)
    regs["products"] = [p.split(",") for p in regs["products"]]
    rt, ot = pa.Table.from_pandas(regs, preserve_index=False), pa.Table.from_pandas(opps, preserve_index=False)
    keys = conflicts.blocking_keys_table(rt, ot, PARTNERS)
    assert set(keys.column_names) == {"kind", "row", "id", "block", "error_code", "error_path"}
    assert keys.column("error_code").null_count == len(keys)
    # the exploded tables a distributed engine would shuffle on `block`
    r_rows = [k for k in keys.to_pylist() if k["kind"] == "registration"]
    o_rows = [k for k in keys.to_pylist() if k["kind"] == "opportunity"]
    r_ex = rt.take([k["row"] for k in r_rows]).append_column("block", pa.array([k["block"] for k in r_rows], pa.int64()))
    o_ex = ot.take([k["row"] for k in o_rows]).append_column("block", pa.array([k["block"] for k in o_rows], pa.int64()))
    found = conflicts.detect_in_blocks_table(r_ex, o_ex, PARTNERS, threads=2, output="pandas")
    want = _frames.conflicts_frame(conflicts.detect_all(_frames.records(regs, "registration"),
                                                        _frames.records(opps, "opportunity"), PARTNERS))
    assert len(found) > 10
    assert found[["earlier_id", "later_id", "kind", "winner_id", "rule"]].values.tolist() == \
        want[["earlier_id", "later_id", "kind", "winner_id", "rule"]].values.tolist()
    assert found["reasons"].map(list).tolist() == want["reasons"].tolist()


def test_conflict_tables_report_bad_records_as_rows():
    from prm import conflicts

    regs = pa.table({
        "id": ["R1", "R2", "R3", "R4"], "partner_id": ["P1", "P2", "P3", "P4"],
        "customer_name": ["Acme", "Acme", "", "ACME"],                      # R3: no name
        "products": [["core"]] * 4,
        "submitted_at": pa.array([datetime(2026, 1, 5), datetime(2026, 2, 1), datetime(2026, 2, 2),
                                  datetime(2026, 3, 1)], pa.timestamp("us", tz="UTC")),
        "approved_at": pa.array([None, datetime(2026, 1, 1), None, None], pa.timestamp("us", tz="UTC")),
    })  # R2: approved before it was submitted
    keys = conflicts.blocking_keys_table(regs).to_pylist()
    bad = [(k["id"], k["block"], k["error_code"], k["error_path"]) for k in keys if k["error_code"]]
    assert bad == [("R2", None, "InvalidRecord", "registrations[1].approved_at"),
                   ("R3", None, "InvalidRecord", "registrations[2].customer.name")]
    assert {k["id"] for k in keys if k["block"] is not None} == {"R1", "R4"}
    # the bad records in a block are reported, the others detected
    blocked = regs.append_column("block", pa.array([7] * 4, pa.int64()))
    found = conflicts.detect_in_blocks_table(blocked).to_pylist()
    assert [(c["earlier_id"], c["later_id"]) for c in found if not c["error_code"]] == [("R1", "R4")]
    assert [(c["error_code"], c["error_path"]) for c in found if c["error_code"]] == \
        [("InvalidRecord", "registrations[1].approved_at"), ("InvalidRecord", "registrations[2].customer.name")]


def test_simulate_table_equals_simulate():
    current = tiers.TierProgram(PROGRAM)
    proposed = tiers.TierProgram({**PROGRAM, "tiers": [PROGRAM["tiers"][0], PROGRAM["tiers"][1],
                                                       {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 300_000}}]})
    rows = partner_rows()
    metrics, _ = as_dicts(rows)
    want = tiers.simulate(current, proposed, metrics)
    summary, table = tiers.simulate_table(current, proposed, pa.Table.from_pylist(rows))
    assert summary == {k: v for k, v in want.items() if k != "partners"}
    got = table.to_pylist()
    assert [(g["partner_id"], g["current_tier"], g["proposed_tier"], g["movement"]) for g in got] == \
        [(p["partner_id"], p["current"]["tier"], p["proposed"]["tier"], p["movement"]) for p in want["partners"]]
    assert summary["up"] + summary["down"] + summary["unchanged"] == len(rows)


def test_evaluate_many_takes_a_table_and_answers_in_its_library():
    program = tiers.TierProgram(PROGRAM)
    rows = partner_rows(50)
    table = pa.Table.from_pylist(rows).rename_columns(
        ["failures" if c == "fails" else c for c in pa.Table.from_pylist(rows).column_names])
    want = tiers.evaluate_table(program, table, previous_tier_col="prev", failures_col="failures").to_pylist()
    by_pandas = program.evaluate_many(table.to_pandas(), "prev")
    by_polars = program.evaluate_many(pl.from_arrow(table), "prev")
    by_arrow = program.evaluate_many(table, "prev")
    assert isinstance(by_pandas, pd.DataFrame) and isinstance(by_polars, pl.DataFrame) and isinstance(by_arrow, pa.Table)
    assert by_arrow.to_pylist() == want
    assert by_polars["tier"].to_list() == [w["tier"] for w in want]
    assert by_pandas["change"].tolist() == [w["change"] for w in want]
    with pytest.raises(prm.InvalidInput):
        program.evaluate_many(table, [None] * 50)
    # lists of dicts keep their dict answers
    assert isinstance(program.evaluate_many([{"partner_id": "A", "values": {}}])[0], dict)


def test_route_batch_takes_a_table_and_answers_in_its_library():
    router = routing.Router(POLICY, PARTNERS)
    rows = lead_rows(40)
    table = pa.Table.from_pylist(rows)
    want, want_state = routing.route_table(router, table, state={"last": {"dach": "P2"}})
    got, state = router.route_batch(table.to_pandas(), {"last": {"dach": "P2"}})
    assert isinstance(got, pd.DataFrame) and state == want_state
    assert got["partner_id"].tolist() == want.column("partner_id").to_pylist()
    got, _ = router.route_batch(pl.from_arrow(table))
    assert isinstance(got, pl.DataFrame) and got.height == 40


def test_score_pairs_table_equals_match_customers():
    from prm import conflicts

    left = [{"name": "Acme Inc.", "website": "acme.com"}, {"name": "Bank of Austin"}, {"name": "Müller GmbH", "country": "DE"}]
    right = [{"name": "ACME", "email": "x@acme.com"}, {"name": "Bank of Boston"}, {"name": "Mueller", "country": "AT"}]
    cols = {f"{side}_{f}": [c.get(f) for c in customers] for side, customers in (("left", left), ("right", right))
            for f in ("name", "website", "email", "country", "city")}
    out = conflicts.score_pairs_table(pa.table(cols)).to_pylist()
    for got, a, b in zip(out, left, right):
        want = conflicts.match_customers(a, b)
        assert (got["same_customer"], got["score"], got["domain"], got["reasons"]) == \
            (want["same_customer"], want["score"], want["domain"], want["reasons"])
        assert [got["left_normalized"], got["right_normalized"]] == want["normalized_names"]


@pytest.mark.parametrize("model", ["linear", "position_based", {"type": "time_decay", "half_life_days": 7}])
def test_split_table_equals_split_frame(model):
    rng = random.Random(9)
    rows = []
    for d in range(60):
        amount = rng.choice(["100.01", "0", "999999.99", "5"])
        for t in range(rng.randrange(1, 5)):
            rows.append({"deal_id": f"D{d}", "amount": amount, "currency": rng.choice(["USD", "JPY", "KWD"]) if t == 0 else None,
                         "closed_at": "2026-03-31T00:00:00Z", "partner_id": f"P{rng.randrange(6)}",
                         "at": f"2026-0{rng.randrange(1, 4)}-{rng.randrange(10, 28)}T00:00:00Z",
                         "touch_type": rng.choice(["sourced", "influenced", "referral"])})
    for r in rows:  # one currency per deal
        r["currency"] = {"D": "USD"}["D"]
    frame = pd.DataFrame(rows)
    frame["closed_at"] = pd.to_datetime(frame["closed_at"])
    frame["at"] = pd.to_datetime(frame["at"])
    want = prm.attribution.split_frame(frame, model)
    got = prm.attribution.split_table(pa.Table.from_pandas(frame, preserve_index=False), model, threads=2).to_pandas()
    cols = ["deal_id", "partner_id", "amount_minor", "minor_digits", "currency", "sourced", "touches"]
    assert got[cols].values.tolist() == want[cols].values.tolist()
    assert got["credit"].tolist() == want["credit"].tolist()
    with pytest.raises(prm.PrmError) as info:
        prm.attribution.split_table(pa.Table.from_pandas(frame.drop(columns=["touch_type"]), preserve_index=False), model)
    assert info.value.path == "touches.touch_type"


def test_split_table_reports_bad_deals_as_rows_and_splits_the_rest():
    import pyarrow as pa

    rows = [  # deal, amount, partner, touch type
        ("D1", "100.00", "P1", "sourced"), ("D1", "100.00", "P2", "influenced"),
        ("D2", "1.001", "P1", "sourced"),                                   # finer than USD cents
        ("D3", "5", "P1", "sourced"), ("D3", "6", "P2", "sourced"),          # rows disagree on the amount
        ("D4", "9", "P1", "sourced"), ("D4", "9", "P3", "webinar"),          # unknown type under `custom`
        ("D5", "7", "P2", "co_sell"),
    ]
    table = pa.table({
        "deal_id": [r[0] for r in rows], "amount": [r[1] for r in rows], "currency": ["USD"] * len(rows),
        "closed_at": ["2026-03-31T00:00:00Z"] * len(rows), "partner_id": [r[2] for r in rows],
        "at": ["2026-01-01T00:00:00Z"] * len(rows), "touch_type": [r[3] for r in rows],
    })
    out = prm.attribution.split_table(table, {"type": "custom"}).to_pylist()
    shares = [r for r in out if r["error_code"] is None]
    errors = [(r["deal_id"], r["error_row"], r["error_code"], r["error_path"]) for r in out if r["error_code"]]
    assert errors == [("D2", 2, "InvalidAmount", "[2].amount"), ("D3", 4, "InvalidInput", "[4]"),
                      ("D4", 6, "UnknownTouchType", "[6].touch_type")]
    assert all(r["partner_id"] is None and r["amount_minor"] is None for r in out if r["error_code"])
    # the good deals split exactly as they do alone
    good = table.filter(pa.compute.is_in(table["deal_id"], pa.array(["D1", "D5"])))
    alone = prm.attribution.split_table(good, {"type": "custom"}).to_pylist()
    assert shares == alone and {r["deal_id"] for r in shares} == {"D1", "D5"}
    # split_frame (pandas) raises on the first bad row, as it always has
    with pytest.raises(prm.InvalidAmount) as info:
        prm.attribution.split_frame(table.to_pandas(), {"type": "custom"})
    assert info.value.path == "touches[2].amount"


def test_split_table_in_deal_aligned_chunks_equals_the_whole():
    """A long table is split in chunks of rows that never cut a deal (across batch boundaries
    too); bad deals in later chunks keep their table rows; interleaved deals fall back to the
    whole table. All three answer as the whole table does."""
    rng = random.Random(4)
    rows = []
    for d in range(15_000):
        amount = "-1" if d in (7_000, 14_000) else f"{rng.randrange(1, 10**6)}.{rng.randrange(100):02d}"
        for _ in range(2 if d == 0 else rng.randrange(1, 5)):
            rows.append((f"D{d}", amount, f"P{rng.randrange(40)}", rng.choice(["sourced", "influenced"]),
                         rng.randrange(1, 28)))
    cols = {"deal_id": [r[0] for r in rows], "amount": [r[1] for r in rows], "currency": ["USD"] * len(rows),
            "closed_at": pa.array([datetime(2026, 3, 31)] * len(rows), pa.timestamp("ns")),
            "partner_id": [r[2] for r in rows], "at": pa.array([datetime(2026, 2, r[4]) for r in rows], pa.timestamp("ns")),
            "touch_type": [r[3] for r in rows]}
    one_batch = pa.table(cols)
    assert one_batch.num_rows > 2 * 16_384  # three chunks at least
    batches = pa.Table.from_batches(one_batch.to_batches(max_chunksize=10_007))  # deals cut by batch ends
    got = prm.attribution.split_table(batches, "linear")
    assert got.to_pylist() == prm.attribution.split_table(one_batch, "linear").to_pylist()
    # the reference: with D0's first row moved to the end, D0's rows are not adjacent and the
    # table is split as one chunk
    assert rows[0][0] == rows[1][0] == "D0"
    whole = prm.attribution.split_table(one_batch.take(list(range(1, len(rows))) + [0]), "linear")
    key = ("deal_id", "partner_id", "amount_minor", "credit", "touches")
    shares = lambda t: sorted(tuple(r[k] for k in key) for r in t.to_pylist() if r["error_code"] is None)
    assert shares(got) == shares(whole)
    errors = [(r["deal_id"], r["error_row"], r["error_path"]) for r in got.to_pylist() if r["error_code"]]
    first = {d: next(i for i, r in enumerate(rows) if r[0] == d) for d in ("D7000", "D14000")}
    assert errors == [("D7000", first["D7000"], f"[{first['D7000']}].amount"),
                      ("D14000", first["D14000"], f"[{first['D14000']}].amount")]
    assert got.column("error_code").null_count == got.num_rows - 2


def journey_table(n, seed=3):
    rng = random.Random(seed)
    paths, conv, value = [], [], []
    for _ in range(n):
        steps = [f"P{rng.randrange(12):02d}" for _ in range(rng.randrange(1, 6))]
        c = 1.0 if rng.random() < 0.3 else 0.0
        paths.append(steps)
        conv.append(c)
        value.append(round(rng.random() * 900, 2) if c else 0.0)
    return paths, conv, value


def test_markov_from_a_table_is_counted_in_slices_and_equals_the_whole():
    from prm import attribution

    paths, conv, value = journey_table(150_000)  # three slices of 65,536 rows
    text = pa.table({"path": [">".join(p) for p in paths], "conversions": conv, "value": value})
    lists = pa.table({"path": pa.array(paths, pa.list_(pa.large_string())), "conversions": conv, "value": value})
    rows = attribution.Journeys([{"path": p, "conversions": c, "value": v} for p, c, v in zip(paths, conv, value)])
    whole = attribution.markov(rows)
    for data in (text, lists, pl.from_arrow(text), text.to_pandas()):
        got = attribution.markov(data)
        for key in ("removal_effect_conversion", "attributed_conversions", "attributed_value"):
            assert got[key].keys() == whole[key].keys()
            for k in whole[key]:
                assert got[key][k] == pytest.approx(whole[key][k], rel=1e-12, abs=1e-12)
    assert attribution.shapley(text)["attributed_conversions"] == pytest.approx(
        attribution.shapley(rows)["attributed_conversions"], rel=1e-12)
    # a bad row in a later slice is reported with its table row
    bad = text.set_column(0, "path", pa.array([">".join(p) for p in paths[:70_000]] + [None] +
                                              [">".join(p) for p in paths[70_001:]]))
    with pytest.raises(prm.InvalidInput) as info:
        attribution.markov(bad)
    assert info.value.path == "journeys[70000].path"
    with pytest.raises(prm.InvalidInput) as info:
        attribution.markov(text.drop_columns(["conversions"]))
    assert info.value.path == "journeys.conversions"
