"""The DuckDB loader writes every delivered file once (ingest/duckdb_history.py): the raw
relations and `raw_history` are read from the batch tables, and hold what they held when the
history was a second copy. Expectations are computed from the files written here, with
Python's csv module (an independent reader), not by the loader."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.contract import OPTIONAL_COLUMNS, OPTIONAL_TABLES, TABLES, table
from ingest.landing import LandingError, load_landing
from tests.dbt_helpers import query

MINI = Path(__file__).parent / "fixtures" / "mini"
LINEAGE = ("_source_file", "_source_row", "_batch_id")
SCHEDULES = (
    "schedule_id,time_zone,weekday,start_time,end_time,valid_from\n"
    "NY,America/New_York,0,09:00,17:00,2026-01-01\n"
    "BER,Europe/Berlin,0,08:00,16:00,2026-01-01\n"
)


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    target = tmp_path / "landing"
    shutil.copytree(MINI, target)
    return target


def _file_rows(landing: Path, qualified: str) -> list[dict]:
    """The file's rows as the history should hold them: contract and optional columns of the
    header (a blank field is NULL), the file relative to the landing folder, its 1-based row,
    its batch id (the first 16 hex digits of the file's SHA-256)."""
    t = table(qualified)
    path = landing / t.system / f"{t.name}.csv"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    known = set(t.column_names) | {c.name for c in OPTIONAL_COLUMNS.get(qualified, ())}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        rows = []
        for i, values in enumerate(reader, start=1):
            row = {h: (v if v != "" else None) for h, v in zip(header, values, strict=True)}
            row = {c: row.get(c) for c in t.column_names} | {
                c: v for c, v in row.items() if c in known
            }
            row.update(_source_file=f"{t.system}/{t.name}.csv", _source_row=i, _batch_id=digest)
            rows.append(row)
    return rows


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


def _as_tuples(rows: list[dict], columns: list[str]) -> list[tuple]:
    return _sorted([tuple(r.get(c) for c in columns) for r in rows])


def _history(db: Path, qualified: str, columns: list[str]) -> list[tuple]:
    t = table(qualified)
    listed = ", ".join(f'"{c}"' for c in columns)
    return _sorted(query(db, f"select {listed} from raw_history.{t.system}__{t.name}"))


def _columns(db: Path, schema: str, name: str) -> list[str]:
    return [
        r[0]
        for r in query(
            db,
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        )
    ]


class Deliveries:
    """What was delivered so far, per table: every changed file's rows, in load order."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {}
        self.files: dict[str, int] = {}  # files delivered (changed since the last load)
        self.last: dict[str, str] = {}  # the last batch id delivered

    def took(self, landing: Path, tables: list[str]) -> None:
        for q in tables:
            t = table(q)
            path = landing / t.system / f"{t.name}.csv"
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            if self.last.get(q) == digest:
                continue  # unchanged: not read again, not in the history again
            self.last[q] = digest
            self.files[q] = self.files.get(q, 0) + 1
            self.rows.setdefault(q, []).extend(_file_rows(landing, q))

    def check(self, db: Path) -> None:
        """The history holds every delivery's rows, and only those."""
        for q, rows in self.rows.items():
            t = table(q)
            optional = [
                c.name for c in OPTIONAL_COLUMNS.get(q, ()) if any(c.name in r for r in rows)
            ]
            columns = [*t.column_names, *optional, *LINEAGE]
            assert _history(db, q, columns) == _as_tuples(rows, columns), q
            # the contract's columns first, then lineage and the optional columns delivered
            present = _columns(db, "raw_history", f"{t.system}__{t.name}")
            assert present[: len(t.column_names)] == t.column_names, q
            assert sorted(present) == sorted([*columns, "_loaded_at"]), q
            unstamped = query(
                db,
                f"select count(*) from raw_history.{t.system}__{t.name} where _loaded_at is null",
            )
            assert unstamped == [(0,)], q


def _contract_tables(landing: Path) -> list[str]:
    return [
        t.qualified
        for t in (*TABLES, *OPTIONAL_TABLES)
        if (landing / t.system / f"{t.name}.csv").exists()
    ]


def _stored_rows(db: Path) -> dict[str, int]:
    """Rows stored in base tables (not views) of the raw and history schemas."""
    out: dict[str, int] = {}
    for schema, name in query(
        db,
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and (table_schema like 'raw\\_%' escape '\\') "
        "and table_schema != 'raw_meta'",
    ):
        out[schema] = (
            out.get(schema, 0) + query(db, f'select count(*) from {schema}."{name}"')[0][0]
        )
    return out


def test_history_holds_every_delivery_after_full_full_delta(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    seen = Deliveries()

    # 1. a full export
    load_landing(landing, db)
    seen.took(landing, _contract_tables(landing))
    seen.check(db)
    delivered = sum(len(r) for r in seen.rows.values())
    # every delivered row is stored once: in its batch table, none in a raw table
    assert _stored_rows(db) == {"raw_history": delivered}

    # 2. a later full export: accounts changed, tickets with an optional column (first
    # delivered now), an optional table; the other files unchanged (not read again)
    accounts = landing / "crm" / "accounts.csv"
    accounts.write_text(accounts.read_text().replace("Acme Corp", "Acme Corporation"))
    tickets = landing / "ticketing" / "tickets.csv"
    lines = tickets.read_text().splitlines()
    tickets.write_text(
        "\n".join([lines[0] + ",assignee_id", *(f"{x},ag-{i}" for i, x in enumerate(lines[1:]))])
        + "\n"
    )
    (landing / "ticketing" / "schedules.csv").write_text(SCHEDULES)
    second = load_landing(landing, db)
    assert {f.table.qualified for f in second.files if not f.skipped} == {
        "crm.accounts",
        "ticketing.tickets",
        "ticketing.schedules",
    }
    seen.took(landing, _contract_tables(landing))
    seen.check(db)
    delivered = sum(len(r) for r in seen.rows.values())
    assert _stored_rows(db) == {"raw_history": delivered}
    # the raw relations hold the latest export
    for q in ("crm.accounts", "ticketing.tickets", "ticketing.schedules"):
        t = table(q)
        columns = [*t.column_names, *LINEAGE]
        listed = ", ".join(f'"{c}"' for c in columns)
        assert _sorted(query(db, f"select {listed} from raw_{t.system}.{t.name}")) == (
            _as_tuples(_file_rows(landing, q), columns)
        )
    assert "assignee_id" in _columns(db, "raw_ticketing", "tickets")

    # 3. a delta: accounts A1 renamed again (key padded), A9 new; answers R1/Q1 rescored
    delta = tmp_path / "delta"
    (delta / "crm").mkdir(parents=True)
    (delta / "survey").mkdir()
    (delta / "crm" / "accounts.csv").write_text(
        "account_id,account_name,segment,country,created_at\n"
        " A1 ,Acme Inc,enterprise,ES,2025-01-10T09:00:00Z\n"
        "A9,Nueva SA,smb,ES,2026-01-01T00:00:00Z\n"
    )
    (delta / "survey" / "answers.csv").write_text(
        "response_id,question_id,numeric_value,text_value\nR1,Q1,4,\n"
    )
    before = {
        q: query(db, f"select * from raw_{table(q).system}.{table(q).name}")
        for q in ("crm.accounts", "survey.answers")
    }
    names_before = {
        q: _columns(db, f"raw_{table(q).system}", table(q).name)
        for q in ("crm.accounts", "survey.answers")
    }
    load_landing(delta, db, mode="delta")
    seen.took(delta, ["crm.accounts", "survey.answers"])
    seen.check(db)

    # the merged raw tables: rows of undelivered keys kept, the delta's rows in
    for q in ("crm.accounts", "survey.answers"):
        t = table(q)
        names = names_before[q]
        key_at = [names.index(k) for k in t.key]
        new = _file_rows(delta, q)
        new_keys = {tuple((r[k] or "").strip() or None for k in t.key) for r in new}
        kept = [
            r
            for r in before[q]
            if not (
                all(r[i] is not None and r[i].strip() for i in key_at)
                and tuple(r[i].strip() for i in key_at) in new_keys
            )
        ]
        columns = [*t.column_names, *LINEAGE]
        listed = ", ".join(f'"{c}"' for c in columns)
        expected = _sorted(
            [tuple(r[names.index(c)] for c in columns) for r in kept]
            + [tuple(r.get(c) for c in columns) for r in new]
        )
        assert _sorted(query(db, f"select {listed} from raw_{t.system}.{t.name}")) == expected
    deliveries = query(
        db, "select table_name, count(*) from raw_meta.deliveries group by 1 order by 1"
    )
    assert dict(deliveries) == seen.files


def _downgrade(db: Path) -> None:
    """Put the warehouse in the shape the loader wrote before batch tables: raw tables and
    one history table per table, the same rows."""
    con = duckdb.connect(str(db))
    try:
        views = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'VIEW' and table_schema like 'raw\\_%' escape '\\' "
            "order by table_schema = 'raw_history'"  # raw views first: they read batch tables
        ).fetchall()
        for schema, name in views:
            con.execute(f'create table {schema}."_old_{name}" as select * from {schema}."{name}"')
            con.execute(f'drop view {schema}."{name}"')
            con.execute(f'alter table {schema}."_old_{name}" rename to "{name}"')
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw_history' "
            "and regexp_matches(table_name, '__[0-9]{6}$')"
        ).fetchall():
            con.execute(f'drop table raw_history."{name}"')
    finally:
        con.close()


