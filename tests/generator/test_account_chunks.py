"""The demo generator in chunks of accounts (demo_data/generator.py `chunk_accounts`): memory
follows the chunk, and the files stay one data set: deterministic, ids unique across chunks,
every reference resolving, the planted bad rows caught exactly, the same proportions of rows.

Small: 300 accounts in chunks of 100, read back as text and checked with the independent
quarantine of tests/generator/reading.py.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from demo_data.generator import account_chunks, generate
from tests.generator.reading import (
    CONTRACT,
    connect,
    duplicate_keys,
    flagged_counts,
    foreign_account_references,
    orphan_references,
    sha,
)

OPTIONS = dict(accounts=300, seed=7, bad_row_share=0.02)


@pytest.fixture(scope="module")
def chunked(tmp_path_factory):
    landing = tmp_path_factory.mktemp("chunked")
    return landing, generate(landing, chunk_accounts=100, **OPTIONS)


@pytest.fixture(scope="module")
def chunked_con(chunked):
    return connect(chunked[0], "csv")


def test_chunks_are_equal_and_as_few_as_the_size_allows():
    assert account_chunks(300, 100) == [100, 100, 100]
    assert account_chunks(250, 100) == [84, 83, 83]
    assert account_chunks(20_000, 50_000) == [20_000]
    assert account_chunks(1, 1) == [1]
    with pytest.raises(ValueError, match="chunk_accounts"):
        generate(Path("/nonexistent"), accounts=10, chunk_accounts=0)


def test_chunked_generation_is_deterministic(tmp_path, chunked):
    landing, result = chunked
    again = generate(tmp_path / "again", chunk_accounts=100, **OPTIONS)
    assert sha(tmp_path / "again") == sha(landing)
    assert again.rows == result.rows and again.bad_rows == result.bad_rows
    other = generate(tmp_path / "other", chunk_accounts=100, **(OPTIONS | {"seed": 8}))
    assert sha(tmp_path / "other")["crm/accounts.csv"] != sha(landing)["crm/accounts.csv"]
    assert other.rows != result.rows


def test_the_first_chunk_is_what_a_world_of_its_accounts_draws(tmp_path, chunked):
    """Each file of the chunked folder starts with the bytes of the same file written for the
    first chunk's 100 accounts alone; the fixed catalog and reference tables are written once."""
    landing, _ = chunked
    alone = tmp_path / "alone"
    generate(alone, accounts=100, seed=7, bad_row_share=0.02)
    for path in sorted(alone.rglob("*.csv")):
        part = path.read_bytes()
        whole = (landing / path.relative_to(alone)).read_bytes()
        assert whole.startswith(part), path.relative_to(alone)
        once = path.parent.name == "survey" and path.stem in ("surveys", "questions")
        once = once or path.stem in ("schedules", "holidays", "sla_policies")
        assert (whole == part) == once, path.relative_to(alone)


def test_planted_bad_rows_are_caught_exactly_across_chunks(chunked, chunked_con):
    """A key repeated across chunks would be an extra duplicate, a reference into a chunk that
    does not hold its parent an extra orphan: the independent quarantine finds exactly the
    planted bad rows."""
    _, result = chunked
    assert flagged_counts(chunked_con) == result.bad_rows
    for name, reasons in result.bad_rows.items():
        total, bad = result.rows[name], sum(reasons.values())
        assert abs(bad / total - 0.02) <= 0.004 + 6 / total, (name, bad, total)


def test_ids_unique_and_references_resolve_across_chunks(chunked_con):
    con = chunked_con
    assert duplicate_keys(con) == {}
    assert orphan_references(con) == {}
    # every chunk's accounts are there: 300 distinct valid accounts, ids past the first chunk
    n, top = con.execute("select count(*), max(account_id) from valid_crm_accounts").fetchone()
    assert n == 300 and top > "ACC-000200"
    # contacts' e-mail addresses are unique by construction, across chunks too
    emails = con.execute(
        "select count(*) - count(distinct lower(trim(email))) from valid_crm_contacts"
    ).fetchone()[0]
    assert emails == 0
    # orders and invoices point at their own account's contact / order, not another chunk's
    assert foreign_account_references(con) == (0, 0)


