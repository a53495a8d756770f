"""The loader: a landing folder goes into the raw schemas whole, or not at all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from ingest.contract import TABLES
from ingest.landing import LandingError, load_landing, load_landing_into

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    target = tmp_path / "landing"
    shutil.copytree(MINI, target)
    return target


def _csv_rows(path: Path) -> int:
    return pacsv.read_csv(path).num_rows


def _raw(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_loads_every_table_with_all_rows_as_text(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    result = load_landing(landing, db)
    for t in TABLES:
        expected = _csv_rows(landing / t.system / f"{t.name}.csv")
        assert result.rows[t.qualified] == expected
        assert _raw(db, f"select count(*) from raw_{t.system}.{t.name}")[0][0] == expected
    types = _raw(
        db,
        "select distinct data_type from information_schema.columns "
        "where table_schema = 'raw_crm' and table_name = 'accounts' "
        "and column_name not like '\\_%' escape '\\'",
    )
    assert types == [("VARCHAR",)]


def test_keeps_extra_columns_and_lineage(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    result = load_landing(landing, db)
    accounts = next(f for f in result.files if f.table.qualified == "crm.accounts")
    assert accounts.extra_columns == ["crm_owner"]
    rows = _raw(
        db,
        "select account_id, crm_owner, _source_file, _source_row "
        "from raw_crm.accounts order by _source_row",
    )
    assert rows[0] == ("A1", "ana", "crm/accounts.csv", 1)
    # a blank field is NULL, not an empty string
    assert rows[4][0] is None


def test_loading_twice_does_not_duplicate(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    first = load_landing(landing, db)
    second = load_landing(landing, db)
    assert all(f.skipped for f in second.files)
    assert second.rows == first.rows
    assert _raw(db, "select count(*) from raw_survey.answers")[0][0] == first.rows["survey.answers"]


def test_changed_file_replaces_the_table(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    with (landing / "crm" / "accounts.csv").open("a") as fh:
        fh.write("A5,Epsilon,smb,ES,2025-06-01T00:00:00Z,\n")
    result = load_landing(landing, db)
    assert result.rows["crm.accounts"] == 7
    assert _raw(db, "select count(*) from raw_crm.accounts")[0][0] == 7


def test_parquet_files_load_like_csv(landing: Path, tmp_path: Path):
    csv = landing / "crm" / "invoices.csv"
    table = pacsv.read_csv(
        csv,
        convert_options=pacsv.ConvertOptions(
            column_types={"amount": pa.float64(), "is_disputed": pa.bool_()}
        ),
    )
    pq.write_table(table, landing / "crm" / "invoices.parquet")
    csv.unlink()
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    rows = _raw(
        db,
        "select invoice_id, amount, is_disputed, typeof(amount) "
        "from raw_crm.invoices where invoice_id in ('I1', 'I2') order by 1",
    )
    assert rows == [("I1", "60000", "false", "VARCHAR"), ("I2", "65000", "true", "VARCHAR")]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: (d / "crm" / "orders.csv").unlink(), "crm.orders: missing file"),
        (
            lambda d: (d / "crm" / "orders.csv").rename(d / "crm" / "orders.xlsx"),
            "unsupported extension",
        ),
        (
            lambda d: (d / "crm" / "orders.csv").write_text(
                "order_id,account_id,order_type,ordered_at,amount,currency,channel\n"
            ),
            "missing required column(s) contact_id",
        ),
        (
            lambda d: (d / "crm" / "orders.csv").write_text(
                "order_id,order_id,account_id,contact_id,order_type,ordered_at,amount,currency,"
                "channel\n"
            ),
            "duplicate column(s) in the header: order_id",
        ),
        (lambda d: (d / "crm" / "orders.csv").write_bytes(b""), "empty file"),
        (
            lambda d: (d / "crm" / "orders.csv").write_bytes(
                (d / "crm" / "orders.csv").read_bytes() + b"O9,A1,,new,2026-01-01,1,EUR,caf\xe9\n"
            ),
            "line 8 is not valid UTF-8",
        ),
        (lambda d: (d / "crm" / "orders.parquet").write_bytes(b"not parquet"), "both"),
    ],
    ids=[
        "missing-file",
        "wrong-extension",
        "missing-column",
        "duplicate-header",
        "empty",
        "bad-utf8",
        "two-formats",
    ],
)
def test_bad_folders_name_the_file_and_load_nothing(landing, tmp_path, mutate, message):
    db = tmp_path / "w.duckdb"
    mutate(landing)
    with pytest.raises(LandingError) as err:
        load_landing(landing, db)
    assert message in str(err.value)
    assert "orders" in str(err.value)
    # nothing was loaded: not even the good files
    tables = (
        _raw(
            db,
            "select count(*) from information_schema.tables "
            "where table_schema like 'raw\\_%' escape '\\' "
            "and table_schema != 'raw_meta'",
        )
        if db.exists()
        else [(0,)]
    )
    assert tables == [(0,)]


def test_a_bad_file_leaves_the_previous_load_intact(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    (landing / "survey" / "answers.csv").write_text("response_id,numeric_value\nR1,3\n")
    with pytest.raises(LandingError, match="question_id"):
        load_landing(landing, db)
    assert _raw(db, "select count(*) from raw_survey.answers")[0][0] == 11


def test_missing_folder_says_what_to_do(tmp_path: Path):
    with pytest.raises(LandingError, match="does not exist.*cxw generate"):
        load_landing(tmp_path / "nope", tmp_path / "w.duckdb")


def test_redelivery_latest_version_wins_and_history_keeps_every_delivery(
    landing: Path, tmp_path: Path
):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    load_landing(landing, db)  # the same files again: no new delivery, nothing duplicated
    accounts = landing / "crm" / "accounts.csv"
    accounts.write_text(accounts.read_text().replace("Acme Corp", "Acme Corporation"))
    load_landing(landing, db)  # a later export: A1 renamed

    assert _raw(db, "select count(*) from raw_crm.accounts")[0][0] == 6
    assert _raw(db, "select account_name from raw_crm.accounts where account_id = 'A1'") == [
        ("Acme Corporation",)
    ]
    history = _raw(
        db,
        "select account_name, batch_rows from (select account_id, account_name, "
        "count(*) over (partition by _batch_id) as batch_rows "
        "from raw_history.crm__accounts) where account_id = 'A1' order by account_name",
    )
    assert [h[0] for h in history] == ["Acme Corp", "Acme Corporation"]
    assert all(h[1] == 6 for h in history)  # both deliveries kept whole
    deliveries = _raw(
        db,
        "select table_name, count(*), count(distinct batch_id) from raw_meta.deliveries "
        "group by 1 order by 1",
    )
    assert ("crm.accounts", 2, 2) in deliveries
    assert ("crm.orders", 1, 1) in deliveries


# ------------------------------------------------------------------ delta deliveries
def _delta_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    """A delta delivery: only the given files (`system/table` -> CSV text)."""
    folder = tmp_path / "delta"
    for name, text in files.items():
        path = folder / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_delta_delivery_merges_by_key_and_keeps_the_rest(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    before = dict(_raw(db, "select account_id, account_name from raw_crm.accounts"))
    before_rows = _raw(db, "select count(*) from raw_crm.accounts")[0][0]
    delta = _delta_folder(
        tmp_path,
        {
            # A1 renamed (its key padded as exports do), A9 new; A3's two rows (a duplicate
            # key) are replaced by the one delivered now
            "crm/accounts": "account_id,account_name,segment,country,created_at\n"
            " A1 ,Acme Corporation,enterprise,ES,2025-01-10T09:00:00Z\n"
            "A9,Nueva SA,smb,ES,2026-01-01T00:00:00Z\n"
            "A3,Gamma,consumer,MX,2025-05-05\n",
            # composite key: R1/Q1 rescored, R1/Q9 new
            "survey/answers": "response_id,question_id,numeric_value,text_value\n"
            "R1,Q1,4,\nR1,Q9,,late comment\n",
        },
    )
    result = load_landing(delta, db, mode="delta")

    merged = {f.table.qualified: f for f in result.files}
    assert set(merged) == {"crm.accounts", "survey.answers"}  # the rest left as loaded
    assert merged["crm.accounts"].merged and merged["crm.accounts"].delivered == 3
    after = _raw(db, "select account_id, account_name, crm_owner from raw_crm.accounts")
    names = {}
    for key, name, _owner in after:
        names.setdefault((key or "").strip(), []).append(name)
    assert names["A1"] == ["Acme Corporation"]
    assert names["A9"] == ["Nueva SA"]
    assert names["A3"] == ["Gamma"]
    # every other account untouched, and its extra column kept
    for key, name in before.items():
        if key not in ("A1", "A3"):
            assert names[key or ""] == [name]
    assert len(after) == before_rows + 1 - 1  # one new key; A3's duplicate row gone
    assert merged["crm.accounts"].rows == len(after)
    owners = {k: o for k, _n, o in after}
    assert owners["A2"] == "luis" and owners["A9"] is None

    answers = dict(
        _raw(
            db,
            "select question_id, coalesce(numeric_value, text_value) from raw_survey.answers "
            "where response_id = 'R1'",
        )
    )
    assert answers["Q1"] == "4" and answers["Q9"] == "late comment"
    assert answers["Q2"] == "5"  # the rest of R1 stays
    assert (
        _raw(db, "select count(*) from raw_survey.answers")[0][0]
        == _csv_rows(landing / "survey" / "answers.csv") + 1
    )
    # other tables untouched, and the history holds the delta as delivered
    assert _raw(db, "select count(*) from raw_crm.orders")[0][0] == _csv_rows(
        landing / "crm" / "orders.csv"
    )
    deliveries = _raw(
        db,
        "select table_name, row_count from raw_meta.deliveries order by loaded_at, table_name",
    )
    assert ("crm.accounts", 3) in deliveries and ("survey.answers", 2) in deliveries
    assert (
        _raw(
            db,
            "select count(*) from raw_history.crm__accounts where account_name = 'Acme Corp'",
        )[0][0]
        == 1
    )


def _new_account_delta(tmp_path: Path) -> Path:
    header = "account_id,account_name,segment,country,created_at\n"
    return _delta_folder(tmp_path, {"crm/accounts": header + "A9,Nueva SA,smb,ES,2026-01-01\n"})


def test_the_same_delta_twice_changes_nothing(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    delta = _new_account_delta(tmp_path)
    load_landing(delta, db, mode="delta")
    table = "select * exclude (_loaded_at) from raw_crm.accounts order by all nulls first"
    first = _raw(db, table)
    again = load_landing(delta, db, mode="delta")
    assert [f.skipped for f in again.files] == [True]
    assert _raw(db, table) == first


def test_a_delta_cannot_start_a_warehouse(tmp_path: Path):
    delta = _delta_folder(
        tmp_path,
        {"crm/accounts": "account_id,account_name,segment,country,created_at\nA1,x,smb,ES,\n"},
    )
    with pytest.raises(LandingError, match=r"crm\.contacts: missing file"):
        load_landing(delta, tmp_path / "w.duckdb", mode="delta")
    assert not (tmp_path / "w.duckdb").exists() or _raw(
        tmp_path / "w.duckdb",
        "select count(*) from information_schema.tables where table_schema = 'raw_crm'",
    ) == [(0,)]


def test_full_mode_still_replaces_after_a_delta(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    load_landing(landing, db)
    delta = _new_account_delta(tmp_path)
    load_landing(delta, db, mode="delta")
    accounts = landing / "crm" / "accounts.csv"
    accounts.write_text(accounts.read_text() + "A8,Otra,smb,ES,2026-02-01,\n")
    load_landing(landing, db)  # a full export: A9 is no longer delivered, so it leaves
    keys = {k for (k,) in _raw(db, "select account_id from raw_crm.accounts")}
    assert "A9" not in keys and "A8" in keys


def test_unknown_delivery_mode_is_refused(landing: Path, tmp_path: Path):
    with pytest.raises(LandingError, match="unknown delivery mode 'append'.*full.*delta"):
        load_landing(landing, tmp_path / "w.duckdb", mode="append")


# ------------------------------------------------------------------ the command line
def _cxw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DBT_TARGET"))}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "-q", *args],
        cwd=Path(__file__).resolve().parents[1],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cxw_load_target_option_wins_over_dbt_target(landing: Path, tmp_path: Path):
    db = tmp_path / "w.duckdb"
    # DBT_TARGET names an engine that is not there: --target duckdb must not try to reach it
    env = {"DBT_TARGET": "postgres", "CXW_PG_PORT": "1", "CXW_DATA_DIR": str(tmp_path)}
    done = _cxw(
        "load", "--target", "duckdb", "--landing", str(landing), "--database", str(db), env=env
    )
    assert done.returncode == 0, done.stderr
    assert f"into {db} in" in done.stdout
    assert _raw(db, "select count(*) from raw_crm.accounts")[0][0] == 6

    # and without --target, DBT_TARGET is honoured (here: an unreachable PostgreSQL)
    done = _cxw("load", "--landing", str(landing), "--database", str(db), env=env)
    assert done.returncode == 2
    assert "cannot reach PostgreSQL at 127.0.0.1:1" in done.stderr


def test_cxw_load_a_delta_into_another_engine_says_how(landing: Path, tmp_path: Path):
    with pytest.raises(LandingError, match="delta deliveries are merged by the DuckDB loader"):
        load_landing_into("spark", landing, mode="delta")
    done = _cxw("load", "--target", "oracle", env={"CXW_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert "invalid choice: 'oracle'" in done.stderr


def test_cxw_build_takes_the_same_target_option(tmp_path: Path):
    # no DBT_TARGET: the option alone picks the engine (an unreachable PostgreSQL here)
    done = _cxw(
        "build", "--target", "postgres", env={"CXW_PG_PORT": "1", "CXW_DATA_DIR": str(tmp_path)}
    )
    assert done.returncode == 2
    assert "cannot reach PostgreSQL at 127.0.0.1:1 for the postgres target" in done.stderr
