"""The DuckDB loader reads UTF-8 CSV files with DuckDB's own reader (ingest/csv_fast.py).
It must load exactly what the strict row-by-row path loads (``read_landing``: the strict
csv walk, then pyarrow), and refuse exactly what it refuses, with the same message, whatever
the bytes: spaces around quotes, stray and unclosed quotes, trailing separators, blank lines,
carriage returns, multi-line values."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.csv_fast import bytes_add_up, scan_file
from ingest.csv_format import CsvFormat
from ingest.landing import LandingError, load_landing, read_landing

MINI = Path(__file__).parent / "fixtures" / "mini"
HEADER = b"account_id,account_name,segment,country,created_at\n"
PIECES = ["A1", "x", "é", ",", ",", '"', '"', '""', "\n", "\r\n", "\r", " ", "\t", ",,,,"]
ROW = b'A1,"Acme ""Ltd""",smb,ES,2026-01-01\n'


def _strict(landing: Path) -> list[tuple] | str:
    """The strict path's rows of crm/accounts (without the load time), or its message."""
    try:
        tables, _ = read_landing(landing)
    except LandingError as exc:
        return str(exc)
    data = next(d for f, d in tables if f.table.qualified == "crm.accounts")
    data = data.drop_columns(["_loaded_at"])
    return [tuple(r.values()) for r in data.to_pylist()]


def _fast(landing: Path, db: Path) -> list[tuple] | str:
    try:
        result = load_landing(landing, db)
    except LandingError as exc:
        return str(exc)
    assert result.rows["crm.accounts"] >= 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select * exclude (_loaded_at) from raw_crm.accounts order by _source_row"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def base_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fast") / "landing"
    shutil.copytree(MINI, target)
    return target


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.lists(st.sampled_from(PIECES), min_size=1, max_size=24), good=st.booleans())
def test_the_fast_path_loads_and_refuses_what_the_strict_path_does(
    base_landing: Path, tmp_path_factory, body: list[str], good: bool
):
    folder = tmp_path_factory.mktemp("case")
    landing = folder / "landing"
    shutil.copytree(base_landing, landing)
    text = "".join(body).encode("utf-8")
    (landing / "crm" / "accounts.csv").write_bytes(HEADER + (ROW if good else b"") + text)
    assert _fast(landing, folder / "w.duckdb") == _strict(landing)


@pytest.mark.parametrize(
    "row",
    [
        b'A2,"Beta" ,smb,ES,2026-01-01\n',  # DuckDB would trim the space: refused as ever
        b'A2, "Beta",smb,ES,2026-01-01\n',  # kept as written: ' "Beta"'
        b'A2,"Be" "ta",smb,ES,2026-01-01\n',  # DuckDB would join the two pieces
        b"A2,Beta,smb,ES,2026-01-01,\n",  # a trailing separator is one field too many
        b'A2,Beta,smb,ES,"2026-01-01\r"""',  # an unclosed quote at the very end
        b"A2,Beta,smb,ES,2026-01-01\r\nA3,Gamma,smb,ES,2026-01-01\n",  # mixed line ends
    ],
    ids=["space-after-quote", "space-before-quote", "joined", "trailing-sep", "unclosed", "mixed"],
)
def test_what_duckdb_reads_leniently_gets_the_strict_answer(
    base_landing: Path, tmp_path: Path, row: bytes
):
    landing = tmp_path / "landing"
    shutil.copytree(base_landing, landing)
    (landing / "crm" / "accounts.csv").write_bytes(HEADER + ROW + row)
    assert _fast(landing, tmp_path / "w.duckdb") == _strict(landing)


def test_a_clean_folder_is_read_by_duckdb(base_landing: Path, tmp_path: Path):
    result = load_landing(base_landing, tmp_path / "w.duckdb")
    csv_files = [f for f in result.files if f.path.suffix == ".csv"]
    assert csv_files and all(f.read_by_duckdb for f in csv_files)


