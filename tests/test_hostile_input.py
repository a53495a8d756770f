"""Hostile landing files: the loader gives a clear error that names the file, or loads every
row exactly as written. Never a crash without a message, never a lost or altered row."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.landing import LandingError, load_landing

MINI = Path(__file__).parent / "fixtures" / "mini"
ACCOUNT_COLUMNS = ["account_id", "account_name", "segment", "country", "created_at"]

NASTY = st.sampled_from(
    [
        '=HYPERLINK("http://evil.test","click")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "'; drop table raw_crm.accounts; --",
        "Robert'); DROP TABLE students;--",
        'say "hi", then leave',
        "line one\nline two",
        "tab\tseparated",
        "NA",
        "null",
        "n/a",
        "  padded  ",
        "<script>alert(1)</script>",
        "ñandú 北京 🙂",
        "x" * 100_000,
    ]
)
TEXT = st.one_of(
    NASTY,
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
        min_size=1,
        max_size=40,
    ),
)


def _write(folder: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(ACCOUNT_COLUMNS)
    writer.writerows(rows)
    (folder / "crm" / "accounts.csv").write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def base_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("hostile") / "landing"
    shutil.copytree(MINI, target)
    return target


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(TEXT, min_size=1, max_size=8))
def test_any_text_in_a_well_quoted_file_loads_exactly(base_landing: Path, tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("case")
    landing = folder / "landing"
    shutil.copytree(base_landing, landing)
    rows = [[f"A{i}", name, "smb", "ES", "2026-01-01T00:00:00Z"] for i, name in enumerate(names)]
    _write(landing, rows)
    db = folder / "w.duckdb"
    result = load_landing(landing, db)
    assert result.rows["crm.accounts"] == len(rows)
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = con.execute(
            "select account_name from raw_crm.accounts order by _source_row"
        ).fetchall()
    finally:
        con.close()
    # every value is kept exactly, formula and SQL text included (it is only ever data)
    assert [r[0] for r in loaded] == names


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    good=st.lists(st.sampled_from(["Acme", "Beta", "x"]), min_size=0, max_size=5),
    damage=st.sampled_from(
        [
            b'A9,"unterminated,smb,ES,2026-01-01\n',
            b'A9,"stray"quote,smb,ES,2026-01-01\n',
            b"A9,too,many,fields,here,2026-01-01\n",
            b"A9,short\n",
            b"A9,caf\xe9,smb,ES,2026-01-01\n",
            b"A9,\xff\xfe,smb,ES,2026-01-01\n",
        ]
    ),
)
def test_broken_lines_are_refused_with_file_and_line(
    base_landing: Path, tmp_path_factory, good, damage
):
    folder = tmp_path_factory.mktemp("case")
    landing = folder / "landing"
    shutil.copytree(base_landing, landing)
    rows = [[f"A{i}", name, "smb", "ES", "2026-01-01T00:00:00Z"] for i, name in enumerate(good)]
    _write(landing, rows)
    path = landing / "crm" / "accounts.csv"
    path.write_bytes(path.read_bytes() + damage)
    with pytest.raises(LandingError) as err:
        load_landing(landing, folder / "w.duckdb")
    message = str(err.value)
    assert str(path) in message
    assert f"line {len(good) + 2}" in message, message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"", "empty file"),
        (b"\n", "empty file"),
        (b"account_id,account_name,account_name,segment,country,created_at\n", "duplicate column"),
        (b"A1,Acme,smb,ES,2026-01-01\n", "missing required column"),
        (b"account_id,,segment,country,created_at,account_name\n", "have no name"),
        (b"account_id,account_name,segment,country,created_at,_source_row\n", "reserved"),
    ],
    ids=["empty", "blank-line", "duplicate-header", "no-header", "unnamed-column", "reserved"],
)
def test_bad_headers_are_refused(base_landing: Path, tmp_path: Path, header: bytes, message: str):
    landing = tmp_path / "landing"
    shutil.copytree(base_landing, landing)
    (landing / "crm" / "accounts.csv").write_bytes(header)
    with pytest.raises(LandingError, match=message):
        load_landing(landing, tmp_path / "w.duckdb")


def test_a_byte_order_mark_and_windows_line_endings_are_fine(base_landing: Path, tmp_path: Path):
    landing = tmp_path / "landing"
    shutil.copytree(base_landing, landing)
    content = "\ufeff" + ",".join(ACCOUNT_COLUMNS) + "\r\nA1,Acme,smb,ES,2026-01-01\r\n"
    (landing / "crm" / "accounts.csv").write_bytes(content.encode("utf-8"))
    result = load_landing(landing, tmp_path / "w.duckdb")
    assert result.rows["crm.accounts"] == 1
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert con.execute("select account_id, created_at from raw_crm.accounts").fetchall() == [
            ("A1", "2026-01-01")
        ]
    finally:
        con.close()


# ------------------------------------------------------------------ fields of any size
@pytest.mark.parametrize(
    "size",
    [131_073, 5_000_000, 20_000_000],
    ids=["over-the-csv-limit", "5MB", "over-the-read-block"],
)
def test_a_field_of_any_size_up_to_the_file_loads_exactly(
    base_landing: Path, tmp_path: Path, size: int
):
    landing = tmp_path / "landing"
    shutil.copytree(base_landing, landing)
    # quotes, separators, line breaks and multi-byte text inside the one huge field
    unit = 'ñ"a,b\nc 北京 '
    huge = (unit * (size // len(unit) + 1))[:size]
    rows = [
        ["A1", "Acme", "smb", "ES", "2026-01-01T00:00:00Z"],
        ["A2", huge, "smb", "ES", "2026-01-01T00:00:00Z"],
        ["A3", "Gamma", "smb", "ES", "2026-01-01T00:00:00Z"],
    ]
    _write(landing, rows)
    db = tmp_path / "w.duckdb"
    assert load_landing(landing, db).rows["crm.accounts"] == 3
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = con.execute(
            "select account_id, account_name from raw_crm.accounts order by _source_row"
        ).fetchall()
    finally:
        con.close()
    assert [r[0] for r in loaded] == ["A1", "A2", "A3"]
    assert loaded[1][1] == huge
    assert [loaded[0][1], loaded[2][1]] == ["Acme", "Gamma"]


def test_an_unclosed_quote_before_a_large_tail_names_the_line_it_opens(
    base_landing: Path, tmp_path: Path
):
    landing = tmp_path / "landing"
    shutil.copytree(base_landing, landing)
    good = [[f"A{i}", f"Name {i}", "smb", "ES", "2026-01-01T00:00:00Z"] for i in range(40_000)]
    _write(landing, good[:10])
    path = landing / "crm" / "accounts.csv"
    tail = "".join(f"{','.join(r)}\n" for r in good[10:])  # ~1.5 MB after the bad quote
    path.write_text(path.read_text() + 'A99,"never closed,smb,ES,2026-01-01\n' + tail)
    with pytest.raises(LandingError) as err:
        load_landing(landing, tmp_path / "w.duckdb")
    message = str(err.value)
    assert str(path) in message
    assert "line 12 is not well-formed CSV" in message  # header + 10 rows, then the bad one
    assert "opened on line 12 is never closed" in message
