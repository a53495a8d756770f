"""Timestamps (issue 14, item 1): Parquet / Arrow timestamps of every unit (s, ms, us, ns),
with and without a time zone, reach staging as the instants they hold; and the raw gate and
staging use one rule for "parseable timestamp", so they cannot disagree.

The expected instants are computed here in plain Python from the integers written into the
Parquet files (epoch counts in the column's unit), floored to the microsecond (every
engine's precision), as naive UTC datetimes: no pyarrow or DuckDB conversion is trusted.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from ingest.landing import load_landing
from ingest.timestamps import iso_timestamp_pattern, timestamp_text
from quality.suites import load_suites
from tests.dbt_helpers import query, run_dbt

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
EPOCH = datetime(1970, 1, 1)
NS_PER = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}

# One (table, column) per case: every unit, without a zone and with one (UTC or another).
CASES: list[tuple[str, str, str, str | None]] = [
    ("crm.accounts", "created_at", "s", None),
    ("crm.contacts", "created_at", "s", "America/New_York"),
    ("crm.orders", "ordered_at", "ms", None),
    ("ticketing.ticket_events", "created_at", "ms", "UTC"),
    ("crm.invoices", "issued_at", "us", None),
    ("crm.invoices", "due_at", "us", "Asia/Kolkata"),
    ("crm.invoices", "paid_at", "ns", "Europe/Berlin"),
    ("ticketing.tickets", "created_at", "ns", None),
    ("ticketing.tickets", "solved_at", "ns", "UTC"),
]
CASE_IDS = [f"{unit}-{tz or 'naive'}-{table}.{column}" for table, column, unit, tz in CASES]


def _instants_ns(rows: int, salt: int) -> list[int]:
    """Epoch nanoseconds with digits in every place down to the nanosecond; row 2 is before
    1970 (flooring must go down, not toward zero)."""
    base = 1_767_249_324_123_456_789 + salt * 3_600_000_000_007
    values = [base + i * 90_061_001_002_003 for i in range(rows)]
    if rows > 1:
        values[1] = -1_234_567_891  # 1969-12-31T23:59:58.765432109
    return values


def _expected(ns: int, unit: str) -> datetime:
    """The instant staging must hold: the value in its unit (floored), then to microseconds."""
    in_unit = ns // NS_PER[unit]  # what the Parquet file holds
    return EPOCH + timedelta(microseconds=(in_unit * NS_PER[unit]) // 1_000)


# ------------------------------------------------------------------ the canonical text
@pytest.mark.parametrize("tz", [None, "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_every_unit_is_written_as_iso_text_with_microseconds(unit: str, tz: str | None):
    values = _instants_ns(4, 0)
    column = pa.array([v // NS_PER[unit] for v in values] + [None], pa.timestamp(unit, tz=tz))
    text = timestamp_text(column).to_pylist()
    suffix = "Z" if tz else ""
    assert text == [
        _expected(v, unit).strftime("%Y-%m-%dT%H:%M:%S.%f") + suffix for v in values
    ] + [None]
    con = duckdb.connect()
    try:
        matches = con.execute(
            "select regexp_full_match(t, ?) from unnest(?) as u(t)",
            [iso_timestamp_pattern(), text[:-1]],
        ).fetchall()
    finally:
        con.close()
    assert all(m for (m,) in matches)  # nine fraction digits no more


# ------------------------------------------------------------------ staging and the raw gate
# Text timestamps the raw gate and staging must judge alike (written as a CSV file).
TEXTS = [
    "2026-10-10T10:00:00Z",
    "2026-10-10 10:00:00",
    "2026-10-10",
    " 2026-10-10T10:00:00.5+02:00 ",
    "2026-10-10T10:00:00.123456-0530",
    "2026-10-10T10:00:00.123456789Z",  # nine digits: no engine agrees on them, refused
    "2026-10-10T10:00:00.1234567",
    "2026-02-30T10:00:00Z",
    "2026-13-01",
    "2026-10-10T24:00:00",
    "12/10/2026",
    "yesterday",
    "now",
    "infinity",
    "epoch",
    "2026-10-10T10:00:00 Europe/Berlin",
    "2026-10-10t10:00:00z",
]


def _parquet_with_typed_timestamps(landing: Path) -> dict[tuple[str, str], list[int]]:
    """Replace the CSV of every table in CASES by Parquet: its timestamp columns typed as the
    case says, every other column as the text of the fixture. Returns the instants written."""
    written: dict[tuple[str, str], list[int]] = {}
    for qualified in sorted({c[0] for c in CASES}):
        system, name = qualified.split(".")
        csv_path = landing / system / f"{name}.csv"
        table = pacsv.read_csv(
            csv_path,
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in _header(csv_path)}
            ),
        )
        for salt, (t, column, unit, tz) in enumerate(CASES):
            if t != qualified:
                continue
            ns = _instants_ns(table.num_rows, salt)
            typed = pa.array([v // NS_PER[unit] for v in ns], pa.timestamp(unit, tz=tz))
            table = table.set_column(table.schema.get_field_index(column), column, typed)
            written[(qualified, column)] = ns
        pq.write_table(table, landing / system / f"{name}.parquet")
        csv_path.unlink()
    return written


def _header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[0].split(",")


def _responses_with_texts(landing: Path) -> None:
    lines = ["response_id,survey_id,respondent_email,ticket_id,order_id,channel,submitted_at"]
    for i, text in enumerate(TEXTS, start=1):
        lines.append(f'R{i},S1,ana.pay@acme.test,,,email,"{text}"')
    (landing / "survey" / "responses.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("timestamps")
    landing = work / "landing"
    shutil.copytree(MINI, landing)
    written = _parquet_with_typed_timestamps(landing)
    _responses_with_texts(landing)
    db = work / "warehouse.duckdb"
    load_landing(landing, db)
    raw = {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for suite in load_suites("raw"):
            raw[suite.relation] = con.execute(suite.query).df()
    finally:
        con.close()
    run_dbt(
        db,
        work,
        "build",
        "--select",
        "resource_type:seed",
        "path:models/staging",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    )
    return db, written, raw


def _base_relation(db: Path, qualified: str) -> str:
    system, name = qualified.split(".")
    [(schema,)] = query(
        db,
        "select table_schema from information_schema.tables "
        f"where table_name = 'base_{system}__{name}'",
    )
    return f"{schema}.base_{system}__{name}"


@pytest.mark.parametrize(("qualified", "column", "unit", "tz"), CASES, ids=CASE_IDS)
def test_parquet_timestamps_reach_staging_as_the_same_instants(
    built, qualified: str, column: str, unit: str, tz: str | None
):
    db, written, raw = built
    ns = written[(qualified, column)]
    rows = dict(query(db, f"select _source_row, {column} from {_base_relation(db, qualified)}"))
    assert rows == {i + 1: _expected(v, unit) for i, v in enumerate(ns)}
    # and the raw gate (where it checks the column: all but invoices.due_at) finds every one
    # of them parseable
    system, name = qualified.split(".")
    frame = raw[f"raw_{system}.{name}"]
    if (qualified, column) != ("crm.invoices", "due_at"):
        assert frame[f"{column}_is_parseable"].tolist() == [True] * len(ns)


def test_the_raw_gate_and_staging_agree_on_every_text(built):
    db, _, raw = built
    staged = dict(
        query(db, f"select _source_row, submitted_at from {_base_relation(db, 'survey.responses')}")
    )
    gate = raw["raw_survey.responses"]
    by_key = dict(zip(gate["response_id"], gate["submitted_at_is_parseable"], strict=True))
    verdicts = {
        text: (bool(by_key[f"R{i}"]), staged[i] is not None)
        for i, text in enumerate(TEXTS, start=1)
    }
    disagree = {text: v for text, v in verdicts.items() if v[0] != v[1]}
    assert not disagree, disagree
    # the verdicts themselves, so that agreeing on "everything fails" cannot pass
    parseable = {text for text, (gate_ok, _) in verdicts.items() if gate_ok}
    assert parseable == set(TEXTS[:5])
    assert staged[4] == datetime(2026, 10, 10, 8, 0, 0, 500000)  # +02:00 to UTC
    assert staged[5] == datetime(2026, 10, 10, 15, 30, 0, 123456)  # -05:30 to UTC
