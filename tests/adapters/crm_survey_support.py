"""Helpers of the Salesforce, HubSpot and Qualtrics adapter tests: land vendor-shaped CSV
files in a DuckDB schema (typed as Fivetran lands them) and build one adapter over it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from demo_data.generator import generate
from demo_data.vendors import typed_values
from ingest.contract import TABLES
from ingest.contract import table as contract_table
from tests.dbt_helpers import REPO, query, run_dbt

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


# --------------------------------------------------------------------------------------------
# Several connectors of one vendor: the fixture landed in one schema per connector
# --------------------------------------------------------------------------------------------
def land_connectors(database: Path, vendor: str, names: list[str]) -> list[dict]:
    """Land the vendor's fixture in schema `<vendor>_<name>` per connector name; return the
    var `<vendor>_connectors` that reads them."""
    for name in names:
        land(database, f"{vendor}_{name}", FIXTURES / vendor)
    return [{"name": name, "schema": f"{vendor}_{name}"} for name in names]


def prefix_ids(row: tuple, id_positions: set[int], connector: str) -> tuple:
    """`row` with the values at `id_positions` prefixed `<connector>:` (None stays None)."""
    return tuple(
        f"{connector}:{v}" if i in id_positions and v is not None else v for i, v in enumerate(row)
    )


def assert_connectors_unioned(
    one: Path, several: Path, names: list[str], model: str, columns: list[str], ids: set[str]
) -> None:
    """`model` built over several connectors (each holding the same fixture) = the rows it
    gives over one connector, once per connector, with the `ids` columns prefixed
    `<connector>:` (so no key collides) and _batch_id `<connector>.<table>` (rows of other
    connectors than `names` are left out)."""
    single = rows(one, model, ", ".join([*columns, "_batch_id"]))
    assert single, model
    positions = {i for i, c in enumerate(columns) if c in ids}
    expected = sorted(
        (*prefix_ids(row[:-1], positions, name), f"{name}.{row[-1].split('.', 1)[1]}")
        for name in names
        for row in single
    )
    got = [
        row
        for row in rows(several, model, ", ".join([*columns, "_batch_id"]))
        if row[-1].split(".", 1)[0] in names
    ]
    assert sorted(got) == expected, model
    assert len(got) == len(names) * len(single), model


def assert_excluded_and_counted_per_connector(
    one: Path, several: Path, vendor: str, names: list[str]
) -> None:
    """<vendor>__excluded and <vendor>__row_counts over several connectors: every row of
    one connector once per connector, vendor_table `<connector>.<table>`, vendor_id
    prefixed `<connector>:`."""
    for model, columns, positions in (
        (f"{vendor}__excluded", "vendor_table, vendor_id, exclusion_reason", {1}),
        (f"{vendor}__row_counts", "vendor_table, contract_table, vendor_rows", set()),
    ):
        single = rows(one, model, columns)
        expected = sorted(
            (f"{name}.{row[0].split('.', 1)[1]}", *prefix_ids(row, positions, name)[1:])
            for name in names
            for row in single
        )
        got = [row for row in rows(several, model, columns) if row[0].split(".", 1)[0] in names]
        assert sorted(got) == expected, model


# --------------------------------------------------------------------------------------------
# Round trip: contract demo -> vendor writer -> DuckDB -> adapter -> contract rows again
# --------------------------------------------------------------------------------------------
# compared as staging reads them: codes and emails trimmed and lower-cased, countries
# upper-cased, timestamps as UTC instants, decimals as numbers, booleans as booleans
LOWER = {"segment", "order_type", "channel", "survey_kind", "touchpoint_code", "measure",
         "factor", "email", "respondent_email", "requester_email"}  # fmt: skip


def read_contract(landing: Path) -> dict[str, pa.Table]:
    """The contract demo's tables as `system/table` -> text columns (blank is null)."""
    out = {}
    for t in TABLES:
        path = landing / t.system / f"{t.name}.csv"
        options = pacsv.ConvertOptions(column_types=dict.fromkeys(t.column_names, pa.string()))
        out[f"{t.system}/{t.name}"] = pacsv.read_csv(path, convert_options=options)
    return out


