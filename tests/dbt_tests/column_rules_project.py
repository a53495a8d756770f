"""A throwaway dbt project that runs the generic test `column_rules` (macros/test_column_rules.sql)
on small fixture models, and a plain-Python reference of what the test must return.

The project holds only the macro under test and three models written from Python rows: `good`
(breaks no rule) and `bad` (a NULL, a value outside the accepted ones and values outside the
range, in several rows), both keyed by ticket_id; and `keyed` (a composite key with a
duplicate and NULL parts, a duplicated alternate key, a value missing from its parent `good`).
It uses the repository's profile `cx_warehouse`, so the engine is the one DBT_TARGET and the
CXW_* variables name (DuckDB by default).
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MACRO = REPO / "macros" / "test_column_rules.sql"

COLUMNS = ("ticket_id", "status", "score", "channel")
# (ticket_id, status, score, channel); the rules below: status not null and in (open, solved),
# score in [0, 10], channel in (email, chat) and, as a warning, not null.
GOOD_ROWS = [
    ("T1", "open", 0, "email"),
    ("T2", "solved", 10, "chat"),
    ("T3", "solved", None, "chat"),  # NULL score: only not_null would catch it, and it is not asked
]
BAD_ROWS = [
    ("T1", "open", 5, "email"),  # fine
    ("T2", None, 3, "chat"),  # status NULL
    ("T3", "pending", 11, "email"),  # status not accepted, score above the range
    ("T4", "solved", -1, None),  # score below the range; channel NULL (warn rule)
    ("T5", "it's", 4, "fax"),  # a quote in a value; channel not accepted
]
RULES = [
    {"column": "status", "not_null": True, "accepted_values": ["open", "solved"]},
    {"column": "score", "min_value": 0, "max_value": 10},
    {"column": "channel", "accepted_values": ["email", "chat"]},
]
WARN_RULES = [{"column": "channel", "not_null": True}]

KEYED_COLUMNS = ("order_id", "line", "ticket_id", "code")
# (order_id, line, ticket_id, code); key (order_id, line), code unique where line is not null,
# ticket_id references good.ticket_id
KEYED_ROWS = [
    ("O1", 1, "T1", "a"),  # fine
    ("O1", 2, "T2", "b"),  # fine
    ("O2", 1, "T9", "c"),  # T9 is not a ticket of `good`
    ("O2", 1, None, "d"),  # the key O2 | 1 again; a NULL reference is not checked
    ("O3", None, "T3", "e"),  # a NULL key part
    ("O3", None, "T3", "f"),  # the same NULL key part: a duplicate only when NULLs may be keys
    (None, 1, "T1", "a"),  # a NULL key part; code `a` again (line not null)
]
KEY_COLUMNS = ["order_id", "line"]
KEYED_RULES = [
    {"column": "ticket_id", "relationships": {"to": "ref('good')", "field": "ticket_id"}},
]
UNIQUE_KEYS = [{"columns": ["code"], "where": "line is not null"}]


def expected_failures(rows, rules) -> list[tuple[str, str, str | None, str]]:
    """Plain-Python reference: (column_name, rule_name, failing_value, row_key) per failure."""
    out = []
    for row in rows:
        record = dict(zip(COLUMNS, row, strict=True))
        for rule in rules:
            column = rule["column"]
            value = record[column]
            shown = None if value is None else str(value)
            if rule.get("not_null") and value is None:
                out.append((column, "not_null", shown, record["ticket_id"]))
            accepted = rule.get("accepted_values")
            if accepted is not None and value is not None and value not in accepted:
                out.append((column, "accepted_values", shown, record["ticket_id"]))
            low, high = rule.get("min_value"), rule.get("max_value")
            if value is not None and (
                (low is not None and value < low) or (high is not None and value > high)
            ):
                out.append((column, "within_range", shown, record["ticket_id"]))
    return sorted(out, key=lambda r: tuple("" if v is None else v for v in r))


def _key_text(values) -> str | None:
    """A key as the test shows it: one column as text; several joined by " | ", NULL as null."""
    if len(values) == 1:
        return None if values[0] is None else str(values[0])
    return " | ".join("null" if v is None else str(v) for v in values)


def expected_key_failures(rows, key_not_null: bool) -> list[tuple[str, str, str | None, str]]:
    """Plain-Python reference of `keyed`'s test: (column_name, rule_name, failing_value,
    row_key) for the key's not-null and uniqueness, KEYED_RULES and UNIQUE_KEYS."""
    from collections import Counter

    records = [dict(zip(KEYED_COLUMNS, row, strict=True)) for row in rows]
    parent = {row[0] for row in GOOD_ROWS}
    out = []
    for record in records:
        key = _key_text([record[c] for c in KEY_COLUMNS])
        if key_not_null:
            for column in KEY_COLUMNS:
                if record[column] is None:
                    out.append((column, "not_null", None, key))
        if record["ticket_id"] is not None and record["ticket_id"] not in parent:
            out.append(("ticket_id", "relationships", record["ticket_id"], key))
    keys = Counter(
        tuple(record[c] for c in KEY_COLUMNS)
        for record in records
        if not key_not_null or all(record[c] is not None for c in KEY_COLUMNS)
    )
    for key, count in keys.items():
        if count > 1:
            out.append((", ".join(KEY_COLUMNS), "unique", _key_text(key), _key_text(key)))
    codes = Counter(record["code"] for record in records if record["line"] is not None)
    out += [("code", "unique", code, None) for code, count in codes.items() if count > 1]
    return sorted(out, key=lambda r: tuple("" if v is None else v for v in r))