def test_the_scan_counts_after_the_header_across_chunks(tmp_path: Path):
    path = tmp_path / "f.csv"
    body = b'1,"a\nb",c\r\n' * 50 + b'2,"x" ,y\n'  # the spaced quote sits past chunk edges
    path.write_bytes(HEADER + body)
    for chunk in (7, 64, 1 << 20):
        scan = scan_file(path, CsvFormat(), chunk_bytes=chunk)
        assert scan.body_bytes == len(body)
        assert scan.line_feeds == body.count(b"\n")
        assert scan.carriage_returns == body.count(b"\r")
        assert scan.quotes == body.count(b'"')
        assert scan.spaced_quote
    path.write_bytes(HEADER + body[: -len(b'2,"x" ,y\n')])
    for chunk in (7, 64, 1 << 20):
        assert not scan_file(path, CsvFormat(), chunk_bytes=chunk).spaced_quote


def test_a_bad_row_is_named_before_a_later_files_bad_header(base_landing: Path, tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(base_landing, landing)
    (landing / "crm" / "accounts.csv").write_bytes(HEADER + ROW + b'A2,"never closed,smb\n')
    (landing / "crm" / "contacts.csv").write_bytes(b"nothing,useful\n")
    message = _fast(landing, tmp_path / "w.duckdb")
    assert "accounts.csv: line 3" in message
    assert message == _strict(landing)


def test_a_tab_beside_a_quote_is_found_at_every_chunk_edge(tmp_path: Path):
    path = tmp_path / "f.csv"
    clean = b'1,"a b",c\n' * 20  # spaces, but none beside a quote; no tab
    for spaced in (b'2,"x"\t,y\n', b'2,\t"x",y\n', b'2,"x",\t"y"\n'):
        path.write_bytes(HEADER + clean + spaced + clean)
        for chunk in (3, 7, 64, 1 << 20):
            assert scan_file(path, CsvFormat(), chunk_bytes=chunk).spaced_quote, (spaced, chunk)
    path.write_bytes(HEADER + clean + b'2,x\ty,"z"\n' + clean)  # a tab, not beside a quote
    for chunk in (3, 7, 64, 1 << 20):
        assert not scan_file(path, CsvFormat(), chunk_bytes=chunk).spaced_quote


def _csv_field(value: str | None) -> bytes:
    """A value as the strict reader takes it: quoted (quotes doubled) when it needs to be."""
    if value is None:
        return b""
    if any(ch in value for ch in ',"\r\n') or value == "":
        return b'"' + value.replace('"', '""').encode("utf-8") + b'"'
    return value.encode("utf-8")


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
def test_the_add_up_counts_line_breaks_and_quotes_inside_values(tmp_path: Path, line_end: bytes):
    rows = [
        ("A1", 'Acme "Ltd"', None, "ES", "multi\nline"),
        ("A2", "cr\r\nlf", "smb", None, 'a "" b'),
        ("A3", "é,ü", "", "x\ry", "plain"),
    ]
    names = ["account_id", "account_name", "segment", "country", "created_at"]
    body = b"".join(b",".join(_csv_field(v) for v in row) + line_end for row in rows)
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER.replace(b"\n", line_end) + body)
    scan = scan_file(path, CsvFormat())
    assert scan.body_bytes == len(body) and not scan.spaced_quote
    con = duckdb.connect()
    con.execute("create table t (" + ", ".join(f"{n} varchar" for n in names) + ")")
    con.executemany("insert into t values (?, ?, ?, ?, ?)", [list(r) for r in rows])
    assert bytes_add_up(con, "t", names, scan, CsvFormat())
    # a byte lost, a quote inside a value turned into another byte, a line break inside a value
    # lost, a row lost: each breaks the sums
    for change in (
        "update t set account_name = 'Acme \"Lt\"' where account_id = 'A1'",
        "update t set created_at = 'a x\" b' where account_id = 'A2'",
        "update t set created_at = 'multiline' where account_id = 'A1'",
        "delete from t where account_id = 'A3'",
    ):
        con.execute("begin")
        con.execute(change)
        assert not bytes_add_up(con, "t", names, scan, CsvFormat()), change
        con.execute("rollback")
