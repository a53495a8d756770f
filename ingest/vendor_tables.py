"""Vendor-shaped landing folders: the tables of Zendesk, Salesforce, HubSpot and Qualtrics as
Fivetran lands them, loaded into vendor-named raw schemas for the dbt adapters
(models/adapters/, docs/sources.md).

A landing folder may hold, beside or instead of a contract system's folder, a vendor's folder
``<landing>/<vendor>/<vendor table>.csv`` (or ``.parquet``). Its files are loaded into DuckDB
schema ``<vendor>`` (``zendesk.ticket``, ``zendesk.ticket_comment`` ...), typed as Fivetran
lands them (ids bigint, timestamps, booleans; other columns, custom fields included, text).
Which system reads which source is a setting (``CXW_<SYSTEM>_SOURCE``); left unset, a system
whose contract folder is absent reads the vendor whose folder is present.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.contract import FILE_FORMATS, SYSTEMS
from ingest.errors import LandingError
from lib.settings import SOURCE_VARIABLE

if TYPE_CHECKING:  # duckdb and pyarrow load lazily: the file checks run before them
    import duckdb
    import pyarrow as pa

# The contract system each vendor feeds.
SYSTEM_OF: dict[str, str] = {
    "zendesk": "ticketing",
    "salesforce": "crm",
    "hubspot": "crm",
    "qualtrics": "survey",
}

_B, _TS, _BOOL, _F = "bigint", "timestamp", "boolean", "double"
_SYNC = {"_fivetran_synced": _TS, "_fivetran_deleted": _BOOL}

# Typed columns per vendor table (Fivetran's types); a column not listed is landed as text.
# Vendor helpers add their vendors' tables here.
COLUMN_TYPES: dict[str, dict[str, dict[str, str]]] = {
    "zendesk": {
        "ticket": {
            "id": _B, "created_at": _TS, "updated_at": _TS, "due_at": _TS,
            "requester_id": _B, "submitter_id": _B, "assignee_id": _B, "group_id": _B,
            "organization_id": _B, "brand_id": _B, "ticket_form_id": _B, "problem_id": _B,
            "is_public": _BOOL, **_SYNC,
        },
        "ticket_comment": {
            "id": _B, "ticket_id": _B, "user_id": _B, "created": _TS, "public": _BOOL,
            "facebook_comment": _BOOL, "tweet": _BOOL, "voice_comment": _BOOL, **_SYNC,
        },
        "ticket_field_history": {
            "ticket_id": _B, "user_id": _B, "updated": _TS, "_fivetran_synced": _TS,
        },
        "ticket_tag": {"ticket_id": _B, "_fivetran_synced": _TS},
        "user": {
            "id": _B, "organization_id": _B, "created_at": _TS, "updated_at": _TS,
            "last_login_at": _TS, "active": _BOOL, "suspended": _BOOL, **_SYNC,
        },
        "group": {"id": _B, "created_at": _TS, "updated_at": _TS, **_SYNC},
        # optional (OPTIONAL_VENDOR_TABLES): business hours and SLA policies (issue 16)
        "schedule": {
            "id": _B, "start_time": _B, "end_time": _B, "start_time_utc": _B,
            "end_time_utc": _B, "created_at": _TS, **_SYNC,
        },
        "schedule_holiday": {
            "id": _B, "schedule_id": _B, "start_date": "date", "end_date": "date", **_SYNC,
        },
        "ticket_schedule": {
            "ticket_id": _B, "schedule_id": _B, "created_at": _TS, "_fivetran_synced": _TS,
        },
        "sla_policy_history": {"id": _B, "created_at": _TS, "updated_at": _TS, **_SYNC},
        "sla_policy_metric_history": {
            "index": _B, "sla_policy_id": _B, "sla_policy_updated_at": _TS,
            "business_hours": _BOOL, "target": _B, "_fivetran_synced": _TS,
        },
    },
    # Salesforce, HubSpot, Qualtrics: ids stay text (the demo keeps the contract's ids);
    # hubspot.contact_company is optional (older connectors), so it is not listed
    "salesforce": {
        "account": {"created_date": _TS, "is_deleted": _BOOL, "_fivetran_active": _BOOL, **_SYNC},
        "contact": {"created_date": _TS, "is_deleted": _BOOL, "_fivetran_active": _BOOL, **_SYNC},
        "opportunity": {
            "amount": _F, "close_date": "date", "last_stage_change_date": _TS, "is_won": _BOOL,
            "is_closed": _BOOL, "probability": _F, "is_deleted": _BOOL, "_fivetran_active": _BOOL,
            **_SYNC,
        },
    },
    "hubspot": {
        "company": {"property_createdate": _TS, "is_deleted": _BOOL, "portal_id": _B, **_SYNC},
        "contact": {"property_createdate": _TS, **_SYNC},
        "deal": {
            "property_amount": _F, "property_closedate": _TS, "property_createdate": _TS,
            "is_deleted": _BOOL, "portal_id": _B, **_SYNC,
        },
        "deal_company": {"type_id": _B, "_fivetran_synced": _TS},
        "deal_contact": {"type_id": _B, "_fivetran_synced": _TS},
        "deal_pipeline_stage": {
            "probability": _F, "is_closed": _BOOL, "closed_won": _BOOL, "active": _BOOL,
            "display_order": _B, **_SYNC,
        },
    },
    "qualtrics": {
        "survey": {"is_active": _BOOL, "last_modified": _TS, **_SYNC},
        "question": {**_SYNC},
        "sub_question": {**_SYNC},
        "survey_response": {
            "finished": _BOOL, "progress": _B, "status": _B, "start_date": _TS, "end_date": _TS,
            "recorded_date": _TS, "duration_in_seconds": _B, "_fivetran_synced": _TS,
        },
        "question_response": {"_fivetran_synced": _TS},
        "survey_embedded_data": {"_fivetran_synced": _TS},
    },
}  # fmt: skip

# Vendor tables a landing folder may leave out (typed as above when present): the adapter
# then reads them as empty, and the contract tables they feed are absent (today's behaviour).
OPTIONAL_VENDOR_TABLES: dict[str, frozenset[str]] = {
    "zendesk": frozenset(
        {
            "schedule",
            "schedule_holiday",
            "ticket_schedule",
            "sla_policy_history",
            "sla_policy_metric_history",
        }
    ),
}


class VendorTableError(LandingError):
    """A vendor file that cannot be loaded; the message names file, row and column."""


@dataclass
class LoadedVendorTable:
    vendor: str
    table: str
    path: Path
    rows: int
    text_columns: list[str] = field(default_factory=list)  # columns not typed (landed as text)

    @property
    def qualified(self) -> str:
        return f"{self.vendor}.{self.table}"


def vendor_folders(landing: Path) -> list[str]:
    """The vendors whose folder in ``landing`` holds at least one table file."""
    found = []
    for vendor in SYSTEM_OF:
        folder = landing / vendor
        if folder.is_dir() and any(
            p.suffix.lstrip(".") in FILE_FORMATS for p in folder.iterdir() if p.is_file()
        ):
            found.append(vendor)
    return found


def source_selection(
    landing: Path | None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Where each system is read from: ``contract`` or a vendor.

    An explicit setting (``CXW_CRM_SOURCE``, ``CXW_TICKETING_SOURCE``, ``CXW_SURVEY_SOURCE``)
    wins; otherwise a system whose contract folder is absent from ``landing`` reads the
    vendor whose folder is present (one vendor per system, else an error naming both)."""
    env = os.environ if environ is None else environ
    chosen: dict[str, str] = {}
    present = vendor_folders(landing) if landing is not None and landing.is_dir() else []
    for system in SYSTEMS:
        setting = (env.get(SOURCE_VARIABLE[system]) or "").strip().lower()
        if setting:
            if setting != "contract" and SYSTEM_OF.get(setting) != system:
                options = ", ".join(["contract", *(v for v, s in SYSTEM_OF.items() if s == system)])
                raise VendorTableError(
                    f"{SOURCE_VARIABLE[system]}={setting}: not a source of {system}; "
                    f"use one of {options}"
                )
            chosen[system] = setting
            continue
        candidates = [v for v in present if SYSTEM_OF[v] == system]
        if landing is not None and not (landing / system).is_dir() and candidates:
            if len(candidates) > 1:
                raise VendorTableError(
                    f"landing folder {landing} holds {' and '.join(candidates)} for {system}: "
                    f"set {SOURCE_VARIABLE[system]} to the one to read"
                )
            chosen[system] = candidates[0]
        else:
            chosen[system] = "contract"
    return chosen


