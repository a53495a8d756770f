"""Helpers of the Salesforce, HubSpot and Qualtrics adapter tests: land vendor-shaped CSV
files in a DuckDB schema (typed as Fivetran lands them) and build one adapter over it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.dbt_helpers import query, run_dbt

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vendors"


def land(database: Path, schema: str, folder: Path) -> list[str]:
    """Load every `<table>.csv|parquet` of `folder` into `<schema>.<table>`, typed by DuckDB's
    detection (timestamps, booleans, numbers: as a Fivetran destination holds them)."""
    con = duckdb.connect(str(database))
    loaded = []
    try:
        con.execute(f"create schema if not exists {schema}")
        for path in sorted([*folder.glob("*.csv"), *folder.glob("*.parquet")]):
            reader = "read_parquet" if path.suffix == ".parquet" else "read_csv_auto"
            con.execute(
                f'create or replace table {schema}."{path.stem}" as select * from {reader}(?)',
                [str(path)],
            )
            loaded.append(path.stem)
    finally:
        con.close()
    return loaded


def build_adapter(database: Path, work: Path, vendor: str, variables: dict) -> None:
    """Build the vendor's adapter models, the seeds and their tests."""
    run_dbt(
        database,
        work,
        "build",
        "--select",
        f"path:models/adapters/{vendor}",
        "path:seeds",
        "path:tests/dbt/adapters",
        "--indirect-selection",
        "cautious",
        "--vars",
        json.dumps(variables),
    )


def rows(database: Path, relation: str, columns: str) -> list[tuple]:
    """`columns` of `relation` in the adapters schema, sorted (None sorts first)."""
    found = query(database, f"select {columns} from adapters.{relation}")
    return sorted(found, key=lambda row: tuple((v is not None, str(v)) for v in row))
