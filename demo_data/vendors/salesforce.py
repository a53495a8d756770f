"""Salesforce, Fivetran-shaped, from the contract demo's CRM tables (docs/sources_crm_survey.md).

`write(contract, out_dir)` writes `<out_dir>/salesforce/{account,contact,opportunity}.<ext>`
so that the Salesforce adapter (models/adapters/salesforce/) gives back the contract's
accounts, contacts and orders. Ids stay the contract's. Around them, rows the adapter must
leave out: deleted accounts and contacts, deleted, lost and open opportunities. Invoices have
no Salesforce table (the adapter's salesforce__invoices is empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

from demo_data.vendors.crm_rows import crm_tables, excluded_copies
from demo_data.vendors.typed_values import (
    boolean,
    number,
    text,
    timestamp,
    write_table,
)

VENDOR = "salesforce"

# contract order_type -> opportunity.type (salesforce_order_type_map maps them back)
OPPORTUNITY_TYPES = {
    "new": "New Business",
    "renewal": "Renewal",
    "upgrade": "Existing Business",
    "one_off": "One-off",
}

ACCOUNT = (
    ("id", "text"), ("name", "text"), ("type", "text"), ("industry", "text"),
    ("billing_country", "text"), ("billing_country_code", "text"), ("created_date", "timestamp"),
    ("is_deleted", "boolean"), ("_fivetran_active", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip
CONTACT = (
    ("id", "text"), ("account_id", "text"), ("email", "text"), ("name", "text"),
    ("first_name", "text"), ("last_name", "text"), ("phone", "text"), ("mobile_phone", "text"),
    ("is_billing_contact_c", "boolean"), ("created_date", "timestamp"), ("is_deleted", "boolean"),
    ("_fivetran_active", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip
OPPORTUNITY = (
    ("id", "text"), ("account_id", "text"), ("contact_id", "text"), ("name", "text"),
    ("type", "text"), ("stage_name", "text"), ("amount", "number"), ("close_date", "date"),
    ("last_stage_change_date", "timestamp"), ("is_won", "boolean"), ("is_closed", "boolean"),
    ("probability", "number"), ("lead_source", "text"), ("currency_iso_code", "text"),
    ("is_deleted", "boolean"), ("_fivetran_active", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip


def _split_name(full: str | None) -> tuple[str | None, str | None]:
    if not full:
        return None, None
    first, _, last = full.partition(" ")
    return first, (last or None)


def write(contract: Mapping[str, pa.Table], out_dir: Path, file_format: str = "csv") -> list[Path]:
    accounts, contacts, orders, synced = crm_tables(contract)
    common = {"_fivetran_active": True, "_fivetran_synced": synced}

    account_rows = []
    for i, a in enumerate(accounts):
        row = {
            "id": a["account_id"],
            "name": a["account_name"],
            "type": a["segment"],
            "billing_country_code": text(a["country"]),
            "created_date": timestamp(a["created_at"]),
            "is_deleted": False,
            **common,
        }
        account_rows += [row, *excluded_copies(i, row, "id", deleted={"is_deleted": True})]

    contact_rows = []
    for i, c in enumerate(contacts):
        first, last = _split_name(text(c["full_name"]))
        row = {
            "id": c["contact_id"],
            "account_id": text(c["account_id"]),
            "email": c["email"],
            "name": text(c["full_name"]),
            "first_name": first,
            "last_name": last,
            "phone": text(c["phone"]),
            "is_billing_contact_c": boolean(c["is_billing_contact"]),
            "created_date": timestamp(c["created_at"]),
            "is_deleted": False,
            **common,
        }
        contact_rows += [row, *excluded_copies(i, row, "id", deleted={"is_deleted": True})]

    opportunity_rows = []
    for i, o in enumerate(orders):
        won_at = timestamp(o["ordered_at"])
        order_type = text(o["order_type"])
        kind = OPPORTUNITY_TYPES.get((order_type or "").lower(), order_type)
        row = {
            "id": o["order_id"],
            "account_id": text(o["account_id"]),
            "contact_id": text(o["contact_id"]),
            "name": f"{kind or 'Opportunity'} {o['order_id']}",
            "type": kind,
            "stage_name": "Closed Won",
            "amount": number(o["amount"]),
            "close_date": won_at.date() if won_at else None,
            "last_stage_change_date": won_at,
            "is_won": True,
            "is_closed": True,
            "probability": 100.0,
            "lead_source": o["channel"],
            "currency_iso_code": text(o["currency"]),
            "is_deleted": False,
            **common,
        }
        opportunity_rows += [row, *excluded_copies(
            i, row, "id",
            lost={"stage_name": "Closed Lost", "is_won": False, "probability": 0.0},
            opened={"stage_name": "Negotiation/Review", "is_won": False, "is_closed": False,
                    "probability": 80.0, "last_stage_change_date": None},
            deleted={"is_deleted": True},
        )]  # fmt: skip

    return [
        write_table(out_dir, VENDOR, "account", ACCOUNT, account_rows, file_format),
        write_table(out_dir, VENDOR, "contact", CONTACT, contact_rows, file_format),
        write_table(out_dir, VENDOR, "opportunity", OPPORTUNITY, opportunity_rows, file_format),
    ]