def export_selection(selection: Mapping[str, str]) -> None:
    """Put the selection into the environment, where dbt's vars and Dagster read it."""
    for system, source in selection.items():
        os.environ[SOURCE_VARIABLE[system]] = source


# the engines whose loader lands vendor tables and on which the adapters are built and tested
VENDOR_TARGETS = ("duckdb", "postgres")


def dbt_vars_selection(dbt_args: list[str]) -> dict[str, str]:
    """{system: source} that ``--vars`` among ``dbt_args`` sets (``{ticketing_source: zendesk}``
    as ``--vars VALUE`` or ``--vars=VALUE``)."""
    import yaml

    chosen: dict[str, str] = {}
    values = [v for f, v in zip(dbt_args, dbt_args[1:], strict=False) if f == "--vars"]
    values += [a.partition("=")[2] for a in dbt_args if a.startswith("--vars=")]
    for value in values:
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            continue  # dbt says what is wrong with it
        for system in SYSTEMS:
            if isinstance(parsed, dict) and parsed.get(f"{system}_source"):
                chosen[system] = str(parsed[f"{system}_source"]).strip().lower()
    return chosen


def check_vendor_target(target: str, selection: Mapping[str, str]) -> None:
    """Vendor sources are read on DuckDB and PostgreSQL: one line naming the setting, else."""
    vendors = {s: v for s, v in selection.items() if v and v != "contract"}
    if target in VENDOR_TARGETS or not vendors:
        return
    read = "; ".join(
        f"{system} from {vendor} (setting {SOURCE_VARIABLE[system]} / dbt var {system}_source)"
        for system, vendor in sorted(vendors.items())
    )
    raise VendorTableError(
        f"vendor sources are read on DuckDB and PostgreSQL only, not on {target}: {read}; "
        f"build with --target duckdb or postgres, or set the setting to contract "
        f"(contract files) for {target} (docs/sources.md)"
    )


