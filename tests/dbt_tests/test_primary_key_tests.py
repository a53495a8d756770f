"""Every dbt model and seed has a primary-key test (README: "a primary-key unique + not_null
test"), in one of the project's forms:

* `column_rules` with `key_columns` (the key's not-null and uniqueness in the model's one test
  query, macros/test_column_rules.sql);
* `unique_combination_of_columns` (a composite key on its own);
* `unique` + `not_null` on one column.

The key's columns must be columns the model's YAML describes, so that a misspelt key is caught
here rather than as a failing query. Read from the YAML files, no dbt parse needed."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

# models without a key test of their own, and why
NO_KEY_TEST = {
    "zendesk__unmapped_values": "unioned into unmapped_vendor_values, whose key test covers it",
}


def yaml_entries() -> dict[str, dict]:
    """{name: YAML entry} of every model and seed described under models/ and seeds/."""
    entries = {}
    for path in sorted([*REPO.glob("models/**/*.yml"), *REPO.glob("seeds/**/*.yml")]):
        document = yaml.safe_load(path.read_text()) or {}
        for kind in ("models", "seeds"):
            for entry in document.get(kind) or []:
                entries[entry["name"]] = entry
    return entries


def _test_name(test) -> str:
    return test if isinstance(test, str) else next(iter(test))


def key_columns(entry: dict) -> list[str] | None:
    """The columns of the entry's primary-key test, or None when it has none."""
    for test in entry.get("data_tests") or []:
        if isinstance(test, str):
            continue
        ((name, body),) = test.items()
        arguments = (body or {}).get("arguments") or {}
        if name == "column_rules" and arguments.get("key_columns"):
            return list(arguments["key_columns"])
        if name == "unique_combination_of_columns":
            return list(arguments["combination_of_columns"])
    for column in entry.get("columns") or []:
        if {"unique", "not_null"} <= {_test_name(t) for t in column.get("data_tests") or []}:
            return [column["name"]]
    return None


def missing_key_tests(entries: dict[str, dict], names: set[str]) -> list[str]:
    problems = []
    for name in sorted(names):
        if name in NO_KEY_TEST:
            continue
        if name not in entries:
            problems.append(f"{name}: no YAML entry")
            continue
        key = key_columns(entries[name])
        if key is None:
            problems.append(f"{name}: no primary-key test")
            continue
        described = {column["name"] for column in entries[name].get("columns") or []}
        unknown = [column for column in key if column not in described]
        if unknown:
            problems.append(f"{name}: key column(s) {', '.join(unknown)} not described")
    return problems


def project_nodes() -> set[str]:
    models = {path.stem for path in REPO.glob("models/**/*.sql")}
    seeds = {path.stem for path in REPO.glob("seeds/**/*.csv")}
    return models | seeds


def test_every_model_and_seed_has_a_primary_key_test():
    names = project_nodes()
    assert len(names) > 100  # the walk found the project
    assert missing_key_tests(yaml_entries(), names) == []


def test_the_check_finds_a_missing_or_misspelt_key():
    """It can fail: a model whose key test is gone, or names a column the model lacks."""
    entries = yaml_entries()
    customers = dict(entries["customers"])
    assert key_columns(customers) == ["account_id"]
    customers["data_tests"] = [
        t for t in customers["data_tests"] if _test_name(t) != "column_rules"
    ]
    misspelt = dict(entries["ticket_metric_times"])
    (rules,) = [t for t in misspelt["data_tests"] if _test_name(t) == "column_rules"]
    arguments = dict(rules["column_rules"]["arguments"], key_columns=["ticket_id", "metrc"])
    misspelt["data_tests"] = [{"column_rules": {**rules["column_rules"], "arguments": arguments}}]
    broken = {**entries, "customers": customers, "ticket_metric_times": misspelt}
    assert missing_key_tests(broken, {"customers", "ticket_metric_times", "people"}) == [
        "customers: no primary-key test",
        "ticket_metric_times: key column(s) metrc not described",
    ]


def test_the_older_forms_count_as_key_tests():
    single = {"columns": [{"name": "id", "data_tests": ["unique", "not_null"]}]}
    composite = {
        "data_tests": [{"unique_combination_of_columns": {"arguments": {
            "combination_of_columns": ["a", "b"]}}}],
        "columns": [{"name": "a"}, {"name": "b"}],
    }  # fmt: skip
    only_unique = {"columns": [{"name": "id", "data_tests": ["unique"]}]}
    assert key_columns(single) == ["id"]
    assert key_columns(composite) == ["a", "b"]
    assert key_columns(only_unique) is None
