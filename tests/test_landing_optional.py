"""The loaders land the optional support-operations tables and columns (issue 16,
ingest/contract.py OPTIONAL_TABLES / OPTIONAL_COLUMNS) when delivered, and behave exactly as
before when they are not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.contract import OPTIONAL_TABLES, TABLES
from ingest.landing import LandingError, load_landing, read_landing
from ingest.preflight import preflight
from tests.dbt_helpers import query

MINI = Path(__file__).parent / "fixtures" / "mini"

SCHEDULES = (
    "schedule_id,time_zone,weekday,start_time,end_time,valid_from\n"
    "NY,America/New_York,0,09:00,17:00,2026-01-01\n"
    "NY,America/New_York,1,09:00,17:00,2026-01-01\n"
    "BER,Europe/Berlin,0,08:00,16:00,2026-01-01\n"
)
HOLIDAYS = "schedule_id,holiday_date,name\nNY,2026-07-03,Independence Day (observed)\n"
SLA_POLICIES = (
    "policy_id,priority,tier,metric,target_minutes,in_business_hours\n"
    "P-URGENT,urgent,,first_reply,60,true\n"
    "P-URGENT,urgent,,resolution,480,true\n"
    "P-ENT,,enterprise,first_reply,120,false\n"
)
OPTIONAL_FILES = {
    "schedules": SCHEDULES,
    "holidays": HOLIDAYS,
    "sla_policies": SLA_POLICIES,
}


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    target = tmp_path / "landing"
    shutil.copytree(MINI, target)
    return target


def _with_optional(landing: Path) -> Path:
    """The optional tables as files, and the optional columns on tickets and events."""
    for name, text in OPTIONAL_FILES.items():
        (landing / "ticketing" / f"{name}.csv").write_text(text)
    _add_columns(landing / "ticketing" / "tickets.csv", ["assignee_id", "group_id", "schedule_id"])
    _add_columns(landing / "ticketing" / "ticket_events.csv", ["author_id", "new_status"])
    return landing


def _add_columns(path: Path, names: list[str]) -> None:
    """Append `names` to the header and a value per row (`<column>-<row>`; blank on row 2)."""
    lines = path.read_text().splitlines()
    out = [lines[0] + "," + ",".join(names)]
    for i, line in enumerate(lines[1:], start=1):
        out.append(line + "," + ",".join("" if i == 2 else f"{n}-{i}" for n in names))
    path.write_text("\n".join(out) + "\n")


def _tables(db: Path, schema: str) -> set[str]:
    rows = query(
        db, "select table_name from information_schema.tables where table_schema = ?", [schema]
    )
    return {r[0] for r in rows}


def test_optional_tables_land_as_text_with_lineage_and_history(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    result = load_landing(_with_optional(landing), db)
    assert not [w for w in result.warnings if "not a contract table" in w]
    for t in OPTIONAL_TABLES:
        lines = OPTIONAL_FILES[t.name].splitlines()
        header, body = lines[0].split(","), lines[1:]
        assert result.rows[t.qualified] == len(body)
        columns = [
            c
            for (c,) in query(
                db,
                "select column_name from information_schema.columns where table_schema = ? "
                "and table_name = ? order by ordinal_position",
                [t.raw_schema, t.name],
            )
        ]
        assert columns == [
            *t.column_names,
            "_source_file",
            "_source_row",
            "_batch_id",
            "_loaded_at",
        ]
        raw = query(
            db,
            f"select {', '.join(header)}, _source_file, _source_row "
            f"from {t.raw_schema}.{t.name} order by _source_row",
        )
        expected = [
            (*(v if v else None for v in line.split(",")), f"ticketing/{t.name}.csv", i)
            for i, line in enumerate(body, start=1)
        ]
        assert raw == expected, t.qualified
        history = query(db, f"select count(*) from raw_history.ticketing__{t.name}")[0][0]
        assert history == len(body)
        loads = query(
            db, "select row_count from raw_meta.loads where table_name = ?", [t.qualified]
        )
        assert loads == [(len(body),)]


def test_optional_columns_land_in_the_raw_table_and_its_history(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(_with_optional(landing), db)
    rows = query(
        db,
        "select _source_row, assignee_id, group_id, schedule_id from raw_ticketing.tickets "
        "order by _source_row",
    )
    assert rows[0] == (1, "assignee_id-1", "group_id-1", "schedule_id-1")
    assert rows[1] == (2, None, None, None)  # a blank value is NULL
    history = query(
        db,
        "select _source_row, author_id, new_status from raw_history.ticketing__ticket_events "
        "order by _source_row limit 2",
    )
    assert history == [(1, "author_id-1", "new_status-1"), (2, None, None)]


def test_a_later_delivery_adds_optional_columns_to_the_history(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)  # first without the optional columns
    before = query(db, "select count(*) from raw_history.ticketing__tickets")[0][0]
    load_landing(_with_optional(landing), db)
    rows = query(
        db,
        "select count(*), count(assignee_id) from raw_history.ticketing__tickets",
    )[0]
    tickets = len((landing / "ticketing" / "tickets.csv").read_text().splitlines()) - 1
    assert rows == (before + tickets, tickets - 1)  # old rows NULL, new ones but row 2 filled


def test_absent_optional_files_change_nothing(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    result = load_landing(landing, db)
    assert set(result.rows) == {t.qualified for t in TABLES}
    assert _tables(db, "raw_ticketing") == {"tickets", "ticket_events"}
    assert not any(t.startswith("ticketing__s") for t in _tables(db, "raw_history"))
    cols = query(
        db,
        "select column_name from information_schema.columns "
        "where table_schema = 'raw_ticketing' and table_name = 'tickets'",
    )
    assert "assignee_id" not in {c for (c,) in cols}


def test_a_full_delivery_without_them_drops_them_a_delta_keeps_them(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(_with_optional(landing), db)
    assert {"schedules", "holidays", "sla_policies"} <= _tables(db, "raw_ticketing")
    # a delta of one table: the optional tables stay as loaded
    delta = tmp_path / "delta"
    (delta / "crm").mkdir(parents=True)
    shutil.copy(landing / "crm" / "accounts.csv", delta / "crm" / "accounts.csv")
    load_landing(delta, db, mode="delta")
    assert {"schedules", "holidays", "sla_policies"} <= _tables(db, "raw_ticketing")
    # a full delivery without the schedules: that raw table leaves, the others stay
    (landing / "ticketing" / "schedules.csv").unlink()
    messages: list[str] = []
    load_landing(landing, db, progress=messages.append)
    assert "schedules" not in _tables(db, "raw_ticketing")
    assert {"holidays", "sla_policies"} <= _tables(db, "raw_ticketing")
    assert any("ticketing.schedules" in m and "dropped" in m for m in messages)
    assert query(
        db, "select count(*) from raw_meta.loads where table_name = 'ticketing.schedules'"
    ) == [(0,)]
    assert query(db, "select count(*) from raw_history.ticketing__schedules") == [(3,)]


@pytest.mark.parametrize(
    "name, text, column",
    [
        (
            "schedules.csv",
            SCHEDULES.replace("time_zone", "timezone", 1),
            "time_zone",
        ),
        (
            "sla_policies.csv",
            SLA_POLICIES.replace("target_minutes", "target_mins", 1),
            "target_minutes",
        ),
        (
            "holidays.csv",
            HOLIDAYS.replace(",name", ",Name", 1),
            "name",
        ),
    ],
)
def test_a_bad_optional_file_names_file_and_column_and_loads_nothing(
    landing: Path, tmp_path: Path, name: str, text: str, column: str
):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    before = query(db, "select count(*) from raw_crm.accounts")
    (landing / "ticketing" / name).write_text(text)
    for check in (lambda: preflight(landing), lambda: load_landing(landing, db)):
        with pytest.raises(LandingError) as err:
            check()
        message = str(err.value)
        assert "\n" not in message, message
        assert name in message and column in message, message
    assert query(db, "select count(*) from raw_crm.accounts") == before
    assert not {"schedules", "holidays", "sla_policies"} & _tables(db, "raw_ticketing")


@pytest.mark.parametrize(
    "file, misspelt, column",
    [
        ("tickets.csv", "asignee_id", "assignee_id"),
        ("tickets.csv", "Group_ID", "group_id"),
        ("ticket_events.csv", "new_statuss", "new_status"),
    ],
)
def test_a_misspelt_optional_column_is_one_clear_error(
    landing: Path, tmp_path: Path, file: str, misspelt: str, column: str
):
    _add_columns(landing / "ticketing" / file, [misspelt])
    for check in (lambda: preflight(landing), lambda: load_landing(landing, tmp_path / "w.duckdb")):
        with pytest.raises(LandingError) as err:
            check()
        message = str(err.value)
        assert "\n" not in message, message
        assert file in message and repr(misspelt) in message and repr(column) in message


def test_an_unrelated_extra_column_is_still_kept(landing: Path, tmp_path: Path):
    _add_columns(landing / "ticketing" / "tickets.csv", ["sentiment_score"])
    result = load_landing(landing, tmp_path / "w.duckdb")
    loaded = {f.table.qualified: f for f in result.files}
    assert loaded["ticketing.tickets"].extra_columns == ["sentiment_score"]


def test_preflight_knows_the_optional_tables(landing: Path):
    assert not [w for w in preflight(_with_optional(landing)) if "not a contract table" in w]
    (landing / "ticketing" / "agents.csv").write_text("agent_id\nA1\n")
    warnings = preflight(landing)
    assert len(warnings) == 1 and "agents.csv" in warnings[0]


def test_read_landing_gives_the_other_engines_the_optional_tables(landing: Path):
    """PostgreSQL and Spark load what read_landing returns."""
    tables, warnings = read_landing(_with_optional(landing))
    read = {loaded.table.qualified: data for loaded, data in tables}
    assert {t.qualified for t in OPTIONAL_TABLES} <= set(read)
    assert read["ticketing.sla_policies"].column("target_minutes").to_pylist() == [
        "60",
        "480",
        "120",
    ]
    assert "assignee_id" in read["ticketing.tickets"].column_names
    assert not warnings
