"""The contract demo's support-operations data (demo_data/support_ops.py) in Zendesk's shape,
for demo_data/vendors/zendesk.py: ids as Zendesk integers, ``schedule``, ``schedule_holiday``,
``ticket_schedule``, ``sla_policy_history`` and ``sla_policy_metric_history`` as Fivetran lands
them (the adapter's models/adapters/zendesk/zendesk__schedules.sql ... read them back).

What Zendesk cannot hold is left out, and the demo comparison
(tests/adapters/test_vendor_demo_equal.py) says so: a schedule's earlier versions (Zendesk's
``schedule`` table holds the current hours), SLA targets on resolution (no such Zendesk
metric) and policies for a tier (Zendesk's policy conditions are not landed).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping

import pyarrow as pa

from lib.settings import PROJECT_DIR

_DIGITS = re.compile(r"(\d+)$")


def present(contract: Mapping[str, pa.Table]) -> bool:
    """The contract demo was generated with support operations."""
    tickets = contract.get("ticketing/tickets")
    return tickets is not None and "assignee_id" in tickets.column_names


class SupportIds:
    """Contract support ids -> Zendesk integers: ``agent-007`` -> user ``agent_base + 7``;
    groups, schedules and policies the numbers of ``known``, others the next free one."""

    def __init__(self, known: Mapping[str, int], agent_base: int) -> None:
        self.known = dict(known)
        self.agent_base = agent_base
        self.agents: set[int] = set()
        self._next = max(self.known.values(), default=0) + 1000

    def agent(self, value: str | None) -> int | None:
        text = (value or "").strip()
        if not text:
            return None
        m = _DIGITS.search(text)
        number = self.agent_base + int(m.group(1)) if m else self.number(text)
        self.agents.add(number)
        return number

    def number(self, value: str | None) -> int | None:
        text = (value or "").strip()
        if not text:
            return None
        if text not in self.known:
            self.known[text] = self._next
            self._next += 1
        return self.known[text]


def rails_time_zones() -> dict[str, str]:
    """IANA name -> the first Rails name of seeds/adapters/zendesk_time_zone_map.csv."""
    path = PROJECT_DIR / "seeds" / "adapters" / "zendesk_time_zone_map.csv"
    out: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["iana_time_zone"], row["zendesk_time_zone"])
    return out


def _minutes(hhmm: str) -> int:
    hours, _, minutes = hhmm.strip().partition(":")
    return int(hours) * 60 + int(minutes)


def schedule_rows(contract: Mapping[str, pa.Table], ids: SupportIds, synced: str) -> list[dict]:
    """The latest version of each contract schedule: one row per interval, start and end in
    minutes from Sunday 00:00 (contract weekday 0 = Monday is Zendesk day 1)."""
    table = contract.get("ticketing/schedules")
    rows = table.to_pylist() if table is not None else []
    latest: dict[str, str] = {}
    for r in rows:
        latest[r["schedule_id"]] = max(latest.get(r["schedule_id"], ""), r["valid_from"])
    zones = rails_time_zones()
    out = []
    for r in rows:
        if r["valid_from"] != latest[r["schedule_id"]]:
            continue
        day = (int(r["weekday"]) + 1) % 7
        out.append(
            {
                "id": str(ids.number(r["schedule_id"])),
                "name": r["schedule_id"],
                "start_time": str(day * 1440 + _minutes(r["start_time"])),
                "end_time": str(day * 1440 + _minutes(r["end_time"])),
                "time_zone": zones.get(r["time_zone"], r["time_zone"]),
                "created_at": "2020-01-01T00:00:00Z",
                "_fivetran_deleted": "false",
                "_fivetran_synced": synced,
            }
        )
    return out


def holiday_rows(contract: Mapping[str, pa.Table], ids: SupportIds, synced: str) -> list[dict]:
    table = contract.get("ticketing/holidays")
    rows = table.to_pylist() if table is not None else []
    return [
        {
            "id": str(8_000_001 + k),
            "schedule_id": str(ids.number(r["schedule_id"])),
            "name": r.get("name"),
            "start_date": r["holiday_date"],
            "end_date": r["holiday_date"],
            "_fivetran_deleted": "false",
            "_fivetran_synced": synced,
        }
        for k, r in enumerate(rows)
    ]


def sla_rows(
    contract: Mapping[str, pa.Table], ids: SupportIds, synced: str
) -> tuple[list[dict], list[dict]]:
    """(sla_policy_history, sla_policy_metric_history): one Zendesk policy per contract
    policy with the targets Zendesk can hold (no resolution metric, no tier)."""
    from demo_data.vendors.zendesk import SLA_METRIC

    table = contract.get("ticketing/sla_policies")
    rows = table.to_pylist() if table is not None else []
    policies: dict[str, int] = {}
    metrics = []
    updated = "2020-01-01T00:00:00Z"
    for r in rows:
        metric = SLA_METRIC.get((r["metric"] or "").strip().lower())
        if metric is None or (r.get("tier") or "").strip():
            continue
        number = policies.setdefault(r["policy_id"], 6_000_001 + len(policies))
        metrics.append(
            {
                "index": str(len(metrics)),
                "sla_policy_id": str(number),
                "sla_policy_updated_at": updated,
                "business_hours": str(r["in_business_hours"]).strip().lower(),
                "metric": metric,
                "priority": r["priority"],
                "target": str(int(float(r["target_minutes"]))),
                "_fivetran_synced": synced,
            }
        )
    history = [
        {
            "id": str(number),
            "title": policy,
            "created_at": updated,
            "updated_at": updated,
            "_fivetran_deleted": "false",
            "_fivetran_synced": synced,
        }
        for policy, number in policies.items()
    ]
    return history, metrics
