"""The demo generator writes exactly the contract's files and columns, deterministically, and
plants bad rows that the rules catch one each (demo_data/generator.py)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from demo_data.generator import BAD_ROW_REASONS, CONTRACT, PLANTED, generate
from tests.generator.reading import connect, flagged_counts, sha


# ------------------------------------------------------------------------- files and columns
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_writes_exactly_the_contract_tables_and_columns(tmp_path, fmt):
    # without the optional support-operations data (tests/test_demo_support_ops.py has them)
    result = generate(tmp_path, accounts=60, file_format=fmt, support_operations=False)
    expected = {f"{n.split('.')[0]}/{n.split('.')[1]}.{fmt}" for n in CONTRACT}
    assert set(sha(tmp_path)) == expected  # nothing else in the landing folder
    assert set(result) == set(CONTRACT) and result.rows == dict(result)
    for name, spec in CONTRACT.items():
        system, table = name.split(".")
        path = tmp_path / system / f"{table}.{fmt}"
        if fmt == "csv":
            header = path.read_text(encoding="utf-8").splitlines()[0]
            columns = [c.strip('"') for c in header.split(",")]
            n_rows = pacsv.read_csv(path).num_rows
        else:
            columns = pq.read_schema(path).names
            n_rows = pq.read_metadata(path).num_rows
        assert columns == [c for c, _ in spec], name
        assert n_rows == result[name] > 0, name


def test_parquet_types_are_the_documented_ones(tmp_path):
    generate(tmp_path, accounts=40, file_format="parquet")
    invoices = pq.read_schema(tmp_path / "crm" / "invoices.parquet")
    assert invoices.field("issued_at").type == pa.string()  # ISO 8601 text, as in CSV
    assert invoices.field("amount").type == pa.decimal128(14, 2)
    assert invoices.field("is_disputed").type == pa.bool_()
    answers = pq.read_schema(tmp_path / "survey" / "answers.parquet")
    assert answers.field("numeric_value").type == pa.float64()


def test_switching_format_removes_the_other_format(tmp_path):
    generate(tmp_path, accounts=30, file_format="parquet")
    generate(tmp_path, accounts=30, file_format="csv")
    assert all(p.suffix == ".csv" for p in tmp_path.rglob("*.*"))


def test_csv_text_conventions(small):
    landing, _ = small
    contacts = (landing / "crm" / "contacts.csv").read_text(encoding="utf-8")
    assert ",true," in contacts and ",false," in contacts
    assert ",," in contacts  # an optional phone left empty = NULL
    orders = pacsv.read_csv(
        landing / "crm" / "orders.csv",
        convert_options=pacsv.ConvertOptions(column_types={"amount": pa.string()}),
    )
    amounts = orders.column("amount").to_pylist()
    assert all(
        a is None or (a.lstrip("-").replace(".", "", 1).isdigit() and a[-3] == ".") for a in amounts
    )
    assert any(a.startswith("-") for a in amounts if a)  # refunds
    answers = pacsv.read_csv(landing / "survey" / "answers.csv")
    texts = [t for t in answers.column("text_value").to_pylist() if t]
    assert any('"' in t for t in texts) and any("," in t for t in texts)  # quoting round-trips


# ------------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, fmt):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    ra = generate(a, accounts=120, seed=5, file_format=fmt)
    rb = generate(b, accounts=120, seed=5, file_format=fmt)
    rc = generate(c, accounts=120, seed=6, file_format=fmt)
    assert sha(a) == sha(b)
    assert ra.rows == rb.rows and ra.bad_rows == rb.bad_rows
    differing = [k for k in sha(a) if sha(a)[k] != sha(c)[k]]
    assert len(differing) >= 8, differing  # all but the fixed survey / question catalogs
    assert rc.rows != ra.rows


def test_scale_follows_accounts(tmp_path):
    r1 = generate(tmp_path / "one", accounts=100, seed=1, bad_row_share=0)
    r4 = generate(tmp_path / "four", accounts=400, seed=1, bad_row_share=0)
    assert r1["crm.accounts"] == 100 and r4["crm.accounts"] == 400
    assert 2.5 < r4.total_rows / r1.total_rows < 6


def test_every_planted_bad_row_is_caught_by_its_rule_and_nothing_else(small, small_con):
    _, result = small
    assert flagged_counts(small_con) == result.bad_rows


def test_bad_row_share_is_respected(small):
    _, result = small
    for name, reasons in result.bad_rows.items():
        assert set(reasons) == set(BAD_ROW_REASONS[name])
        total, bad = result.rows[name], sum(reasons.values())
        assert abs(bad / total - 0.02) <= 0.004 + 2 / total, (name, bad, total)
        if total >= 500:
            assert all(n > 0 for n in reasons.values()), (name, reasons)


def test_no_bad_rows_when_disabled(clean):
    landing, result = clean
    assert all(n == 0 for reasons in result.bad_rows.values() for n in reasons.values())
    con = connect(landing, "parquet")
    assert all(n == 0 for reasons in flagged_counts(con).values() for n in reasons.values())


def test_unparseable_timestamps_are_not_empty_and_not_engine_words(small_con):
    values = [
        r[0]
        for r in small_con.execute(
            "select created_at from q_ticketing_ticket_events where is_invalid_timestamp"
        ).fetchall()
    ]
    assert values and all(x.strip() for x in values)
    readers_null = {"n/a", "na", "null", "nan", "#n/a", "none"}  # pyarrow / pandas NULL words
    assert not {"now", "today", "epoch", "infinity"} & {x.strip().lower() for x in values}
    assert not readers_null & {x.strip().lower() for x in values}
    assert not readers_null & {x.strip().lower() for x in PLANTED.bad_timestamp_values}
