"""The demo's support-operations data (demo_data/support_ops.py, issue 16): the optional tables
and columns are written by default, leave every contract column as it was, and carry what the
support marts measure (uneven workloads, groups, time zones with daylight-saving changes, a
schedule change, holidays, SLA policies per priority, handoffs)."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from demo_data.generator import generate
from demo_data.vocab import PRIORITIES
from ingest.contract import OPTIONAL_COLUMNS, OPTIONAL_TABLES, TABLES

END = date(2026, 10, 31)


def _text(path: Path) -> pa.Table:
    """A CSV file with every column as text (blank = '')."""
    names = path.open(encoding="utf-8").readline().strip().replace('"', "").split(",")
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in names}, strings_can_be_null=False
        ),
    )


def _rows(path: Path) -> list[dict[str, str]]:
    return _text(path).to_pylist()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("support_demo")
    generate(landing, accounts=400, seed=11)
    return landing


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("plain_demo")
    generate(landing, accounts=400, seed=11, support_operations=False)
    return landing


def test_optional_tables_and_columns_are_written_by_default(demo: Path, plain: Path):
    for t in OPTIONAL_TABLES:
        header = _text(demo / t.system / f"{t.name}.csv").column_names
        assert header == t.column_names, t.qualified
        assert not (plain / t.system / f"{t.name}.csv").exists()
    for t in TABLES:
        optional = [c.name for c in OPTIONAL_COLUMNS.get(t.qualified, ())]
        with_ops = _text(demo / t.system / f"{t.name}.csv").column_names
        without = _text(plain / t.system / f"{t.name}.csv").column_names
        assert without == t.column_names
        assert with_ops == [*t.column_names, *optional], t.qualified


def test_contract_columns_are_the_same_with_or_without_them(demo: Path, plain: Path):
    """The support data come from their own random stream: every contract column keeps its
    values (and files without optional columns their bytes)."""
    for t in TABLES:
        a = demo / t.system / f"{t.name}.csv"
        b = plain / t.system / f"{t.name}.csv"
        if t.qualified in OPTIONAL_COLUMNS:
            assert _text(a).select(t.column_names).equals(_text(b)), t.qualified
        else:
            assert (
                hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
            ), t.qualified


def test_same_seed_same_bytes_in_parquet_too(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    for landing in (a, b):
        generate(landing, accounts=60, seed=2, file_format="parquet")
    for t in OPTIONAL_TABLES:
        pa_ = a / t.system / f"{t.name}.parquet"
        assert pa_.read_bytes() == (b / t.system / f"{t.name}.parquet").read_bytes()
    schema = pq.read_schema(a / "ticketing" / "tickets.parquet")
    assert schema.names[-3:] == ["assignee_id", "group_id", "schedule_id"]
    assert pq.read_schema(a / "ticketing" / "schedules.parquet").field("weekday").type == (
        pa.int64()
    )


def test_schedules_cross_daylight_saving_changes_and_one_changes(demo: Path):
    rows = _rows(demo / "ticketing" / "schedules.csv")
    zones = {r["schedule_id"]: r["time_zone"] for r in rows}
    assert len(zones) == 2 and len(set(zones.values())) == 2
    keys = [(r["schedule_id"], r["valid_from"], r["weekday"], r["start_time"]) for r in rows]
    assert len(keys) == len(set(keys))
    versions = Counter(
        r["schedule_id"] for r in {(r["schedule_id"], r["valid_from"]): r for r in rows}.values()
    )
    assert max(versions.values()) == 2  # a schedule change (a later valid_from)
    change = max(r["valid_from"] for r in rows)
    window_start = date(END.year - 2, END.month, END.day)
    assert window_start.isoformat() < change <= END.isoformat()
    for zone in zones.values():  # the UTC offset of the zone changes inside the window
        offsets = {
            ZoneInfo(zone).utcoffset(
                datetime.combine(window_start, datetime.min.time()) + timedelta(days=d)
            )
            for d in range(0, (END - window_start).days, 7)
        }
        assert len(offsets) == 2, zone
    for r in rows:
        assert 0 <= int(r["weekday"]) <= 6 and r["start_time"] < r["end_time"]


def test_holidays_fall_inside_the_window_on_known_schedules(demo: Path):
    schedules = {r["schedule_id"] for r in _rows(demo / "ticketing" / "schedules.csv")}
    holidays = _rows(demo / "ticketing" / "holidays.csv")
    assert {h["schedule_id"] for h in holidays} == schedules
    inside = [
        h
        for h in holidays
        if date(2024, 10, 31).isoformat() <= h["holiday_date"] <= END.isoformat()
    ]
    assert inside and all(h["name"] for h in holidays)
    assert len({(h["schedule_id"], h["holiday_date"]) for h in holidays}) == len(holidays)


def test_sla_policies_cover_every_priority_and_a_tier(demo: Path):
    policies = _rows(demo / "ticketing" / "sla_policies.csv")
    assert {p["priority"] for p in policies if p["priority"]} == set(PRIORITIES)
    assert any(p["tier"] for p in policies)
    assert len({(p["policy_id"], p["metric"]) for p in policies}) == len(policies)
    first_reply = {
        p["priority"]: int(p["target_minutes"])
        for p in policies
        if p["metric"] == "first_reply" and not p["tier"]
    }
    assert first_reply["urgent"] < first_reply["high"] < first_reply["normal"] < first_reply["low"]


def _parse(ts: str) -> datetime:
    value = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_tickets_have_groups_schedules_and_unevenly_busy_agents(demo: Path):
    tickets = _rows(demo / "ticketing" / "tickets.csv")
    valid = [t for t in tickets if t["ticket_id"] and t["group_id"]]
    schedule_of = {}
    for t in valid:
        schedule_of.setdefault(t["group_id"], set()).add(t["schedule_id"])
    assert len(schedule_of) == 3 and all(len(s) == 1 for s in schedule_of.values())
    assert {s for v in schedule_of.values() for s in v} == {
        r["schedule_id"] for r in _rows(demo / "ticketing" / "schedules.csv")
    }
    for t in valid:
        assert (t["assignee_id"] == "") == (t["status"] == "new"), t  # new: nobody answered
    load = Counter(t["assignee_id"] for t in valid if t["assignee_id"])
    assert all(a.startswith("agent-") and len(a) == 9 for a in load)
    per_group: dict[str, Counter] = {}
    for t in valid:
        if t["assignee_id"]:
            per_group.setdefault(t["group_id"], Counter())[t["assignee_id"]] += 1
    for group, agents in per_group.items():
        counts = sorted(agents.values())
        assert counts[-1] >= 3 * counts[0], (group, counts)  # uneven workloads


def test_urgent_tickets_are_answered_faster(demo: Path):
    tickets = {t["ticket_id"]: t for t in _rows(demo / "ticketing" / "tickets.csv")}
    first: dict[str, datetime] = {}
    for e in _rows(demo / "ticketing" / "ticket_events.csv"):
        if e["event_type"] == "public_reply" and e["author_role"] == "agent":
            try:
                at = _parse(e["created_at"])
            except ValueError:
                continue
            if e["ticket_id"] not in first or at < first[e["ticket_id"]]:
                first[e["ticket_id"]] = at
    minutes: dict[str, list[float]] = {}
    for tid, at in first.items():
        t = tickets.get(tid)
        if t:
            try:
                created = _parse(t["created_at"])
            except ValueError:
                continue
            minutes.setdefault(t["priority"], []).append((at - created).total_seconds() / 60)
    median = {p: sorted(v)[len(v) // 2] for p, v in minutes.items()}
    assert median["urgent"] < median["high"] < median["normal"] < median["low"]


def test_events_carry_authors_statuses_and_handoffs(demo: Path):
    tickets = {t["ticket_id"]: t for t in _rows(demo / "ticketing" / "tickets.csv")}
    events = _rows(demo / "ticketing" / "ticket_events.csv")
    for e in events:
        role, author = e["author_role"], e["author_id"]
        if role == "system":
            assert author == ""
        elif role == "customer":
            assert author == "" or author.startswith("CON-")
        if e["event_type"] != "status_change":
            assert e["new_status"] == ""
        else:
            assert e["new_status"] in ("open", "closed")
    assert Counter(e["new_status"] for e in events)["open"] > 0
    assert any(e["author_role"] == "customer" and e["author_id"] for e in events)
    # handoffs: another agent acted on the ticket before its assignee
    agents: dict[str, list[tuple[datetime, str]]] = {}
    for e in events:
        if e["author_role"] == "agent" and e["author_id"] and e["ticket_id"] in tickets:
            try:
                agents.setdefault(e["ticket_id"], []).append(
                    (_parse(e["created_at"]), e["author_id"])
                )
            except ValueError:
                continue
    home: dict[str, Counter] = {}
    for t in tickets.values():
        if t["assignee_id"]:
            home.setdefault(t["assignee_id"], Counter())[t["group_id"]] += 1
    group_of = {a: c.most_common(1)[0][0] for a, c in home.items()}
    handed = cross_group = 0
    for tid, acts in agents.items():
        acts.sort()
        authors = [a for _, a in acts]
        if tickets[tid]["status"] in ("solved", "closed"):  # who solved it holds it
            assert authors[-1] == tickets[tid]["assignee_id"], tid
        if len(set(authors)) > 1:
            handed += 1
            cross_group += group_of.get(authors[0]) != group_of.get(authors[-1])
    assert handed > 0.05 * len(agents) and cross_group > 0