def _normal(column: str, kind: str, value: object) -> object:
    raw = typed_values.text(value)
    if raw is None:
        return None
    if kind == "timestamp":
        return typed_values.timestamp(raw)
    if kind == "decimal":
        return Decimal(raw).normalize()
    if kind == "boolean":
        return typed_values.boolean(raw)
    if column in LOWER:
        return raw.lower()
    if column == "country":
        return raw.upper()
    return raw


def contract_rows(tables: dict[str, pa.Table], qualified: str, rename=None) -> Counter:
    """The contract table's rows, normalised, as a multiset; `rename(row)` may rewrite a
    row (dict) first (a documented difference, e.g. Qualtrics question keys)."""
    t = contract_table(qualified.replace("/", "."))
    out: Counter = Counter()
    for row in tables[qualified].to_pylist():
        if rename:
            row = rename(row)
        out[tuple(_normal(c.name, c.type, row[c.name]) for c in t.columns)] += 1
    return out


def adapter_rows(database: Path, model: str, qualified: str) -> Counter:
    """The adapter model's rows over the contract table's columns, normalised."""
    t = contract_table(qualified.replace("/", "."))
    found = query(database, f"select {', '.join(t.column_names)} from adapters.{model}")
    return Counter(
        tuple(_normal(c.name, c.type, v) for c, v in zip(t.columns, row, strict=True))
        for row in found
    )


def round_trip(
    tmp: Path, vendor: str, write, variables: dict, accounts: int = 250
) -> tuple[Path, dict[str, pa.Table]]:
    """Generate a small contract demo without planted bad rows, write it in the vendor's
    shape, land it and build the adapter; return the warehouse and the contract tables."""
    generate(tmp / "contract", accounts=accounts, seed=11, bad_row_share=0.0, months=6)
    contract = read_contract(tmp / "contract")
    paths = write(contract, tmp / "vendor")
    assert paths and all(p.parent == tmp / "vendor" / vendor for p in paths)
    database = tmp / "warehouse.duckdb"
    land(database, vendor, tmp / "vendor" / vendor)
    build_adapter(database, tmp, vendor, variables)
    return database, contract


# --------------------------------------------------------------------------------------------
# PostgreSQL: the same fixture in schemas named as Fivetran names them, the adapter built there
# --------------------------------------------------------------------------------------------
PG_TYPES = {"BOOLEAN": "boolean", "BIGINT": "bigint", "INTEGER": "bigint", "DOUBLE": "float8",
            "TIMESTAMP": "timestamp", "DATE": "date", "VARCHAR": "text"}  # fmt: skip


def land_postgres(settings, schema: str, folder: Path) -> None:
    """Load every CSV of `folder` into PostgreSQL `<schema>.<table>`, typed as DuckDB detects
    them (the same types as `land`)."""
    con = settings.connect()
    reader = duckdb.connect()
    try:
        with con.cursor() as cur:
            cur.execute(f"drop schema if exists {schema} cascade; create schema {schema}")
            for path in sorted(folder.glob("*.csv")):
                rel = reader.execute("select * from read_csv_auto(?)", [str(path)])
                names = [d[0] for d in rel.description]
                kinds = [PG_TYPES[str(d[1])] for d in rel.description]
                data = rel.fetchall()
                columns = ", ".join(f'"{n}" {k}' for n, k in zip(names, kinds, strict=True))
                cur.execute(f'create table {schema}."{path.stem}" ({columns})')
                if data:
                    marks = ", ".join(["%s"] * len(names))
                    cur.executemany(f'insert into {schema}."{path.stem}" values ({marks})', data)
        con.commit()
    finally:
        con.close()
        reader.close()


