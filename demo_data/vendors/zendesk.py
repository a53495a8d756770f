"""The contract demo's ticketing tables written as Fivetran lands Zendesk Support.

``write`` turns ``ticketing/tickets`` and ``ticketing/ticket_events`` into ``ticket``,
``ticket_comment``, ``ticket_field_history``, ``ticket_tag``, ``user`` and ``group`` so that the
Zendesk adapter (models/adapters/zendesk/) gives back the same staged tickets and events:

* ids: Zendesk ids are integers; ``TKT-0000123`` is ticket 123 (``ticket_id``), comment ids
  the number of the event id. Other systems that point at tickets (survey responses) are
  rewritten the same way by ``rewrite_references``.
* requesters become end-users (one per delivered e-mail text), agents a small pool; a
  change by the system is by user -1 (no such user), as Zendesk's triggers are.
* status: ``pending`` is written as ``hold`` for one ticket in four (the adapter maps both
  to pending); the category becomes a tag (plus a group and a type); the root cause a custom
  field; the channel a ``via_channel`` code, and a custom contact-channel field for the
  channels Zendesk has no code for (store).
* events: replies and notes become comments (``public``), status changes, solves and
  reopens rows of ``ticket_field_history``, after each ticket's initial ``new``.
* Fivetran keeps deleted tickets: a few extra tickets with status ``deleted`` or
  ``_fivetran_deleted`` (and their comments) are added; the adapter excludes them.
* Rows a typed vendor table cannot hold (a blank or duplicated key, an unparseable
  timestamp, a non-numeric id: the contract demo's planted bad rows) are left out.
* support operations (when the contract demo has them, demo_data/support_ops.py): tickets
  keep their assignee, group and schedule (``ticket_schedule``), agent events their author
  and status changes their new status; the contract's schedules become ``schedule`` (the
  latest version only: Zendesk's table holds the current hours, time zones as Rails names
  through seeds/adapters/zendesk_time_zone_map.csv) and ``schedule_holiday``, its SLA
  policies ``sla_policy_history`` and ``sla_policy_metric_history`` (the targets Zendesk
  can hold: no resolution metric, no tier). Their ids are integers: ``SUPPORT_IDS``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from demo_data.vendors import zendesk_support
from demo_data.vendors.common import write_table
from lib.settings import PROJECT_DIR

SYNCED = "2026-11-01T02:00:00Z"
_DIGITS = re.compile(r"^[A-Za-z]+-0*(\d+)$")
_ISO = re.compile(
    r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]"
    r"([.][0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$"
)
# the Zendesk via_channel written for each canonical channel (seeds/adapters/
# zendesk_channel_map.csv maps them back); store has no Zendesk code: a custom field
VIA_CHANNEL = {
    "phone": "voice",
    "email": "email",
    "chat": "chat",
    "social": "twitter",
    "web": "web",
    "store": "web",
    "partner": "any_channel",
}
CONTACT_CHANNEL_FIELD = {"store": "store"}
GROUPS = {
    "Sales": ("pre_sales", "contract", "renewal"),
    "Billing": ("billing", "invoice_dispute", "cancellation"),
    "Customer Success": ("onboarding", "delivery"),
    "Tech Support": ("product_defect", "how_to", "account_access", "other"),
}
GROUP_ID = {name: 360000 + i for i, name in enumerate(GROUPS)}
GROUP_OF = {category: name for name, cats in GROUPS.items() for category in cats}
TYPE_OF = {"product_defect": "problem", "how_to": "question", "pre_sales": "question"}
AGENTS = 24
AGENT_BASE = 900
SYSTEM_USER = -1
# support operations: the contract's agent `agent-007` is Zendesk user 9000007; groups,
# schedules and SLA policies get the numbers of SUPPORT_IDS (others: the next free number)
SUPPORT_AGENT_BASE = 9_000_000
SUPPORT_IDS: dict[str, int] = {
    "support-americas": 3_700_001,
    "support-emea": 3_700_002,
    "billing": 3_700_003,
    "sched-new-york": 5_000_001,
    "sched-berlin": 5_000_002,
}
SLA_METRIC = {
    "first_reply": "first_reply_time",
    "next_reply": "next_reply_time",
    "requester_wait": "requester_wait_time",
    "agent_work": "agent_work_time",
}  # resolution: Zendesk has no such SLA metric


def numeric_id(value: str | None) -> int | None:
    """``TKT-0000123`` -> 123; None for a blank or non-numeric id."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    m = _DIGITS.match(text)
    return int(m.group(1)) if m else None


