"""HubSpot, Fivetran-shaped, from the contract demo's CRM tables (docs/sources_crm_survey.md).

`write(contract, out_dir)` writes `<out_dir>/hubspot/{company,contact,contact_company,deal,
deal_company,deal_contact,deal_pipeline_stage}.<ext>` so that the HubSpot adapter
(models/adapters/hubspot/) gives back the contract's accounts, contacts and orders. Ids stay
the contract's. Around them, rows the adapter must leave out: deleted companies, contacts
and deals, lost and open deals. Invoices have no HubSpot table here (hubspot__invoices is
empty).
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

VENDOR = "hubspot"

# contract order_type -> property_dealtype (hubspot_deal_type_map maps them back)
DEAL_TYPES = {
    "new": "newbusiness",
    "renewal": "renewal",
    "upgrade": "existingbusiness",
    "one_off": "one_off",
}

# the default sales pipeline: (stage_id, label, probability, is_closed)
STAGES = (
    ("appointmentscheduled", "Appointment scheduled", 0.2, False),
    ("qualifiedtobuy", "Qualified to buy", 0.4, False),
    ("presentationscheduled", "Presentation scheduled", 0.6, False),
    ("decisionmakerboughtin", "Decision maker bought-in", 0.8, False),
    ("contractsent", "Contract sent", 0.9, False),
    ("closedwon", "Closed won", 1.0, True),
    ("closedlost", "Closed lost", 0.0, True),
)

COMPANY = (
    ("id", "text"), ("portal_id", "integer"), ("is_deleted", "boolean"), ("property_name", "text"),
    ("property_type", "text"), ("property_industry", "text"), ("property_country", "text"),
    ("property_createdate", "timestamp"), ("_fivetran_deleted", "boolean"),
    ("_fivetran_synced", "timestamp"),
)  # fmt: skip
CONTACT = (
    ("id", "text"), ("property_email", "text"), ("property_firstname", "text"),
    ("property_lastname", "text"), ("property_phone", "text"),
    ("property_is_billing_contact", "boolean"), ("property_createdate", "timestamp"),
    ("_fivetran_deleted", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip
ASSOCIATION = {
    "contact_company": (("contact_id", "text"), ("company_id", "text")),
    "deal_company": (("deal_id", "text"), ("company_id", "text")),
    "deal_contact": (("deal_id", "text"), ("contact_id", "text")),
}
ASSOCIATION_TAIL = (("type_id", "integer"), ("category", "text"), ("_fivetran_synced", "timestamp"))
DEAL = (
    ("deal_id", "text"), ("portal_id", "integer"), ("is_deleted", "boolean"),
    ("deal_pipeline_id", "text"), ("deal_pipeline_stage_id", "text"),
    ("property_dealname", "text"), ("property_dealtype", "text"), ("property_amount", "number"),
    ("property_closedate", "timestamp"), ("property_createdate", "timestamp"),
    ("property_deal_currency_code", "text"), ("property_hs_analytics_source", "text"),
    ("_fivetran_deleted", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip
STAGE = (
    ("stage_id", "text"), ("pipeline_id", "text"), ("label", "text"), ("display_order", "integer"),
    ("probability", "number"), ("is_closed", "boolean"), ("closed_won", "boolean"),
    ("active", "boolean"), ("_fivetran_deleted", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip

PORTAL = 4727653


def write(contract: Mapping[str, pa.Table], out_dir: Path, file_format: str = "csv") -> list[Path]:
    accounts, contacts, orders, synced = crm_tables(contract)
    link = {"category": "HUBSPOT_DEFINED", "_fivetran_synced": synced}

    companies = []
    for i, a in enumerate(accounts):
        row = {
            "id": a["account_id"],
            "portal_id": PORTAL,
            "is_deleted": False,
            "property_name": a["account_name"],
            "property_type": a["segment"],
            "property_country": text(a["country"]),
            "property_createdate": timestamp(a["created_at"]),
            "_fivetran_deleted": False,
            "_fivetran_synced": synced,
        }
        companies += [row, *excluded_copies(i, row, "id", deleted={"is_deleted": True})]

    people, contact_company = [], []
    for i, c in enumerate(contacts):
        first, _, last = (text(c["full_name"]) or "").partition(" ")
        row = {
            "id": c["contact_id"],
            "property_email": c["email"],
            "property_firstname": first or None,
            "property_lastname": last or None,
            "property_phone": text(c["phone"]),
            "property_is_billing_contact": boolean(c["is_billing_contact"]),
            "property_createdate": timestamp(c["created_at"]),
            "_fivetran_deleted": False,
            "_fivetran_synced": synced,
        }
        people += [row, *excluded_copies(i, row, "id", deleted={"_fivetran_deleted": True})]
        if text(c["account_id"]):
            contact_company.append(
                {"contact_id": c["contact_id"], "company_id": text(c["account_id"]),
                 "type_id": 1, **link}
            )  # fmt: skip

    deals, deal_company, deal_contact = [], [], []
    for i, o in enumerate(orders):
        order_type = text(o["order_type"])
        closed = timestamp(o["ordered_at"])
        row = {
            "deal_id": o["order_id"],
            "portal_id": PORTAL,
            "is_deleted": False,
            "deal_pipeline_id": "default",
            "deal_pipeline_stage_id": "closedwon",
            "property_dealname": f"Deal {o['order_id']}",
            "property_dealtype": DEAL_TYPES.get((order_type or "").lower(), order_type),
            "property_amount": number(o["amount"]),
            "property_closedate": closed,
            "property_createdate": closed,
            "property_deal_currency_code": text(o["currency"]),
            "property_hs_analytics_source": o["channel"],
            "_fivetran_deleted": False,
            "_fivetran_synced": synced,
        }
        extras = excluded_copies(
            i, row, "deal_id",
            lost={"deal_pipeline_stage_id": "closedlost"},
            opened={"deal_pipeline_stage_id": "contractsent", "property_closedate": None},
            deleted={"is_deleted": True},
        )  # fmt: skip
        for deal in (row, *extras):
            deals.append(deal)
            if text(o["account_id"]):
                deal_company.append(
                    {"deal_id": deal["deal_id"], "company_id": text(o["account_id"]),
                     "type_id": 5, **link}
                )  # fmt: skip
            if text(o["contact_id"]):
                deal_contact.append(
                    {"deal_id": deal["deal_id"], "contact_id": text(o["contact_id"]),
                     "type_id": 3, **link}
                )  # fmt: skip

    stages = [
        {"stage_id": sid, "pipeline_id": "default", "label": label, "display_order": n,
         "probability": p, "is_closed": closed, "closed_won": closed, "active": True,
         "_fivetran_deleted": False, "_fivetran_synced": synced}
        for n, (sid, label, p, closed) in enumerate(STAGES)
    ]  # fmt: skip

    def association(name: str, rows: list) -> Path:
        return write_table(
            out_dir, VENDOR, name, ASSOCIATION[name] + ASSOCIATION_TAIL, rows, file_format
        )

    return [
        write_table(out_dir, VENDOR, "company", COMPANY, companies, file_format),
        write_table(out_dir, VENDOR, "contact", CONTACT, people, file_format),
        association("contact_company", contact_company),
        write_table(out_dir, VENDOR, "deal", DEAL, deals, file_format),
        association("deal_company", deal_company),
        association("deal_contact", deal_contact),
        write_table(out_dir, VENDOR, "deal_pipeline_stage", STAGE, stages, file_format),
    ]
