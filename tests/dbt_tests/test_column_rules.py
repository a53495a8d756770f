"""Golden tests of the generic test `column_rules` (macros/test_column_rules.sql) on DuckDB: it
passes on rows that keep every rule, and on rows that break them it fails (error rules) or warns
(warn rules), storing one failure row per broken (row, rule) that names the column, the rule,
the value and the row's key, exactly as a plain-Python reference computes them; the same for
the key (not null and unique, in the same query), other unique combinations and references
to a parent model.
PostgreSQL and Spark: tests/engines/test_column_rules_engines.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dbt_helpers import release_duckdb
from tests.dbt_tests.column_rules_project import (
    BAD_ROWS,
    KEYED_ROWS,
    RULES,
    WARN_RULES,
    expected_failures,
    expected_key_failures,
    run_fixture,
    write_project,
)


def check_outcome(statuses, stored) -> None:
    expected = expected_failures(BAD_ROWS, RULES)
    expected_warn = expected_failures(BAD_ROWS, WARN_RULES)
    assert len(expected) == 6 and len(expected_warn) == 1  # the fixture breaks what it means to
    assert statuses["good_rules"] == ("pass", 0)
    assert statuses["good_rules_warn"] == ("pass", 0)
    assert statuses["bad_rules"] == ("fail", len(expected))
    assert statuses["bad_rules_warn"] == ("warn", len(expected_warn))
    assert stored["bad_rules"] == expected
    assert stored["bad_rules_warn"] == expected_warn
    keyed = expected_key_failures(KEYED_ROWS, key_not_null=True)
    keyed_nullable = expected_key_failures(KEYED_ROWS, key_not_null=False)
    assert len(keyed) == 6 and len(keyed_nullable) == 4
    assert statuses["keyed_rules"] == ("fail", len(keyed))
    assert statuses["keyed_nullable_rules"] == ("fail", len(keyed_nullable))
    assert stored["keyed_rules"] == keyed
    assert stored["keyed_nullable_rules"] == keyed_nullable


@pytest.fixture(scope="module")
def duckdb_outcome(tmp_path_factory):
    work = tmp_path_factory.mktemp("column_rules")
    project = write_project(work)
    try:
        return run_fixture(project, work, {"CXW_DUCKDB_PATH": str(work / "fixture.duckdb")})
    finally:
        release_duckdb()


def test_column_rules_fails_on_broken_rows_duckdb(duckdb_outcome):
    check_outcome(*duckdb_outcome)


def test_reference_sees_each_broken_rule():
    """The reference itself: the fixture's bad rows break each rule where the comments say."""
    found = {(column, rule, key) for column, rule, _, key in expected_failures(BAD_ROWS, RULES)}
    assert found == {
        ("status", "not_null", "T2"),
        ("status", "accepted_values", "T3"),
        ("score", "within_range", "T3"),
        ("score", "within_range", "T4"),
        ("status", "accepted_values", "T5"),
        ("channel", "accepted_values", "T5"),
    }


def test_reference_sees_each_broken_key_rule():
    """The reference itself: the keyed rows break the key, the alternate key and the reference
    where the comments say; NULL key parts are duplicates only when NULLs may be keys."""
    assert expected_key_failures(KEYED_ROWS, key_not_null=True) == [
        ("code", "unique", "a", None),
        ("line", "not_null", None, "O3 | null"),
        ("line", "not_null", None, "O3 | null"),
        ("order_id", "not_null", None, "null | 1"),
        ("order_id, line", "unique", "O2 | 1", "O2 | 1"),
        ("ticket_id", "relationships", "T9", "O2 | 1"),
    ]
    assert expected_key_failures(KEYED_ROWS, key_not_null=False) == [
        ("code", "unique", "a", None),
        ("order_id, line", "unique", "O2 | 1", "O2 | 1"),
        ("order_id, line", "unique", "O3 | null", "O3 | null"),
        ("ticket_id", "relationships", "T9", "O2 | 1"),
    ]


def test_unknown_rule_is_a_compile_error(tmp_path: Path):
    """A misspelt rule must not pass silently as "no rule"."""
    from dbt.cli.main import dbtRunner

    from tests.dbt_tests.column_rules_project import REPO

    project = write_project(tmp_path)
    schema = project / "models" / "schema.yml"
    schema.write_text(schema.read_text().replace('"not_null": true', '"not_nul": true', 1))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CXW_DUCKDB_PATH", str(tmp_path / "fixture.duckdb"))
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        mp.chdir(project)
        result = dbtRunner().invoke(
            [
                "compile", "--project-dir", str(project), "--profiles-dir", str(REPO),
                "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
                "--quiet",
            ]
        )  # fmt: skip
    release_duckdb()
    assert not result.success
    assert "unknown rule `not_nul`" in str(result.exception)