def utc_text(value: str | None) -> str | None:
    """Contract timestamp text -> ISO UTC (``...Z``); None when staging could not read it."""
    if value is None or not _ISO.match(value.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    text = parsed.isoformat(timespec="microseconds" if parsed.microsecond else "seconds")
    return text + "Z"


def _channel_map() -> dict[str, str]:
    with (PROJECT_DIR / "seeds" / "reference" / "channel_map.csv").open() as f:
        return {row["raw_code"].strip().lower(): row["channel"] for row in csv.DictReader(f)}


def _rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


def _first_valid(rows: list[dict], key: str, timestamps: tuple[str, ...]) -> list[dict]:
    """Rows a typed, keyed vendor table can hold: key present and numeric, the first row of
    each key, every timestamp readable (the rest are the contract demo's planted bad rows)."""
    seen: set[int] = set()
    kept = []
    for row in rows:
        number = numeric_id(row.get(key))
        if number is None or number in seen:
            continue
        if any(row.get(c) not in (None, "") and utc_text(row[c]) is None for c in timestamps):
            continue
        seen.add(number)
        kept.append(row)
    return kept


def rewrite_references(contract: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """Other systems' references to tickets as Zendesk ids (survey responses' ticket_id)."""
    out = dict(contract)
    responses = out.get("survey/responses")
    if responses is not None and "ticket_id" in responses.column_names:
        ids = [
            str(numeric_id(v)) if v is not None and numeric_id(v) is not None else v
            for v in responses.column("ticket_id").to_pylist()
        ]
        i = responses.column_names.index("ticket_id")
        out["survey/responses"] = responses.set_column(i, "ticket_id", pa.array(ids, pa.string()))
    return out


def write(contract: Mapping[str, pa.Table], out_dir: Path, file_format: str = "csv") -> list[Path]:
    canonical = _channel_map()
    tickets = _first_valid(_rows(contract["ticketing/tickets"]), "ticket_id", ("created_at",))
    tickets = [t for t in tickets if t.get("solved_at") in (None, "") or utc_text(t["solved_at"])]
    events = _first_valid(_rows(contract["ticketing/ticket_events"]), "event_id", ("created_at",))
    events = [e for e in events if e.get("created_at") and numeric_id(e.get("ticket_id"))]

    users: dict[str | None, int] = {}
    user_rows: list[dict] = []
    for k in range(AGENTS):
        role = "admin" if k % 8 == 0 else "agent"
        user_rows.append(_user(AGENT_BASE + k, f"agent{k:02d}@support.example", role))

    def requester(email: str | None) -> int:
        if email not in users:
            users[email] = 1_000_000 + len(users)
            user_rows.append(_user(users[email], email, "end-user"))
        return users[email]

    support = zendesk_support.present(contract)
    ids = zendesk_support.SupportIds(SUPPORT_IDS, SUPPORT_AGENT_BASE)
    ticket_rows, tag_rows, history_rows, comment_rows = [], [], [], []
    schedule_links: list[dict] = []
    support_groups: dict[str, int] = {}
    info: dict[int, tuple[int, int, str, str]] = {}  # id -> requester, agent, via, canonical
    for t in tickets:
        number = numeric_id(t["ticket_id"])
        code = (t.get("channel") or "").strip().lower()
        channel = canonical.get(code, "unknown") if code else None
        via = VIA_CHANNEL.get(channel, code or None) if channel else None
        agent = AGENT_BASE + number % AGENTS
        group = GROUP_ID.get(GROUP_OF.get((t.get("category") or "").strip().lower(), ""))
        if support:  # the contract's own assignee, group and schedule
            agent = ids.agent(t.get("assignee_id"))
            group = ids.number(t.get("group_id"))
            if group is not None:
                support_groups[t["group_id"].strip()] = group
            schedule = ids.number(t.get("schedule_id"))
            if schedule is not None:
                schedule_links.append(
                    {
                        "ticket_id": str(number),
                        "schedule_id": str(schedule),
                        "created_at": utc_text(t["created_at"]),
                        "_fivetran_synced": SYNCED,
                    }
                )
        person = requester(t.get("requester_email"))
        status = t.get("status")
        if status is not None and status.strip().lower() == "pending" and number % 4 == 0:
            status = "hold"
        category = (t.get("category") or "").strip().lower()
        created = utc_text(t["created_at"])
        info[number] = (person, agent, via, channel)
        ticket_rows.append(
            _ticket(
                number, created, status, t.get("priority"), TYPE_OF.get(category, "task"),
                person, agent, group, via, t.get("root_cause"),
                CONTACT_CHANNEL_FIELD.get(channel), False,
            )
        )  # fmt: skip
        for tag in ([category] if category else []) + (["vip"] if number % 5 == 0 else []):
            tag_rows.append({"ticket_id": str(number), "tags": tag, "_fivetran_synced": SYNCED})
        history_rows.append(_history(number, "status", created, "new", person))

    last_status: dict[int, str] = {}
    for e in events:
        number = numeric_id(e["ticket_id"])
        person, agent, via, channel = info.get(number, (None, AGENT_BASE, None, None))
        role = (e.get("author_role") or "").strip().lower()
        if support and role == "agent":
            # who held the ticket then (a ticket nobody was assigned: the old pool)
            agent = ids.agent(e.get("author_id")) or agent or AGENT_BASE + number % AGENTS
        user = {"customer": person, "agent": agent}.get(role, SYSTEM_USER)
        when = utc_text(e["created_at"])
        kind = (e.get("event_type") or "").strip().lower()
        if kind in ("public_reply", "internal_note"):
            code = (e.get("channel") or "").strip().lower()
            own = canonical.get(code, "unknown") if code else None
            comment_via = via if own == channel else VIA_CHANNEL.get(own, code or None)
            comment_rows.append(
                _comment(numeric_id(e["event_id"]), number, user, when, kind, comment_via)
            )
            continue
        new_status = (e.get("new_status") or "").strip().lower()
        if kind == "solved":
            value = "solved"
        elif kind == "status_change" and new_status:
            value = "hold" if new_status == "on_hold" else new_status
        elif kind == "reopened":
            value = "open"
        elif last_status.get(number) == "solved":
            value = "closed"
        else:
            value = "open"
        last_status[number] = value
        history_rows.append(_history(number, "status", when, value, user))

    # Fivetran keeps deleted tickets: a few, with a comment each, for the adapter to exclude
    top = max(info, default=0)
    first_comment = max((int(c["id"]) for c in comment_rows), default=0)
    for k in range(max(2, len(ticket_rows) // 400)):
        number, deleted_flag = top + 1 + k, k % 2 == 1
        created = ticket_rows[k % len(ticket_rows)]["created_at"] if ticket_rows else SYNCED
        person = requester(f"spam{k}@deleted.example")
        ticket_rows.append(
            _ticket(
                number, created, "open" if deleted_flag else "deleted", "low", "question",
                person, None, GROUP_ID["Tech Support"], "email", None, None, deleted_flag,
            )
        )  # fmt: skip
        comment_id = first_comment + 1 + k
        comment_rows.append(_comment(comment_id, number, person, created, "public_reply", "email"))
        history_rows.append(_history(number, "status", created, "new", person))

    for uid in sorted(ids.agents):
        user_rows.append(
            _user(uid, f"agent{uid - SUPPORT_AGENT_BASE:03d}@support.example", "agent")
        )
    group_names = GROUP_ID | support_groups
    tables = {
        "ticket": ticket_rows,
        "ticket_comment": comment_rows,
        "ticket_field_history": history_rows,
        "ticket_tag": tag_rows,
        "user": user_rows,
        "group": [
            {"id": str(gid), "name": name, "_fivetran_deleted": "false", "_fivetran_synced": SYNCED}
            for name, gid in group_names.items()
        ],
    }
    if support:
        policies, targets = zendesk_support.sla_rows(contract, ids, SYNCED)
        tables |= {
            "schedule": zendesk_support.schedule_rows(contract, ids, SYNCED),
            "schedule_holiday": zendesk_support.holiday_rows(contract, ids, SYNCED),
            "ticket_schedule": schedule_links,
            "sla_policy_history": policies,
            "sla_policy_metric_history": targets,
        }
    folder = out_dir / "zendesk"
    return [write_table(rows, folder / name, file_format) for name, rows in tables.items()]


def _text(value) -> str | None:
    return None if value is None else str(value)


def _user(uid: int, email: str | None, role: str) -> dict:
    return {
        "id": str(uid),
        "email": email,
        "name": None,  # PII the warehouse never reads
        "role": role,
        "time_zone": "UTC",
        "active": "true",
        "_fivetran_deleted": "false",
        "_fivetran_synced": SYNCED,
    }


def _ticket(
    number, created, status, priority, kind, requester, assignee, group, via, root, contact,
    deleted,
) -> dict:  # fmt: skip
    return {
        "id": str(number),
        "created_at": created,
        "updated_at": created,
        "status": status,
        "priority": priority,
        "type": kind,
        "subject": None,
        "requester_id": _text(requester),
        "submitter_id": _text(requester),
        "assignee_id": _text(assignee),
        "group_id": _text(group),
        "ticket_form_id": "360001",
        "via_channel": via,
        "is_public": "true",
        "custom_root_cause": root,
        "custom_contact_channel": contact,
        "_fivetran_deleted": "true" if deleted else "false",
        "_fivetran_synced": SYNCED,
    }


def _comment(cid, ticket, user, created, kind, via) -> dict:
    return {
        "id": _text(cid),
        "ticket_id": str(ticket),
        "user_id": _text(user),
        "created": created,
        "body": None,
        "public": "true" if kind == "public_reply" else "false",
        "via_channel": via,
        "_fivetran_deleted": "false",
        "_fivetran_synced": SYNCED,
    }


def _history(ticket, field, when, value, user) -> dict:
    return {
        "ticket_id": str(ticket),
        "field_name": field,
        "updated": when,
        "value": value,
        "user_id": _text(user),
        "_fivetran_synced": SYNCED,
    }
