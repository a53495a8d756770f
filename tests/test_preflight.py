"""Pre-flight (issue 13, item 4): before the main job or a load starts, a landing folder that
is missing, separated by another delimiter, in another encoding or written with decimal
commas fails in seconds with one line naming the file and the fix; `--delimiter` and
`--encoding` load such files as they are, with the same rows as the comma-separated UTF-8
original."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest.csv_format import CsvFormat
from ingest.landing import LandingError, load_landing
from ingest.preflight import HEAD_BYTES, preflight, preflight_cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def cxw(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DBT_TARGET"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def export(tmp_path: Path, *, delimiter: str = ",", encoding: str = "utf-8", edit=None) -> Path:
    """The mini fixture as another tool would export it: every CSV re-written with
    ``delimiter`` and ``encoding``; ``edit(relative path, rows)`` may change rows first."""
    landing = tmp_path / f"landing-{abs(hash((delimiter, encoding, edit)))}"
    shutil.copytree(MINI, landing)
    for path in sorted(landing.rglob("*.csv")):
        rows = _rows(path)
        if edit:
            rows = edit(str(path.relative_to(landing)), rows)
        _write(path, rows, delimiter, encoding)
    return landing


def with_umlaut(name: str, rows: list[list[str]]) -> list[list[str]]:
    if name == "crm/accounts.csv":
        rows[1][1] = "Müller Straße GmbH"
    return rows


def decimal_commas(name: str, rows: list[list[str]]) -> list[list[str]]:
    if name == "crm/orders.csv":
        i = rows[0].index("amount")
        for r in rows[1:]:
            if r[i]:
                r[i] = r[i].replace(".", ",") if "." in r[i] else r[i] + ",50"
    return rows


def raw_rows(db: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            f"select * exclude (_loaded_at, _batch_id) from {table} order by _source_row"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture as it is (comma-separated UTF-8), loaded."""
    db = tmp_path_factory.mktemp("reference") / "w.duckdb"
    load_landing(MINI, db)
    return db


# ------------------------------------------------------------------ the missing folder
def test_a_missing_folder_fails_in_under_two_seconds_with_one_line(tmp_path: Path):
    started = time.perf_counter()
    result = cxw("run", "--landing", str(tmp_path / "nope"), env={"CXW_DATA_DIR": str(tmp_path)})
    seconds = time.perf_counter() - started
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr  # no progress line: Dagster never started
    assert lines[0].startswith(f"error: landing folder {tmp_path / 'nope'} does not exist")
    assert "--landing" in lines[0]
    assert seconds < 2, f"{seconds:.2f} s"