def selected_vendors(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """{system: vendor} for the systems the environment says are read from a vendor."""
    env = os.environ if environ is None else environ
    out = {}
    for system in SYSTEMS:
        source = (env.get(SOURCE_VARIABLE[system]) or "contract").strip().lower()
        if source != "contract":
            out[system] = source
    return out


def _vendor_files(landing: Path, vendor: str) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for p in sorted((landing / vendor).iterdir()):
        if not p.is_file() or p.name.startswith("."):
            continue
        name, _, ext = p.name.partition(".")
        if ext not in FILE_FORMATS:
            continue
        if name in files:
            raise VendorTableError(
                f"{vendor}.{name}: both {files[name]} and {p} exist; keep exactly one"
            )
        files[name] = p
    return files


def _reader(path: Path) -> str:
    literal = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{literal}')"
    return (
        f"read_csv('{literal}', all_varchar = true, header = true, quote = '\"', "
        "escape = '\"', strict_mode = true)"
    )


def _typed(column: str, kind: str, source_type: str) -> str:
    typed_already = source_type.upper() not in ("VARCHAR", "TEXT")
    quoted = f'"{column}"' if typed_already else f"nullif(trim(\"{column}\"), '')"
    if kind == _TS:
        if "TIMESTAMP" in source_type.upper() and "ZONE" not in source_type.upper():
            return f"cast({quoted} as timestamp)"
        # text (CSV) or timestamptz: an instant, landed as UTC wall time
        return f"cast(cast({quoted} as timestamptz) as timestamp)"
    if kind == _BOOL and "BOOL" not in source_type.upper():
        return f"cast(lower({quoted}) as boolean)"
    return f"cast({quoted} as {kind})"


def _try_typed(column: str, kind: str) -> str:
    quoted = f'"{column}"'
    if kind == _TS:
        return f"try_cast({quoted} as timestamptz)"
    if kind == _BOOL:
        return f"try_cast(lower(trim({quoted})) as boolean)"
    return f"try_cast({quoted} as {kind})"


def _first_bad_value(
    con: duckdb.DuckDBPyConnection, reader: str, typed: dict[str, str]
) -> tuple[int, str, str] | None:
    """The first (data row, column, value) that does not parse as its column's type, in one
    scan; None when every value does."""
    if not typed:
        return None
    bad = [
        f"(nullif(trim(cast(\"{c}\" as varchar)), '') is not null and {_try_typed(c, k)} is null)"
        for c, k in typed.items()
    ]
    query = (
        "select * from (select row_number() over () as _n, "
        + ", ".join(f"{b} as _bad{i}" for i, b in enumerate(bad))
        + ", "
        + ", ".join(f'cast("{c}" as varchar) as _v{i}' for i, c in enumerate(typed))
        + f" from {reader}) where "
        + " or ".join(f"_bad{i}" for i in range(len(bad)))
        + " order by _n limit 1"
    )
    row = con.execute(query).fetchone()
    if row is None:
        return None
    flags = row[1 : 1 + len(typed)]
    values = row[1 + len(typed) :]
    for (column, _kind), flag, value in zip(typed.items(), flags, values, strict=True):
        if flag:
            return int(row[0]), column, str(value)
    return None


def load_vendor_tables(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    vendors: list[str],
    progress: Callable[[str], None] | None = None,
) -> list[LoadedVendorTable]:
    """Load every file of the vendors' folders into schema ``<vendor>`` (replacing the
    tables), typed as Fivetran lands them, inside the caller's transaction. A value that
    does not parse as its column's type stops the load, naming file, data row and column."""
    import duckdb

    say = progress or (lambda _m: None)
    con.execute("set TimeZone = 'UTC'")
    loaded: list[LoadedVendorTable] = []
    for vendor in vendors:
        files = _vendor_files(landing, vendor)
        types = COLUMN_TYPES.get(vendor, {})
        required = set(types) - OPTIONAL_VENDOR_TABLES.get(vendor, frozenset())
        missing = sorted(required - set(files))
        if missing:
            raise VendorTableError(
                f"{landing / vendor}: missing {', '.join(f'{m}.csv' for m in missing)} (or "
                f".parquet): the {vendor} adapter reads {', '.join(sorted(required))}; "
                "nothing was loaded"
            )
        con.execute(f'create schema if not exists "{vendor}"')
        for name, path in files.items():
            reader = _reader(path)
            try:
                described = con.execute(f"describe select * from {reader}").fetchall()
            except duckdb.Error as exc:
                raise VendorTableError(f"{path}: cannot be read: {exc}") from exc
            columns = [(r[0], r[1]) for r in described]
            known = types.get(name, {})
            typed = {c: known[c.lower()] for c, _ in columns if c.lower() in known}
            select = []
            for column, source_type in columns:
                kind = known.get(column.lower())
                if kind:
                    expression = _typed(column, kind, source_type)
                else:
                    expression = f'cast("{column}" as varchar)'
                select.append(f'{expression} as "{column.lower()}"')
            # check first: a failed statement would abort the caller's transaction
            bad = _first_bad_value(con, reader, typed)
            if bad:
                row, column, value = bad
                raise VendorTableError(
                    f"{path}: data row {row}, column {column}: {value!r} is not a "
                    f"{typed[column]} (Fivetran lands {vendor}.{name}.{column} as "
                    f"{typed[column]}); nothing was loaded"
                )
            try:
                con.execute(
                    f'create or replace table "{vendor}"."{name}" as '
                    f"select {', '.join(select)} from {reader}"
                )
            except duckdb.Error as exc:
                raise VendorTableError(f"{path}: cannot be loaded: {exc}") from exc
            rows = con.execute(f'select count(*) from "{vendor}"."{name}"').fetchone()[0]
            untyped = [c.lower() for c, _ in columns if c.lower() not in known]
            loaded.append(LoadedVendorTable(vendor, name, path, rows, untyped))
            say(f"{vendor}.{name}: loaded {rows:,} rows")
    return loaded


def read_vendor_tables(
    landing: Path, vendors: list[str], progress: Callable[[str], None] | None = None
) -> list[tuple[LoadedVendorTable, pa.Table]]:
    """The vendors' tables of ``landing``, typed and checked exactly as ``load_vendor_tables``
    loads them into DuckDB, as Arrow tables: what the other engines' loaders write."""
    import duckdb

    con = duckdb.connect()
    try:
        loaded = load_vendor_tables(con, landing, vendors, progress)
        return [
            (v, con.execute(f'select * from "{v.vendor}"."{v.table}"').to_arrow_table())
            for v in loaded
        ]
    finally:
        con.close()
