"""The Spark raw loader lands an optional table (ingest/contract.py OPTIONAL_TABLES) like a
contract table, and a later full delivery without it drops the raw table (dbt's
optional_source then reads it as absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.landing import load_landing_into
from ingest.spark_loader import SparkSettings, spark_session

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini"


@pytest.mark.spark
def test_spark_lands_an_optional_table_and_drops_it_when_left_out(
    spark_settings: SparkSettings, tmp_path: Path
):
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    (landing / "ticketing" / "holidays.csv").write_text(
        "schedule_id,holiday_date,name\nNY,2026-07-03,\nBER,2026-10-03,Unity day\n"
    )
    # One Spark session (one JVM) for both loads and both reads: the loader uses the session
    # active on its warehouse (ingest.spark_loader.spark_session) instead of starting its own.
    with spark_session(spark_settings) as session:
        first = load_landing_into("spark", landing, spark=spark_settings)
        assert first.rows["ticketing.holidays"] == 2
        rows = session.sql(
            "select schedule_id, holiday_date, name, _source_row "
            "from raw_ticketing.holidays order by _source_row"
        ).collect()
        assert [tuple(r) for r in rows] == [
            ("NY", "2026-07-03", None, 1),
            ("BER", "2026-10-03", "Unity day", 2),
        ]
        (landing / "ticketing" / "holidays.csv").unlink()
        load_landing_into("spark", landing, spark=spark_settings)
        tables = {r.tableName for r in session.sql("show tables in raw_ticketing").collect()}
    assert "holidays" not in tables and "tickets" in tables
