"""What the demo-generator tests share: the raw contract written out independently of the
generator (channels, keys, references, scales), and readers of a landing folder as a loader
would read it (text, checked with DuckDB)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from demo_data.generator import (
    BAD_ROW_REASONS,
    CONTRACT,
)

END = date(2026, 10, 31)
START = date(2024, 10, 31)  # END - 24 months

# The contract's channel table (RAW_CONTRACT.md), written out independently of the generator.
CHANNEL_MAP = {
    "phone": "phone",
    "voice": "phone",
    "call": "phone",
    "ivr": "phone",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "chat": "chat",
    "live_chat": "chat",
    "whatsapp": "chat",
    "sms": "chat",
    "social": "social",
    "twitter": "social",
    "x": "social",
    "facebook": "social",
    "instagram": "social",
    "web": "web",
    "web_form": "web",
    "portal": "web",
    "app": "web",
    "store": "store",
    "branch": "store",
    "in_person": "store",
    "partner": "partner",
    "reseller": "partner",
}
TOUCHPOINT_OF_CATEGORY = {
    "pre_sales": "sales_inquiry",
    "contract": "contract_signing",
    "onboarding": "onboarding",
    "delivery": "delivery",
    "product_defect": "product_use",
    "how_to": "product_use",
    "account_access": "support",
    "other": "support",
    "billing": "billing",
    "invoice_dispute": "billing",
    "renewal": "renewal",
    "cancellation": "cancellation",
}
KEYS = {
    "crm.accounts": ["account_id"],
    "crm.contacts": ["contact_id"],
    "crm.orders": ["order_id"],
    "crm.invoices": ["invoice_id"],
    "ticketing.tickets": ["ticket_id"],
    "ticketing.ticket_events": ["event_id"],
    "survey.surveys": ["survey_id"],
    "survey.questions": ["question_id"],
    "survey.responses": ["response_id"],
    "survey.answers": ["response_id", "question_id"],
}
MAIN_TIMESTAMP = {
    "crm.accounts": "created_at",
    "crm.contacts": "created_at",
    "crm.orders": "ordered_at",
    "crm.invoices": "issued_at",
    "ticketing.tickets": "created_at",
    "ticketing.ticket_events": "created_at",
    "survey.responses": "submitted_at",
}
# child table, column, parent table, parent column (required references first)
REFERENCES = [
    ("crm.contacts", "account_id", "crm.accounts", "account_id", True),
    ("crm.orders", "account_id", "crm.accounts", "account_id", True),
    ("crm.orders", "contact_id", "crm.contacts", "contact_id", False),
    ("crm.invoices", "account_id", "crm.accounts", "account_id", True),
    ("crm.invoices", "order_id", "crm.orders", "order_id", False),
    ("ticketing.ticket_events", "ticket_id", "ticketing.tickets", "ticket_id", True),
    ("survey.questions", "survey_id", "survey.surveys", "survey_id", True),
    ("survey.responses", "survey_id", "survey.surveys", "survey_id", True),
    ("survey.responses", "ticket_id", "ticketing.tickets", "ticket_id", False),
    ("survey.responses", "order_id", "crm.orders", "order_id", False),
    ("survey.answers", "response_id", "survey.responses", "response_id", True),
    ("survey.answers", "question_id", "survey.questions", "question_id", True),
]
SCALES = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "importance": (1, 5),
    "performance": (1, 5),
}


def v(name: str) -> str:
    """DuckDB view name of a table: crm.accounts -> crm_accounts."""
    return name.replace(".", "_")


def ts(expr: str) -> str:
    """Parse contract timestamp text to UTC (as staging does)."""
    return f"cast(try_cast(trim({expr}) as timestamptz) as timestamp)"


def read_text_table(landing: Path, name: str, fmt: str) -> pa.Table:
    """One landing file as all-text columns plus its file row number `_row`."""
    system, table = name.split(".")
    path = landing / system / f"{table}.{fmt}"
    if fmt == "csv":
        cols = [c for c, _ in CONTRACT[name]]
        tbl = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in cols},
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    else:
        tbl = pq.read_table(path)
        tbl = pa.table({c: tbl.column(c).cast(pa.string()) for c in tbl.column_names})
    return tbl.append_column("_row", pa.array(np.arange(tbl.num_rows)))


def connect(landing: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every raw table as text (`<system>_<table>`) and a `q_<...>`
    table that flags each row with the contract rules it breaks (an independent quarantine)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for name in CONTRACT:
        con.register(f"_arrow_{v(name)}", read_text_table(landing, name, fmt))
        con.execute(f"create table {v(name)} as select * from _arrow_{v(name)}")
    for name in CONTRACT:
        keys = KEYS[name]
        missing = " or ".join(f"t.{k} is null" for k in keys)
        tcol = MAIN_TIMESTAMP.get(name)
        invalid_ts = f"(t.{tcol} is not null and {ts('t.' + tcol)} is null)" if tcol else "false"
        refs = [r for r in REFERENCES if r[0] == name and r[4]]
        unknown = (
            " or ".join(
                f"(t.{col} is not null and t.{col} not in (select {pcol} from {v(parent)} "
                f"where {pcol} is not null))"
                for _, col, parent, pcol, _ in refs
            )
            or "false"
        )
        off_scale = "false"
        extra_join = ""
        if name == "survey.answers":
            extra_join = "left join survey_questions q on q.question_id = t.question_id"
            off_scale = " or ".join(
                f"(q.measure = '{m}' and cast(t.numeric_value as double) not between {lo} and {hi})"
                for m, (lo, hi) in SCALES.items()
            )
            off_scale = f"({off_scale})"
        partition = ", ".join(f"t.{k}" for k in keys)
        con.execute(f"""
            create table q_{v(name)} as
            select t.*,
                ({missing}) as is_missing_key,
                (not ({missing}) and row_number() over (
                    partition by {partition} order by t._row) > 1) as is_duplicate_key,
                coalesce({invalid_ts}, false) as is_invalid_timestamp,
                coalesce({unknown}, false) as is_orphan_reference,
                coalesce({off_scale}, false) as is_score_out_of_range
            from {v(name)} as t {extra_join}
        """)
        con.execute(f"""
            create view valid_{v(name)} as select * from q_{v(name)}
            where not (is_missing_key or is_duplicate_key or is_invalid_timestamp
                       or is_orphan_reference or is_score_out_of_range)
        """)
    return con


def sha(landing: Path) -> dict[str, str]:
    return {
        p.relative_to(landing).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(landing.rglob("*"))
        if p.is_file()
    }


def flagged_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    out = {}
    for name in CONTRACT:
        row = con.execute(f"""
            select sum(is_missing_key::int), sum(is_duplicate_key::int),
                   sum(is_invalid_timestamp::int), sum(is_orphan_reference::int),
                   sum(is_score_out_of_range::int),
                   max(is_missing_key::int + is_duplicate_key::int + is_invalid_timestamp::int
                       + is_orphan_reference::int + is_score_out_of_range::int)
            from q_{v(name)}""").fetchone()
        assert (row[5] or 0) <= 1, f"{name}: a row breaks more than one rule"
        found = dict(
            zip(
                [
                    "missing_key",
                    "duplicate_key",
                    "invalid_timestamp",
                    "orphan_reference",
                    "score_out_of_range",
                ],
                [int(x or 0) for x in row[:5]],
                strict=True,
            )
        )
        out[name] = {k: n for k, n in found.items() if n or k in BAD_ROW_REASONS[name]}
    return out


def revenue_sql() -> str:
    return f"""
        select a.account_id,
               coalesce(sum(cast(o.amount as double)) filter (
                   where {ts("o.ordered_at")}::date between date '{END}' - 364
                         and date '{END}'), 0) as revenue
        from valid_crm_accounts a left join valid_crm_orders o using (account_id)
        group by 1"""


def foreign_account_references(con) -> tuple[int, int]:
    """Valid orders whose contact belongs to another account, and valid invoices whose order
    does: (0, 0) when every order and invoice stays within its own account."""
    orders = con.execute("""
        select count(*) from valid_crm_orders o join valid_crm_contacts c using (contact_id)
        where c.account_id <> o.account_id""").fetchone()[0]
    invoices = con.execute("""
        select count(*) from valid_crm_invoices i join valid_crm_orders o using (order_id)
        where i.account_id <> o.account_id""").fetchone()[0]
    return orders, invoices


def duplicate_keys(con) -> dict[str, int]:
    """Per contract table, how many valid rows repeat a key (KEYS); only tables with any."""
    found = {}
    for name, keys in KEYS.items():
        cols = ", ".join(keys)
        dup = con.execute(
            f"select count(*) - count(distinct ({cols})) from valid_{v(name)}"
        ).fetchone()[0]
        if dup:
            found[name] = dup
    return found


def orphan_references(con) -> dict[tuple[str, str], int]:
    """Per reference (REFERENCES: child table, column), how many valid rows point at no valid
    parent; only references with any."""
    found = {}
    for child, col, parent, pcol, _ in REFERENCES:
        orphans = con.execute(f"""
            select count(*) from valid_{v(child)}
            where {col} is not null and {col} not in (select {pcol} from valid_{v(parent)})
        """).fetchone()[0]
        if orphans:
            found[(child, col)] = orphans
    return found