def test_a_missing_file_is_one_line_naming_it_and_how_many_more(tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    (landing / "crm" / "orders.csv").unlink()
    (landing / "survey" / "answers.csv").unlink()
    with pytest.raises(LandingError) as err:
        preflight(landing)
    message = str(err.value)
    assert "\n" not in message
    assert f"crm.orders: missing file {landing / 'crm' / 'orders'}.csv" in message
    assert "(and 1 more)" in message


# ------------------------------------------------------------------ delimiters
@pytest.mark.parametrize(
    ("delimiter", "name", "option"),
    [(";", "semicolons", "';'"), ("\t", "tabs", "tab"), ("|", "pipes", "'|'")],
    ids=["semicolon", "tab", "pipe"],
)
def test_another_delimiter_is_named_with_the_option_that_loads_it(
    tmp_path: Path, reference: Path, delimiter: str, name: str, option: str
):
    landing = export(tmp_path, delimiter=delimiter)
    db = tmp_path / "w.duckdb"
    result = cxw("load", "--landing", str(landing), "--database", str(db))
    assert result.returncode == 2
    [line] = error_lines(result)
    assert str(landing / "crm" / "accounts.csv") in line  # the first file checked
    assert f"separated by {name}, not commas" in line
    assert f"--delimiter {option}" in line
    assert not db.exists()  # nothing was written

    spelled = "tab" if delimiter == "\t" else delimiter
    result = cxw("load", "--landing", str(landing), "--database", str(db), "--delimiter", spelled)
    assert result.returncode == 0, result.stderr
    for table in ("raw_crm.accounts", "raw_crm.orders", "raw_survey.answers"):
        assert raw_rows(db, table) == raw_rows(reference, table), table


def test_a_file_that_breaks_the_named_delimiter_says_so(tmp_path: Path):
    landing = export(tmp_path, delimiter=";")
    _write(landing / "crm" / "orders.csv", _rows(MINI / "crm" / "orders.csv"), ",", "utf-8")
    with pytest.raises(LandingError) as err:
        preflight(landing, CsvFormat.parse(";"))
    message = str(err.value)
    assert str(landing / "crm" / "orders.csv") in message
    assert "separated by commas, not semicolons" in message
    assert "every landing CSV file needs the same separator" in message


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_another_encoding_is_named_with_the_option_that_loads_it(
    tmp_path: Path, reference: Path, encoding: str
):
    landing = export(tmp_path, encoding=encoding, edit=with_umlaut)
    db = tmp_path / "w.duckdb"
    result = cxw("load", "--landing", str(landing), "--database", str(db))
    assert result.returncode == 2
    [line] = error_lines(result)
    path = landing / "crm" / "accounts.csv"
    assert f"{path}: line 2 is not valid UTF-8 (byte 0xfc, 'ü' in Windows-1252" in line
    assert "--encoding cp1252" in line

    result = cxw("load", "--landing", str(landing), "--database", str(db), "--encoding", encoding)
    assert result.returncode == 0, result.stderr
    loaded = raw_rows(db, "raw_crm.accounts")
    expected = raw_rows(reference, "raw_crm.accounts")
    assert loaded[0][1] == "Müller Straße GmbH"
    assert loaded[1:] == expected[1:]
    assert raw_rows(db, "raw_ticketing.tickets") == raw_rows(reference, "raw_ticketing.tickets")


def test_a_bad_byte_after_the_sniffed_head_is_named_by_the_loader(tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    header = "account_id,account_name,segment,country,created_at\n"
    good = "".join(f"A{i},Name {i},smb,ES,2026-01-01\n" for i in range(HEAD_BYTES // 20))
    body = (header + good).encode() + "A9,Jürgen,smb,ES,2026-01-01\n".encode("cp1252")
    (landing / "crm" / "accounts.csv").write_bytes(body)
    preflight(landing)  # the head is fine
    line = header.count("\n") + good.count("\n") + 1
    with pytest.raises(LandingError) as err:
        load_landing(landing, tmp_path / "w.duckdb")
    message = str(err.value)
    assert f"accounts.csv: line {line} is not valid UTF-8 (byte 0xfc" in message
    assert "--encoding cp1252" in message


def test_a_utf16_file_is_named_as_such(tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(MINI, landing)
    path = landing / "crm" / "orders.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(LandingError) as err:
        preflight(landing)
    assert str(err.value) == (
        f"{path}: the file is UTF-16 (it starts with its byte-order mark); re-export it as UTF-8"
    )


def test_unusable_options_are_one_line(tmp_path: Path):
    result = cxw("load", "--landing", str(MINI), "--encoding", "klingon")
    assert result.returncode == 2
    assert error_lines(result) == [
        "error: --encoding 'klingon' is not an encoding Python knows: use e.g. utf-8, cp1252 "
        "or latin-1"
    ]
    result = cxw("load", "--landing", str(MINI), "--delimiter", "ab")
    assert result.returncode == 2
    assert "--delimiter 'ab' is not one character" in error_lines(result)[0]


# ------------------------------------------------------------------ decimal commas
def test_decimal_commas_are_named_with_the_fix(tmp_path: Path):
    landing = export(tmp_path, delimiter=";", edit=decimal_commas)
    result = cxw(
        "load", "--landing", str(landing), "--database", str(tmp_path / "w.db"), "--delimiter", ";"
    )
    assert result.returncode == 2
    [line] = error_lines(result)
    assert str(landing / "crm" / "orders.csv") in line
    assert "column amount is written with decimal commas (e.g. '60000,00' on line 2" in line
    assert "re-export the file with a decimal point" in line


def test_a_stray_decimal_comma_is_left_to_the_quarantine(tmp_path: Path):
    def one_comma(name: str, rows: list[list[str]]) -> list[list[str]]:
        if name == "crm/orders.csv":
            rows[1][rows[0].index("amount")] = "12,50"
        return rows

    landing = export(tmp_path, delimiter=";", edit=one_comma)
    preflight(landing, CsvFormat.parse(";"))  # one in six: a bad row, not a bad export


# ------------------------------------------------------------------ into the Dagster run
def test_the_options_reach_the_loader_through_the_environment(
    tmp_path: Path, reference: Path, monkeypatch: pytest.MonkeyPatch
):
    """`cxw run` exports the format; the load step (orchestration/assets/raw.py calls
    load_landing without a format) reads it from there."""
    # recorded as unset, so that they are removed again after the test
    monkeypatch.setenv("CXW_CSV_DELIMITER", "")
    monkeypatch.setenv("CXW_CSV_ENCODING", "")
    landing = export(tmp_path, delimiter="\t", encoding="cp1252", edit=with_umlaut)
    preflight_cli(landing, "tab", "cp1252")
    assert os.environ["CXW_CSV_DELIMITER"] == "\t"
    assert os.environ["CXW_CSV_ENCODING"] == "cp1252"
    result = load_landing(landing, tmp_path / "w.duckdb")
    assert result.rows == load_landing(MINI, tmp_path / "again.duckdb", csv_format=CsvFormat()).rows
    assert raw_rows(tmp_path / "w.duckdb", "raw_crm.accounts")[0][1] == "Müller Straße GmbH"


def test_run_stops_before_dagster_on_a_bad_export(tmp_path: Path):
    landing = export(tmp_path, delimiter=";")
    started = time.perf_counter()
    result = cxw("run", "--landing", str(landing), env={"CXW_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "loading the Dagster definitions" not in result.stderr
    [line] = error_lines(result)
    assert "--delimiter ';'" in line
    assert time.perf_counter() - started < 10
