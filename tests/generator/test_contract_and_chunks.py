"""The generator takes its tables and columns from the one contract (ingest/contract.py), and
building in chunks or batches gives the same bytes."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from demo_data.generator import CONTRACT, generate
from tests.generator.reading import sha, v


# ------------------------------------------------------------------ the one contract (issue 12)
def _contract_with(table_name: str, **changes):
    """ingest.contract.TABLES with one table replaced by a copy carrying `changes`."""
    import dataclasses

    from ingest import contract

    return tuple(
        dataclasses.replace(t, **changes) if t.qualified == table_name else t
        for t in contract.TABLES
    )


def test_contract_view_is_the_ingest_contract():
    from ingest import contract

    assert list(CONTRACT) == [t.qualified for t in contract.TABLES]
    for t in contract.TABLES:
        assert CONTRACT[t.qualified] == [(c.name, c.type) for c in t.columns]


def test_a_new_contract_column_is_reported_by_the_generator(tmp_path, monkeypatch):
    from ingest import contract

    accounts = contract.table("crm.accounts")
    extra = contract.Column("loyalty_tier", "text", False)
    monkeypatch.setattr(
        contract, "TABLES", _contract_with("crm.accounts", columns=(*accounts.columns, extra))
    )
    with pytest.raises(ValueError) as err:
        generate(tmp_path, accounts=20)
    message = str(err.value)
    assert "\n" not in message
    assert "crm.accounts" in message and "loyalty_tier" in message


def test_a_reordered_contract_table_is_reported_by_the_generator(tmp_path, monkeypatch):
    from ingest import contract

    cols = contract.table("survey.surveys").columns
    monkeypatch.setattr(
        contract, "TABLES", _contract_with("survey.surveys", columns=(cols[1], cols[0], *cols[2:]))
    )
    with pytest.raises(ValueError, match="survey.surveys.*column order"):
        generate(tmp_path, accounts=20)


def test_a_contract_table_the_generator_does_not_make_is_reported(tmp_path, monkeypatch):
    from ingest import contract

    extra = contract.Table(
        "crm", "refunds", ("refund_id",), (contract.Column("refund_id", "text"),)
    )
    monkeypatch.setattr(contract, "TABLES", (*contract.TABLES, extra))
    with pytest.raises(ValueError, match="crm.refunds"):
        generate(tmp_path, accounts=20)
    assert not (tmp_path / "crm" / "refunds.csv").exists()


def test_missing_keys_are_planted_in_the_contract_key_columns(small, small_con):
    """The rows with a NULL in one of the contract's key columns (ingest.contract) are exactly
    the planted missing_key rows of each table."""
    from ingest import contract

    _, result = small
    for t in contract.TABLES:
        any_null = " or ".join(f"{k} is null" for k in t.key)
        nulls = small_con.execute(
            f"select count(*) from {v(t.qualified)} where {any_null}"
        ).fetchone()[0]
        assert nulls == result.bad_rows[t.qualified].get("missing_key", 0), t.qualified
    assert sum(b.get("missing_key", 0) for b in result.bad_rows.values()) > 0


# ------------------------------------------------------------- chunked building (issue 17)
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_building_in_small_chunks_gives_the_same_bytes(tmp_path, monkeypatch, fmt):
    """Tickets and their events are built in chunks and every table is written in batches: the
    bytes must be those of one chunk and one batch (the default sizes exceed this scale)."""
    import demo_data.generator as generator_module
    import demo_data.ticketing as ticketing_module

    whole, chunked = tmp_path / "whole", tmp_path / "chunked"
    ra = generate(whole, accounts=150, seed=8, bad_row_share=0.05, file_format=fmt)
    assert ra["ticketing.ticket_events"] < ticketing_module.TICKETS_PER_CHUNK
    monkeypatch.setattr(ticketing_module, "TICKETS_PER_CHUNK", 37)
    monkeypatch.setattr(ticketing_module, "TICKET_ROWS_PER_CHUNK", 101)
    monkeypatch.setattr(generator_module, "BATCH_ROWS", 333)
    rb = generate(chunked, accounts=150, seed=8, bad_row_share=0.05, file_format=fmt)
    assert sha(whole) == sha(chunked)
    assert ra.rows == rb.rows and ra.bad_rows == rb.bad_rows
    assert ra.rows["ticketing.ticket_events"] > 10 * 333  # many chunks and batches


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_written_bytes_do_not_depend_on_batches(tmp_path, fmt):
    """The writer gets a table in batches; a whole-table write with pyarrow is the reference.
    Many distinct decimals make Parquet give up its dictionary part-way, which is where chunked
    input once changed the bytes."""
    from demo_data.writer import schema, write_table

    n = 240_000
    rng = np.random.default_rng(1)
    target = schema("crm.orders")
    ids_ = [f"ORD-{i:07d}" for i in range(n)]
    tbl = pa.table(
        {
            "order_id": ids_,
            "account_id": [f"ACC-{i % 977:06d}" for i in range(n)],
            "contact_id": [None if i % 13 == 0 else f"CON-{i:07d}" for i in range(n)],
            "order_type": ["new", "renewal", "one_off"] * (n // 3),
            "ordered_at": [f"2026-01-{1 + i % 28:02d}T10:00:00Z" for i in range(n)],
            "amount": pa.array(
                [Decimal(int(c)).scaleb(-2) for c in rng.integers(-(10**6), 10**9, n)],
                pa.decimal128(14, 2),
            ),
            "currency": ["EUR"] * n,
            "channel": ["web", " Phone", 'e-mail, "x"'] * (n // 3),
        }
    )
    tbl = pa.Table.from_arrays([tbl.column(f.name).cast(f.type) for f in target], schema=target)
    ref = tmp_path / "ref"
    ref.mkdir()
    if fmt == "csv":
        pacsv.write_csv(
            tbl,
            ref / "orders.csv",
            pacsv.WriteOptions(include_header=True, quoting_style="needed"),
        )
    else:
        pq.write_table(tbl, ref / "orders.parquet", compression="zstd")
    batches = [tbl.slice(i, 777) for i in range(0, n, 777)]
    path, rows = write_table(batches, tmp_path / "batched", "crm.orders", fmt)
    assert rows == n
    assert path.read_bytes() == (ref / f"orders.{fmt}").read_bytes()


def test_spilled_table_reads_back_what_was_written(tmp_path):
    from demo_data.writer import Spilled

    tbl = pa.table({"k": pa.array(np.arange(10_000)), "s": [str(i) for i in range(10_000)]})
    chunks = [tbl.slice(a, b - a) for a, b in [(0, 1), (1, 4000), (4000, 4000), (4000, 10_000)]]
    spilled = Spilled(tmp_path / "t.arrow", iter(chunks), tbl.schema)
    assert spilled.num_rows == 10_000
    idx = np.sort(np.random.default_rng(2).choice(10_000, 300, replace=False))
    assert spilled.take(pa.array(idx)).equals(tbl.take(pa.array(idx)))
    read = spilled.reader()
    for a, b in [(0, 0), (0, 1), (1, 3999), (3999, 4001), (4001, 10_000)]:
        got = read(a, b)
        assert got.equals(tbl.slice(a, b - a)), (a, b)
        assert all(col.num_chunks == 1 for col in got.columns)


def test_a_stream_drawn_in_pieces_gives_the_same_numbers():
    from demo_data.arrays import generator_at, skip_uniform

    rng = np.random.default_rng(4)
    rng.integers(10, size=3)  # leaves half a 64-bit output buffered
    state = rng.bit_generator.state
    whole = rng.random(1_000)
    after = rng.integers(1_000_000, size=5)
    pieces = np.concatenate(
        [generator_at(state, a).random(b - a) for a, b in [(0, 7), (7, 999), (999, 1_000)]]
    )
    assert np.array_equal(pieces, whole)
    again = np.random.default_rng(4)
    again.integers(10, size=3)
    skip_uniform(again, 1_000)
    assert np.array_equal(again.integers(1_000_000, size=5), after)