def test_chunked_rows_keep_the_proportions_of_one_chunk(tmp_path, chunked):
    """The same accounts in one chunk and in three give about the same rows per table (the
    chunks draw from the same distribution; the seeds differ, so not exactly)."""
    _, result = chunked
    one = generate(tmp_path / "one", **OPTIONS)
    assert abs(one.rows["crm.accounts"] - result.rows["crm.accounts"]) <= 3  # rounding per chunk
    for name in CONTRACT:
        a, b = one.rows[name], result.rows[name]
        if name in ("survey.surveys", "survey.questions"):
            assert a == b, name  # the fixed catalog, once
        elif a >= 300:
            assert 0.75 < b / a < 1.33, (name, a, b)
    share = {n: r / one.rows["crm.accounts"] for n, r in one.rows.items()}
    share3 = {n: r / result.rows["crm.accounts"] for n, r in result.rows.items()}
    assert share3["ticketing.ticket_events"] / share3["ticketing.tickets"] == pytest.approx(
        share["ticketing.ticket_events"] / share["ticketing.tickets"], rel=0.15
    )


def test_chunked_parquet_has_the_rows_of_chunked_csv(tmp_path, chunked):
    import pyarrow.parquet as pq

    _, result = chunked
    generate(tmp_path / "pq", file_format="parquet", chunk_accounts=100, **OPTIONS)
    for name, rows in result.rows.items():
        system, table = name.split(".")
        meta = pq.ParquetFile(tmp_path / "pq" / system / f"{table}.parquet").metadata
        assert meta.num_rows == rows, name
        assert all(meta.row_group(i).num_rows > 0 for i in range(meta.num_row_groups)), name


def test_a_next_delivery_clones_the_latest_rows_of_every_chunk(tmp_path, chunked):
    """demo_data/delivery.py: a chunked file is time-ordered only within each chunk, so the
    delivery's new rows are the latest by time across the whole file, from every chunk's
    accounts (the last `share` of the file would be the last chunk's rows only)."""
    from datetime import UTC, datetime

    from demo_data.delivery import append_new_rows, open_tables

    landing, _ = chunked
    copy = tmp_path / "landing"
    shutil.copytree(landing, copy)
    before = {
        name: rows
        for name, rows in ((n, (copy / f"{n.replace('.', '/')}.csv").read_text()) for n in NAMES)
    }
    tables = open_tables(copy, NAMES)
    share = 0.05
    append_new_rows(tables, share=share, days=2)

    def instant(text: str) -> datetime:
        try:
            at = datetime.fromisoformat(text.strip())
        except ValueError:
            return datetime.min
        return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at

    for name, key, time in PARENTS:
        table = tables[name]
        rows = list(csv.DictReader(io.StringIO(before[name])))
        k = max(1, round(share * len(rows)))
        ranked = sorted(range(len(rows)), key=lambda i: (instant(rows[i][time]), i))
        expected = {rows[i][key] for i in ranked[-k:] if rows[i][key].strip()}
        cloned = {row[table.col(key)].removesuffix("-2") for row in table.rows[len(rows) :]}
        assert cloned == expected, name
        # the clones come from more than the last chunk (each chunk is a third of the file)
        first_of_last_chunk = len(rows) * 2 // 3
        positions = [i for i in ranked[-k:] if rows[i][key] in cloned]
        assert min(positions) < first_of_last_chunk, name


NAMES = ["ticketing.tickets", "ticketing.ticket_events", "crm.orders", "crm.invoices",
         "survey.responses", "survey.answers"]  # fmt: skip
PARENTS = [
    ("ticketing.tickets", "ticket_id", "created_at"),
    ("crm.orders", "order_id", "ordered_at"),
    ("survey.responses", "response_id", "submitted_at"),
]
