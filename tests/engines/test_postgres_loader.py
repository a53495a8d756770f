"""The PostgreSQL raw loader (``ingest.landing.load_landing_into``) on the mini fixture:
raw columns are text plus lineage, and a bad landing folder loads nothing. (That every engine
builds the same tables from what it loaded is tests/engines/test_engines_agree.py.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.landing import LandingError, load_landing_into
from ingest.postgres_loader import PostgresSettings

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini"


@pytest.mark.postgres
def test_postgres_raw_tables_are_text_with_lineage(postgres_cluster: PostgresSettings):
    load_landing_into("postgres", MINI, postgres=postgres_cluster)
    con = postgres_cluster.connect()
    try:
        with con.cursor() as cur:
            cur.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw_crm' and table_name = 'accounts' "
                "order by ordinal_position"
            )
            columns = dict(cur.fetchall())
            cur.execute(
                "select account_id, crm_owner, _source_file, _source_row "
                "from raw_crm.accounts order by _source_row"
            )
            rows = cur.fetchall()
    finally:
        con.close()
    assert list(columns)[-4:] == ["_source_file", "_source_row", "_batch_id", "_loaded_at"]
    assert columns["_source_row"] == "bigint"
    assert columns["_loaded_at"] == "timestamp without time zone"
    assert {columns[c] for c in columns if not c.startswith("_")} == {"text"}
    assert rows[0] == ("A1", "ana", "crm/accounts.csv", 1)
    assert rows[4][0] is None  # a blank field is NULL, not ''


@pytest.mark.postgres
def test_postgres_bad_landing_loads_nothing(postgres_cluster: PostgresSettings, tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    (landing / "survey" / "answers.csv").write_text("response_id,numeric_value\nR1,3\n")
    with pytest.raises(LandingError, match="question_id"):
        load_landing_into("postgres", landing, postgres=postgres_cluster)
    con = postgres_cluster.connect()
    try:
        with con.cursor() as cur:
            cur.execute("select count(*) from raw_survey.answers")
            assert cur.fetchone()[0] == 11  # the previous load, intact
    finally:
        con.close()


@pytest.mark.postgres
def test_cxw_load_target_postgres(postgres_cluster: PostgresSettings, tmp_path: Path):
    """The one command line: `cxw load --target postgres` loads the raw schemas there."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DBT_TARGET"))},
        **postgres_cluster.env(),
        "CXW_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "-q", "load", "--target", "postgres"]
        + ["--landing", str(MINI)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"into {postgres_cluster.location}" in done.stdout
    con = postgres_cluster.connect()
    try:
        with con.cursor() as cur:
            cur.execute("select count(*) from raw_survey.answers")
            assert cur.fetchone()[0] == 11
            cur.execute("select row_count from raw_meta.loads where table_name = 'crm.accounts'")
            assert cur.fetchone()[0] == 6
    finally:
        con.close()
    assert not (tmp_path / "warehouse.duckdb").exists()  # nothing went to DuckDB


@pytest.mark.postgres
def test_postgres_lands_optional_tables_and_drops_them_when_left_out(
    postgres_cluster: PostgresSettings, tmp_path: Path
):
    """An optional table's file (ingest/contract.py OPTIONAL_TABLES) lands like a contract
    table; a later full delivery without it drops the raw table (dbt then reads it as absent)."""
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    (landing / "ticketing" / "holidays.csv").write_text(
        "schedule_id,holiday_date,name\nNY,2026-07-03,\nBER,2026-10-03,Unity day\n"
    )
    load_landing_into("postgres", landing, postgres=postgres_cluster)

    def holidays() -> list[tuple] | None:
        con = postgres_cluster.connect()
        try:
            with con.cursor() as cur:
                cur.execute("select to_regclass('raw_ticketing.holidays')")
                if cur.fetchone()[0] is None:
                    return None
                cur.execute(
                    "select schedule_id, holiday_date, name, _source_row "
                    "from raw_ticketing.holidays order by _source_row"
                )
                return cur.fetchall()
        finally:
            con.close()

    assert holidays() == [("NY", "2026-07-03", None, 1), ("BER", "2026-10-03", "Unity day", 2)]
    (landing / "ticketing" / "holidays.csv").unlink()
    load_landing_into("postgres", landing, postgres=postgres_cluster)
    assert holidays() is None
