"""The project's `duckdb__persist_docs` (macros/persist_docs.sql) writes the same COMMENTs as
dbt's own persist_docs, in one statement per relation.

A throwaway project (the profile `cx_warehouse`, DuckDB) with a table, a table whose contract is
enforced, a view and a seed: documented and undocumented columns, a documented column the
relation does not have, a quoted column name, a description holding quotes and a newline, a
model without a description and one with `persist_docs.relation` off. It is built twice, with
the project's macro and without it (dbt's default), and both databases must hold exactly the
comments a plain-Python reference computes from the YAML.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.dbt_helpers import release_duckdb

REPO = Path(__file__).resolve().parents[2]
MACRO = REPO / "macros" / "persist_docs.sql"

# model -> (materialization, contract enforced, SQL columns as (name, type), relation docs)
MODELS = {
    "plain_table": ("table", False, [("ticket_id", "varchar"), ("score", "integer")], True),
    "contracted": ("table", True, [("ticket_id", "varchar"), ("Mixed Case", "integer")], True),
    "plain_view": ("view", False, [("ticket_id", "varchar"), ("channel", "varchar")], True),
    "columns_only": ("table", False, [("ticket_id", "varchar")], False),
}
# model -> (description, {column: (description, quote)}); `missing` is not in plain_table
DOCS = {
    "plain_table": (
        'One row per ticket. It\'s a "fixture";\nsecond line.',
        {"ticket_id": ("The ticket's key.", False), "missing": ("Not built.", False)},
    ),
    "contracted": (
        "One row per ticket, contract enforced.",
        {"ticket_id": ("Key.", False), "Mixed Case": ("A quoted name, $1 and 'quotes'.", True)},
    ),
    "plain_view": ("", {"channel": ("The channel.", False), "ticket_id": ("", False)}),
    "columns_only": ("Not written: relation docs are off.", {"ticket_id": ("Key.", False)}),
}
SEED_DOCS = ("Codes and labels.", {"code": ("The code.", False)})
SEED_ROWS = "code,label\na,Alpha\nb,Beta\n"


def _quoted(name: str) -> str:
    return '"' + name + '"'


def write_project(root: Path, with_macro: bool) -> Path:
    project = root / ("with_macro" if with_macro else "dbt_default")
    (project / "models").mkdir(parents=True)
    (project / "seeds").mkdir()
    (project / "macros").mkdir()
    if with_macro:
        shutil.copy(MACRO, project / "macros" / MACRO.name)
    (project / "dbt_project.yml").write_text(
        "name: persist_docs_fixture\n"
        "version: '0.1.0'\n"
        "config-version: 2\n"
        "profile: cx_warehouse\n"
        "models:\n"
        "  persist_docs_fixture:\n"
        "    +persist_docs: {relation: true, columns: true}\n"
        "    columns_only:\n"
        "      +persist_docs: {relation: false, columns: true}\n"
        "seeds:\n"
        "  persist_docs_fixture:\n"
        "    +persist_docs: {relation: true, columns: true}\n"
    )
    models = []
    for name, (materialized, contract, columns, _) in MODELS.items():
        select = ", ".join(f"cast(null as {kind}) as {_quoted(col)}" for col, kind in columns)
        (project / "models" / f"{name}.sql").write_text(
            f"{{{{ config(materialized='{materialized}') }}}}\nselect {select}\n"
        )
        description, documented = DOCS[name]
        types = dict(columns)
        entry = {
            "name": name,
            "description": description,
            "config": {"contract": {"enforced": True}} if contract else {},
            "columns": [
                {
                    "name": col,
                    "description": text,
                    "quote": quote,
                    **({"data_type": types[col]} if contract else {}),
                }
                for col, (text, quote) in documented.items()
            ],
        }
        models.append(entry)
    seed = {
        "name": "codes",
        "description": SEED_DOCS[0],
        "columns": [{"name": c, "description": t} for c, (t, _) in SEED_DOCS[1].items()],
    }
    (project / "models" / "schema.yml").write_text(
        json.dumps({"version": 2, "models": models, "seeds": [seed]})  # JSON is YAML
    )
    (project / "seeds" / "codes.csv").write_text(SEED_ROWS)
    return project


def expected_comments() -> dict[tuple[str, str], str | None]:
    """Plain-Python reference: {(relation, column or ''): comment}, None where there is none."""
    out: dict[tuple[str, str], str | None] = {}
    relations = {
        name: ([c for c, _ in columns], relation_docs, DOCS[name])
        for name, (_, _, columns, relation_docs) in MODELS.items()
    }
    relations["codes"] = (["code", "label"], True, SEED_DOCS)
    for name, (columns, relation_docs, (description, documented)) in relations.items():
        out[(name, "")] = description if relation_docs and description else None
        for column in columns:
            out[(name, column)] = documented[column][0] if column in documented else None
    return out


def built_comments(database: Path) -> dict[tuple[str, str], str | None]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute(
            "select table_name, column_name, comment from duckdb_columns()"
            " where schema_name = 'main' and not internal"
            " union all select table_name, '', comment from duckdb_tables()"
            " where schema_name = 'main'"
            " union all select view_name, '', comment from duckdb_views()"
            " where schema_name = 'main' and not internal"
        ).fetchall()
    finally:
        con.close()
    return {(table, column): comment for table, column, comment in rows}


def build(project: Path, work: Path) -> tuple[Path, str]:
    """`dbt build` the project into its own database; returns it and dbt's debug log."""
    from dbt.cli.main import dbtRunner

    database = work / f"{project.name}.duckdb"
    logs = work / f"{project.name}_logs"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        mp.setenv("CXW_DUCKDB_PATH", str(database))
        mp.chdir(project)
        try:
            result = dbtRunner().invoke(
                [
                    "build", "--project-dir", str(project), "--profiles-dir", str(REPO),
                    "--target-path", str(work / f"{project.name}_target"),
                    "--log-path", str(logs), "--threads", "1", "--quiet",
                ]
            )  # fmt: skip
        finally:
            release_duckdb()
    if not result.success:
        pytest.fail(f"dbt build of {project.name} failed: {result.exception}")
    return database, (logs / "dbt.log").read_text()


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("persist_docs")
    return {
        "macro": build(write_project(work, with_macro=True), work),
        "default": build(write_project(work, with_macro=False), work),
    }