def _literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def model_sql(rows, columns=COLUMNS) -> str:
    """The rows as a portable select (explicit types, so that NULL columns are typed)."""
    integers = {"score", "line"}
    selects = []
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            kind = "integer" if column in integers else "{{ dbt.type_string() }}"
            cells.append(f"cast({_literal(value)} as {kind}) as {column}")
        selects.append("select " + ", ".join(cells))
    return "\n" + "\nunion all\n".join(selects) + "\n"


def _yaml_rules(rules) -> str:
    import json

    return json.dumps(rules)  # JSON is YAML


def write_project(root: Path) -> Path:
    """Write the fixture project under `root`; returns its directory."""
    project = root / "column_rules_fixture"
    (project / "models").mkdir(parents=True)
    (project / "macros").mkdir()
    shutil.copy(MACRO, project / "macros" / MACRO.name)
    (project / "dbt_project.yml").write_text(
        "name: column_rules_fixture\n"
        "version: '0.1.0'\n"
        "config-version: 2\n"
        "profile: cx_warehouse\n"
        "models:\n"
        "  column_rules_fixture:\n"
        "    +materialized: table\n"
        "data_tests:\n"
        "  column_rules_fixture:\n"
        "    +store_failures: true\n"
        "    +schema: test_failures\n"
    )
    (project / "models" / "good.sql").write_text(model_sql(GOOD_ROWS))
    (project / "models" / "bad.sql").write_text(model_sql(BAD_ROWS))
    (project / "models" / "keyed.sql").write_text(model_sql(KEYED_ROWS, KEYED_COLUMNS))
    tests = []
    for model in ("good", "bad"):
        tests.append(
            f"  - name: {model}\n"
            f"    data_tests:\n"
            f"      - column_rules:\n"
            f"          name: {model}_rules\n"
            f"          arguments:\n"
            f"            key_columns: [ticket_id]\n"
            f"            rules: {_yaml_rules(RULES)}\n"
            f"      - column_rules:\n"
            f"          name: {model}_rules_warn\n"
            f"          arguments:\n"
            f"            key_column: ticket_id\n"
            f"            rules: {_yaml_rules(WARN_RULES)}\n"
            f"          config:\n"
            f"            severity: warn\n"
        )
    keyed_tests = "".join(
        f"      - column_rules:\n"
        f"          name: {name}\n"
        f"          arguments:\n"
        f"            key_columns: {_yaml_rules(KEY_COLUMNS)}\n"
        f"            key_not_null: {_yaml_rules(key_not_null)}\n"
        f"            unique_keys: {_yaml_rules(UNIQUE_KEYS)}\n"
        f"            rules: {_yaml_rules(KEYED_RULES)}\n"
        for name, key_not_null in (("keyed_rules", True), ("keyed_nullable_rules", False))
    )
    tests.append(f"  - name: keyed\n    data_tests:\n{keyed_tests}")
    (project / "models" / "schema.yml").write_text("version: 2\nmodels:\n" + "".join(tests))
    return project


def run_fixture(project: Path, work: Path, env: dict[str, str]):
    """`dbt build` the fixture project, then read the stored failures of the `bad` tests.

    Returns ({test name: (status, failures)}, {test name: sorted failure rows})."""
    import pytest
    from dbt.cli.main import dbtRunner

    common = [
        "--project-dir", str(project),
        "--profiles-dir", str(REPO),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
        "--quiet",
    ]  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        for key, value in env.items():
            mp.setenv(key, value)
        mp.chdir(project)
        build = dbtRunner().invoke(["build", *common])
        if build.exception is not None:
            pytest.fail(f"dbt build of the fixture project failed: {build.exception}")
        statuses = {
            r.node.name: (str(r.status), r.failures)
            for r in build.result.results
            if r.node.resource_type == "test"
        }
        stored = {}
        for name in ("bad_rules", "bad_rules_warn", "keyed_rules", "keyed_nullable_rules"):
            relation = next(
                r.node.relation_name for r in build.result.results if r.node.name == name
            )
            shown = dbtRunner().invoke(
                [
                    "show", "--inline",
                    f"select column_name, rule_name, failing_value, row_key from {relation}",
                    "--limit", "100", *common,
                ]
            )  # fmt: skip
            if not shown.success:
                pytest.fail(f"reading the stored failures of {name} failed: {shown.exception}")
            table = shown.result.results[0].agate_table
            stored[name] = sorted(
                (tuple(None if v is None else str(v) for v in row) for row in table.rows),
                key=lambda r: tuple("" if v is None else v for v in r),
            )
    return statuses, stored


if __name__ == "__main__":  # a child process for the engine tests: one JVM per Spark run
    import json
    import os
    import sys

    work_dir = Path(sys.argv[1])
    outcome = run_fixture(write_project(work_dir), work_dir, dict(os.environ))
    print(json.dumps({"statuses": outcome[0], "stored": outcome[1]}))
