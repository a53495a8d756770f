"""What the CRM demo writers (salesforce.py, hubspot.py) share: the contract's CRM tables as
rows with their sync time, and the rows each writer adds around them for the adapter to
leave out (deleted, closed-lost and open copies, ids `DEL-`, `LOST-`, `OPEN-<id>`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pyarrow as pa

from demo_data.vendors.typed_values import rows_of, synced_at

DELETED_EVERY = 40  # one extra deleted account / contact / won order per this many rows
LOST_EVERY = 8  # one extra closed-lost order per this many orders
OPEN_EVERY = 20  # one extra open order per this many orders


def crm_tables(
    contract: Mapping[str, pa.Table],
) -> tuple[list[dict], list[dict], list[dict], dt.datetime]:
    """The contract demo's accounts, contacts and orders as rows, and the sync time the
    writers stamp on every vendor row."""
    synced = synced_at(
        contract["crm/accounts"], contract["crm/contacts"], contract["crm/orders"],
        columns=("created_at", "ordered_at"),
    )  # fmt: skip
    return (
        rows_of(contract["crm/accounts"]),
        rows_of(contract["crm/contacts"]),
        rows_of(contract["crm/orders"]),
        synced,
    )


def excluded_copies(
    i: int,
    row: dict,
    key: str,
    *,
    deleted: dict,
    lost: dict | None = None,
    opened: dict | None = None,
) -> list[dict]:
    """The copies of the i-th vendor row the adapter must exclude, in this order: a
    closed-lost (`lost` changes) every LOST_EVERY rows, an open one (`opened`) every
    OPEN_EVERY rows, a deleted one (`deleted`) every DELETED_EVERY rows; each with id
    `<LOST|OPEN|DEL>-<row[key]>`."""
    out = []
    for prefix, every, changes in (
        ("LOST", LOST_EVERY, lost),
        ("OPEN", OPEN_EVERY, opened),
        ("DEL", DELETED_EVERY, deleted),
    ):
        if changes is not None and i % every == every - 1:
            out.append({**row, key: f"{prefix}-{row[key]}", **changes})
    return out