def test_reference_covers_each_case():
    """The reference itself: commented and uncommented relations and columns, and the
    documented column the relation lacks is not among the relation's columns."""
    expected = expected_comments()
    assert ("plain_table", "missing") not in expected
    assert expected[("plain_table", "ticket_id")] == "The ticket's key."
    assert expected[("plain_table", "score")] is None
    assert expected[("plain_view", "")] is None and expected[("columns_only", "")] is None
    assert expected[("plain_view", "ticket_id")] == ""
    assert expected[("contracted", "Mixed Case")].startswith("A quoted name")
    assert expected[("codes", "label")] is None and expected[("codes", "")] == SEED_DOCS[0]


@pytest.mark.parametrize("side", ["macro", "default"])
def test_comments_match_the_reference(builds, side):
    database, _ = builds[side]
    built = built_comments(database)
    expected = expected_comments()
    assert set(built) == set(expected)
    # DuckDB shows "no comment" as NULL; dbt's default writes '' for an empty description
    assert {k: v or None for k, v in built.items()} == {k: v or None for k, v in expected.items()}


def test_same_comments_as_dbt_default(builds):
    assert built_comments(builds["macro"][0]) == built_comments(builds["default"][0])


def statements(log: str, node: str) -> list[str]:
    """The SQL statements dbt's debug log shows for one node (`model.<project>.<name>`)."""
    entries = re.split(r"\n(?=(?:\x1b\[0m)?\d\d:\d\d:\d\d\.\d+ \[)", log)
    return [e for e in entries if f"On {node}: " in e]


def test_one_comment_statement_per_relation(builds):
    """With the macro, a relation's comments are one statement (dbt's default: two) and its
    columns are listed once (dbt's default: twice), not at all for the contract-enforced
    table."""
    counts = {}
    for side, (_, log) in builds.items():
        for name in ("plain_table", "contracted"):
            mine = statements(log, f"model.persist_docs_fixture.{name}")
            counts[side, name] = (
                sum("comment on" in s for s in mine),
                sum("(describe " in s for s in mine),
            )
    assert counts["default", "plain_table"] == (2, 2)
    assert counts["default", "contracted"] == (2, 2)
    assert counts["macro", "plain_table"] == (1, 1)
    assert counts["macro", "contracted"] == (1, 0)