def test_an_old_warehouse_is_migrated_on_its_next_load(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    seen = Deliveries()
    load_landing(landing, db)
    seen.took(landing, _contract_tables(landing))
    _downgrade(db)
    assert not query(
        db,
        "select table_name from information_schema.tables "
        "where table_type = 'VIEW' and table_schema like 'raw%'",
    )
    seen.check(db)  # the old shape holds the same history

    # the same folder again: nothing read, the history migrated, nothing lost or doubled
    again = load_landing(landing, db)
    assert all(f.skipped for f in again.files)
    seen.check(db)
    assert query(
        db,
        "select table_type from information_schema.tables "
        "where table_schema = 'raw_history' and table_name = 'crm__accounts'",
    ) == [("VIEW",)]
    assert query(db, "select count(*) from raw_history.crm__accounts__000000") == [
        (len(seen.rows["crm.accounts"]),)
    ]

    # a changed file: its batch follows the migrated history
    accounts = landing / "crm" / "accounts.csv"
    accounts.write_text(accounts.read_text().replace("Beta SL", "Beta SLU"))
    load_landing(landing, db)
    seen.took(landing, ["crm.accounts"])
    seen.check(db)
    assert query(db, "select count(*) from raw_history.crm__accounts__000001") == [
        (len(_file_rows(landing, "crm.accounts")),)
    ]
    assert query(db, "select account_name from raw_crm.accounts where account_id = 'A2'") == [
        ("Beta SLU",)
    ]


def test_a_bad_folder_leaves_raw_and_history_as_they_were(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)

    def dump() -> dict[str, list]:
        relations = query(
            db,
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw\\_%' escape '\\' order by 1, 2",
        )
        return {f"{s}.{n}": _sorted(query(db, f'select * from {s}."{n}"')) for s, n in relations}

    before = dump()
    accounts = landing / "crm" / "accounts.csv"
    accounts.write_text(accounts.read_text().replace("Acme Corp", "Acme Corporation"))
    (landing / "survey" / "answers.csv").write_text("response_id,question_id\nR1,Q1\n")
    with pytest.raises(LandingError):
        load_landing(landing, db)
    assert dump() == before
