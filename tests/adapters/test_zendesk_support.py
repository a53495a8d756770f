"""The Zendesk adapter's support-operations tables (issue 16, docs/support_operations.md) on a
hand-made Fivetran-shaped fixture: tests/fixtures/vendors/zendesk (tickets, comments ...) plus
tests/fixtures/vendors/zendesk_support (the optional tables). Every expectation below was
worked out by hand from those CSV files:

schedule 500  Eastern Time (US & Canada): start 1980 / end 2460 minutes from Sunday 00:00 =
              Monday 09:00-17:00; 9960 / 10200 = Saturday 22:00 to Sunday 02:00, split at
              midnight into Saturday 22:00-24:00 and Sunday 00:00-02:00
schedule 501  Berlin: 600 / 720 = Sunday 10:00-12:00
schedule 502  `Olympus Mons Time`: no IANA name, so staging quarantines its interval and the
              name is counted as unmapped
schedule 503  deleted: left out
holidays      700 Thanksgiving 2026-11-26..27 (two dates), 701 Neujahr, 702 deleted
ticket_schedule  ticket 1: 500 (a day before), 501 (at its creation), 502 (after): 501;
              ticket 2: only a row 2 s after its creation: 500; ticket 8: 502
SLA policy 800  two versions: the 2026-06-01 one counts (urgent first reply 60 calendar
              minutes, not 30); its targets per priority become policies 800:urgent,
              800:high, 800:normal; periodic_update_time has no contract metric
SLA policy 801  deleted (its last sla_policy_history row): left out
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.landing import load_landing
from tests.dbt_helpers import query, run_dbt

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "vendors"
MINI = REPO / "tests" / "fixtures" / "mini"
ZENDESK = "{ticketing_source: zendesk}"
SELECT = [
    "--select", "stg_ticketing__schedules", "stg_ticketing__holidays",
    "stg_ticketing__sla_policies", "stg_ticketing__ticket_assignments",
    "+unmapped_vendor_values", "+ticket_sla_metrics",
    "--indirect-selection", "cautious",
]  # fmt: skip


def _landing(tmp: Path, *, support: bool = True) -> Path:
    landing = tmp / "landing"
    for system in ("crm", "survey"):
        shutil.copytree(MINI / system, landing / system)
    shutil.copytree(FIXTURE / "zendesk", landing / "zendesk")
    if support:
        for path in (FIXTURE / "zendesk_support").iterdir():
            shutil.copy(path, landing / "zendesk" / path.name)
    return landing


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("zendesk-support")
    database = work / "warehouse.duckdb"
    load_landing(_landing(work), database)
    run_dbt(database, work, "build", "--vars", ZENDESK, *SELECT)
    return database


def test_schedules_in_contract_shape(built):
    rows = query(
        built,
        "select schedule_id, time_zone, weekday, start_minute, end_minute, valid_from "
        "from staging.stg_ticketing__schedules",
    )
    epoch = date(1970, 1, 1)
    assert sorted(rows) == [
        ("500", "America/New_York", 0, 540, 1020, epoch),  # Monday 09:00-17:00
        ("500", "America/New_York", 5, 1320, 1440, epoch),  # Saturday 22:00-24:00
        ("500", "America/New_York", 6, 0, 120, epoch),  # ... Sunday 00:00-02:00
        ("501", "Europe/Berlin", 6, 600, 720, epoch),  # Sunday 10:00-12:00
    ]
    quarantined = query(
        built,
        "select schedule_id, quarantine_reason from staging.base_ticketing__schedules "
        "where quarantine_reason is not null",
    )
    assert quarantined == [("502", "invalid_code")]  # its time zone is unknown


def test_holidays_one_row_per_date(built):
    rows = query(
        built, "select schedule_id, holiday_date, holiday_name from staging.stg_ticketing__holidays"
    )
    assert sorted(rows) == [
        ("500", date(2026, 11, 26), "Thanksgiving"),
        ("500", date(2026, 11, 27), "Thanksgiving"),
        ("501", date(2026, 1, 1), "Neujahr"),
    ]


def test_sla_policies_per_priority_from_the_current_version(built):
    rows = query(
        built,
        "select policy_id, priority, tier, metric, target_minutes, in_business_hours "
        "from staging.stg_ticketing__sla_policies",
    )
    assert sorted(rows) == [
        ("800:high", "high", None, "first_reply", Decimal(240), True),
        ("800:high", "high", None, "next_reply", Decimal(480), True),
        ("800:normal", "normal", None, "agent_work", Decimal(1200), True),
        ("800:normal", "normal", None, "requester_wait", Decimal(2400), True),
        ("800:urgent", "urgent", None, "first_reply", Decimal(60), False),
    ]
    quarantined = query(
        built,
        "select policy_id, metric, quarantine_reason from staging.base_ticketing__sla_policies "
        "where quarantine_reason is not null",
    )
    assert quarantined == [("800:high", "periodic_update_time", "invalid_code")]


def test_ticket_schedule_at_creation(built):
    rows = query(
        built, "select ticket_id, schedule_id from staging.stg_ticketing__ticket_assignments"
    )
    assert dict(rows) == {"1": "501", "2": "500", "3": None, "6": None, "8": "502"}


def test_unknown_time_zone_and_metric_are_reported(built):
    rows = query(
        built,
        "select vendor_table, vendor_field, vendor_value, row_count "
        "from marts.unmapped_vendor_values where vendor_table in "
        "('schedule', 'sla_policy_metric_history')",
    )
    assert sorted(rows) == [
        ("schedule", "time_zone", "Olympus Mons Time", 1),
        ("sla_policy_metric_history", "metric", "periodic_update_time", 1),
    ]


def test_policy_reaches_the_sla_mart(built):
    """Ticket 1 (high, created Friday 2026-10-02 09:00 UTC, first agent reply 09:30) is on
    schedule 501 (Berlin, Sunday 10:00-12:00 only): policy 800:high's first reply target is
    in business hours, of which none passed: elapsed 0, achieved. Nothing else applies to it
    (no customer reply after the agent's: no next-reply cycle)."""
    rows = query(
        built,
        "select policy_id, metric, elapsed_minutes, sla_status from marts.ticket_sla_metrics "
        "where ticket_id = '1'",
    )
    assert [(r[0], r[1], float(r[2]), r[3]) for r in rows] == [
        ("800:high", "first_reply", 0.0, "achieved")
    ]


def test_without_the_optional_tables_nothing_changes(tmp_path):
    """Absent optional tables: the load asks for none of them and the contract tables they
    feed are empty (today's behaviour)."""
    database = tmp_path / "warehouse.duckdb"
    load_landing(_landing(tmp_path, support=False), database)
    run_dbt(database, tmp_path, "build", "--vars", ZENDESK, *SELECT)
    for model in ("stg_ticketing__schedules", "stg_ticketing__holidays",
                  "stg_ticketing__sla_policies"):  # fmt: skip
        assert query(database, f"select count(*) from staging.{model}") == [(0,)]
    rows = query(
        database, "select count(schedule_id) from staging.stg_ticketing__ticket_assignments"
    )
    assert rows == [(0,)]


def test_demo_writer_schedule_in_minutes_of_the_week():
    """The Zendesk demo writer's side of the mapping (demo_data/vendors/zendesk_support.py):
    the latest version of a contract schedule, contract weekday 0 (Monday) 09:00-17:00 =
    Zendesk day 1: 1440 + 540 = 1980 to 1440 + 1020 = 2460; Sunday (6) 10:00-12:00 = day 0:
    600 to 720; America/New_York is written as its Rails name."""
    import pyarrow as pa

    from demo_data.vendors.zendesk_support import SupportIds, schedule_rows

    contract = {
        "ticketing/schedules": pa.table(
            {
                "schedule_id": ["ny", "ny", "ny"],
                "time_zone": ["America/New_York"] * 3,
                "weekday": ["0", "0", "6"],
                "start_time": ["08:00", "09:00", "10:00"],
                "end_time": ["18:00", "17:00", "12:00"],
                "valid_from": ["2020-01-01", "2026-02-01", "2026-02-01"],
            }
        )
    }
    rows = schedule_rows(contract, SupportIds({"ny": 42}, 9_000_000), "2026-10-31T00:00:00Z")
    assert [(r["id"], r["start_time"], r["end_time"], r["time_zone"]) for r in rows] == [
        ("42", "1980", "2460", "Eastern Time (US & Canada)"),
        ("42", "600", "720", "Eastern Time (US & Canada)"),
    ]
