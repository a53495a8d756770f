"""An edge fixture for support operations (issue 16), landed straight into raw tables of a
throwaway DuckDB warehouse and built with dbt (only the models the support tests read)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.contract import OPTIONAL_COLUMNS, OPTIONAL_TABLES, TABLES
from tests.dbt_helpers import run_dbt

AS_OF = "2026-04-02"

# Schedule S1 (New York): Mon-Fri 09:00-17:00 from 2026-03-01, Mon-Fri 08:00-12:00 from
# 2026-03-16 (a schedule change); US daylight saving starts Sun 2026-03-08; holiday Tue
# 2026-03-10. Schedule S2 (Berlin): Mon-Sat 10:00-18:00; EU daylight saving starts Sun
# 2026-03-29; holiday Mon 2026-03-30.
SCHEDULES = [
    *[("S1", "America/New_York", str(d), "09:00", "17:00", "2026-03-01") for d in range(5)],
    *[("S1", "America/New_York", str(d), "08:00", "12:00", "2026-03-16") for d in range(5)],
    *[("S2", "Europe/Berlin", str(d), "10:00", "18:00", "2026-01-01") for d in range(6)],
]
HOLIDAYS = [("S1", "2026-03-10", "Founders day"), ("S2", "2026-03-30", "Closure")]
SLA_POLICIES = [
    # policy, priority, tier, metric, target minutes, business hours
    ("P-HIGH", "high", "", "first_reply", "480", "true"),
    ("P-HIGH", "high", "", "next_reply", "240", "true"),
    ("P-HIGH", "high", "", "resolution", "2400", "true"),
    ("P-HIGH", "high", "", "agent_work", "600", "true"),
    ("P-NORMAL", "normal", "", "first_reply", "1440", "false"),
    ("P-NORMAL", "normal", "", "resolution", "4320", "false"),
    ("P-NORMAL", "normal", "", "requester_wait", "3000", "true"),
    ("P-NORMAL-UNMATCHED", "normal", "unmatched", "resolution", "60", "false"),
    ("P-UNMATCHED", "", "unmatched", "first_reply", "30", "false"),
]
# ticket, priority, status, created_at, solved_at, assignee, group, schedule
TICKETS = [
    ("T1", "high", "solved", "2026-03-06T20:00:00Z", "2026-03-17T13:30:00Z", "A1", "G1", "S1"),
    ("T2", "normal", "open", "2026-03-27T16:00:00Z", "", "A2", "G2", "S2"),
    ("T3", "normal", "solved", "2026-03-20T10:00:00Z", "2026-03-20T12:00:00Z", "A1", "G1", ""),
    ("T4", "high", "open", "2026-03-13T21:00:00Z", "", "", "G1", "S1"),
]
# event, ticket, type, role, created_at, author, new_status
EVENTS = [
    ("E1", "T1", "status_change", "agent", "2026-03-09T14:00:00Z", "A1", "open"),
    ("E2", "T1", "public_reply", "agent", "2026-03-11T14:30:00Z", "A1", ""),
    ("E3", "T1", "status_change", "agent", "2026-03-11T14:30:00Z", "A1", "pending"),
    ("E4", "T1", "public_reply", "customer", "2026-03-12T13:00:00Z", "", ""),
    ("E5", "T1", "status_change", "system", "2026-03-12T13:00:00Z", "", "open"),
    ("E6", "T1", "public_reply", "agent", "2026-03-17T13:30:00Z", "A3", ""),
    ("E7", "T1", "solved", "agent", "2026-03-17T13:30:00Z", "A3", ""),
    ("E8", "T2", "status_change", "agent", "2026-03-28T10:00:00Z", "A2", "open"),
    ("E9", "T2", "public_reply", "agent", "2026-03-31T09:00:00Z", "A2", ""),
    ("E10", "T2", "status_change", "agent", "2026-03-31T09:00:00Z", "A2", "hold"),
    ("E11", "T3", "public_reply", "agent", "2026-03-20T11:00:00Z", "A1", ""),
    ("E12", "T3", "solved", "agent", "2026-03-20T12:00:00Z", "A1", ""),
]


def _create(con, schema: str, name: str, columns: list[str], rows: list[tuple]) -> None:
    cols = ", ".join(f'"{c}" varchar' for c in columns)
    con.execute(f"create schema if not exists {schema}")
    con.execute(
        f"create table {schema}.{name} ({cols}, _source_file varchar, _source_row bigint, "
        "_batch_id varchar, _loaded_at timestamp)"
    )
    for i, row in enumerate(rows, start=1):
        values = [None if v == "" else v for v in row]
        marks = ", ".join("?" for _ in range(len(columns) + 4))
        con.execute(
            f"insert into {schema}.{name} values ({marks})",
            [*values, f"{name}.csv", i, "fixture", "2026-04-02 00:00:00"],
        )


def land(database: Path, *, optional: bool = True) -> None:
    """Every contract table (empty but for tickets and events); with `optional`, the optional
    columns and tables too."""
    con = duckdb.connect(str(database))
    try:
        for t in TABLES:
            extra = [c.name for c in OPTIONAL_COLUMNS.get(t.qualified, ())] if optional else []
            rows: list[tuple] = []
            if t.qualified == "ticketing.tickets":
                rows = [
                    (tid, f"{tid.lower()}@example.com", "email", "billing", "", prio, status,
                     created, solved, *((a, g, s) if optional else ()))
                    for tid, prio, status, created, solved, a, g, s in TICKETS
                ]  # fmt: skip
            elif t.qualified == "ticketing.ticket_events":
                rows = [
                    (eid, tid, typ, role, "email", at, *((author, new) if optional else ()))
                    for eid, tid, typ, role, at, author, new in EVENTS
                ]
            _create(con, t.raw_schema, t.name, [*t.column_names, *extra], rows)
        if optional:
            data = {"schedules": SCHEDULES, "holidays": HOLIDAYS, "sla_policies": SLA_POLICIES}
            for t in OPTIONAL_TABLES:
                _create(con, t.raw_schema, t.name, t.column_names, data[t.name])
    finally:
        con.close()


# the models of issue 16 (their tests run after the build)
SUPPORT_MODELS = (
    "models/marts/support",
    "models/staging/ticketing/support",
    "int_support_business_intervals",
    "int_ticket_metric_spans",
    "int_ticket_status_segments",
    "int_ticket_handoffs",
    "int_support_ticket_outcomes",
)


def build(database: Path, work: Path) -> None:
    vars_ = f'{{"as_of_date": "{AS_OF}"}}'
    run_dbt(database, work, "seed", "--vars", vars_)
    run_dbt(database, work, "run", "--vars", vars_, "--select", "+models/marts/support")
    run_dbt(
        database, work, "test", "--vars", vars_,
        "--select", *SUPPORT_MODELS,
    )  # fmt: skip


@pytest.fixture(scope="module")
def support_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("support")
    database = work / "warehouse.duckdb"
    land(database)
    build(database, work)
    return database