def build_adapter_postgres(settings, work: Path, vendor: str, variables: dict) -> None:
    """`build_adapter` on the PostgreSQL target, in a subprocess."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CXW_RAW_")},
        **settings.env(),
        "DBT_TARGET": "postgres",
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).parent / "dbt"), "build", "--target", "postgres",
        "--select", f"path:models/adapters/{vendor}", "path:seeds", "path:tests/dbt/adapters",
        "--indirect-selection", "cautious", "--vars", json.dumps(variables),
        "--target-path", str(work / "target-pg"), "--log-path", str(work / "logs-pg"),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1200, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"dbt build on postgres failed:\n{done.stdout[-4000:]}", pytrace=False)


def postgres_rows(settings, relation: str, columns: str) -> list[tuple]:
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(f"select {columns} from adapters.{relation}")
            found = cur.fetchall()
    finally:
        con.close()
    return sorted(found, key=lambda row: tuple((v is not None, str(v)) for v in row))


def normalised_rows(found: list[tuple], qualified: str) -> Counter:
    """Rows over the contract table's columns (in order), normalised as staging reads them."""
    t = contract_table(qualified.replace("/", "."))
    return Counter(
        tuple(_normal(c.name, c.type, v) for c, v in zip(t.columns, row, strict=True))
        for row in found
    )


# --------------------------------------------------------------------------------------------
# The checks every CRM and survey adapter test makes
# --------------------------------------------------------------------------------------------
def crm_models(vendor: str) -> list[tuple[str, str]]:
    """(contract table, adapter model) of a CRM adapter (invoices: empty)."""
    return [(f"crm/{t}", f"{vendor}__{t}") for t in ("accounts", "contacts", "orders")]


def assert_round_trip(
    database: Path, contract: dict[str, pa.Table], models: list[tuple], rename=None
) -> None:
    """Each adapter model of `models` ((contract table, model) or (contract table, model,
    rename)) holds the contract demo's rows (as staging reads them)."""
    for qualified, model, *how in models:
        expected = contract_rows(contract, qualified, how[0] if how else rename)
        assert sum(expected.values()) > 0, qualified
        assert adapter_rows(database, model, qualified) == expected, qualified


def assert_crm_writer_rows_excluded(database: Path, vendor: str) -> None:
    """The rows a CRM demo writer adds around the contract's (ids DEL-, LOST-, OPEN-) are all
    excluded, each with its reason, and no other row is."""
    reasons = dict(rows(database, f"{vendor}__excluded", "vendor_id, exclusion_reason"))
    why = {"DEL": "deleted", "LOST": "not_closed_won", "OPEN": "not_closed_won"}
    assert reasons
    assert all(reason == why[vendor_id.split("-")[0]] for vendor_id, reason in reasons.items())


def assert_same_rows_on_postgres(
    settings, warehouse: Path, work: Path, vendor: str, variables: dict, models: list[tuple]
) -> None:
    """The vendor's fixture in PostgreSQL schema `<vendor>` (as Fivetran names it): the
    adapter builds there, gives the rows it gives on DuckDB in `warehouse` (as staging reads
    them) for each (contract table, model) of `models`, and excludes the same rows."""
    land_postgres(settings, vendor, FIXTURES / vendor)
    build_adapter_postgres(settings, work, vendor, variables)
    for qualified, model in models:
        columns = ", ".join(contract_table(qualified.replace("/", ".")).column_names)
        assert normalised_rows(postgres_rows(settings, model, columns), qualified) == (
            normalised_rows(rows(warehouse, model, columns), qualified)
        ), model
    listed = "vendor_table, vendor_id, exclusion_reason"
    assert postgres_rows(settings, f"{vendor}__excluded", listed) == rows(
        warehouse, f"{vendor}__excluded", listed
    )


def assert_conserved(database: Path, vendor: str, models: list[tuple[str, str]]) -> None:
    """For each (vendor table, contract model) of `models`: the rows the vendor schema
    holds = the model's rows + the rows <vendor>__excluded lists, and <vendor>__row_counts
    counts them."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        for vendor_table, model in models:
            delivered = con.execute(f"select count(*) from {vendor}.{vendor_table}").fetchone()
            kept = con.execute(f"select count(*) from adapters.{model}").fetchone()
            excluded = con.execute(
                f"select count(*) from adapters.{vendor}__excluded where vendor_table = ?",
                [f"{vendor}.{vendor_table}"],
            ).fetchone()
            assert delivered[0] == kept[0] + excluded[0], vendor_table
            counted = con.execute(
                f"select vendor_rows from adapters.{vendor}__row_counts where vendor_table = ?",
                [f"{vendor}.{vendor_table}"],
            ).fetchone()
            assert counted == delivered, vendor_table
    finally:
        con.close()
