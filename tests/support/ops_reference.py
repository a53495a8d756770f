"""A plain-Python reference for time in status, the daily backlog, handoffs, one-touch and
the agent and group performance marts (issue 16), computed from the rows of ops_fixture.py
only: status timelines by hand-written rules, minute-by-minute business time with zoneinfo,
day-by-day backlog snapshots."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.support import ops_fixture as fx

AS_OF_END = datetime.fromisoformat(fx.AS_OF).replace(tzinfo=UTC) + timedelta(days=1)
OPEN = ("new", "open", "pending", "on_hold")


def utc(text: str) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


TICKETS = {t[0]: t for t in fx.TICKETS}


def timeline(
    ticket_id: str, *, implied_solve: bool = True
) -> list[tuple[str, datetime, datetime | None]]:
    """(status, start, end) of every segment of non-zero length, end None for the last; with
    `implied_solve`, a solved ticket whose events never say so is solved at its solved_at."""
    _, _, status, created, solved, *_ = TICKETS[ticket_id]
    changes = [(utc(created), 0, "", "new")]
    for eid, tid, typ, _, at, _, new in fx.EVENTS:
        if tid != ticket_id:
            continue
        if typ == "status_change" and new:
            changes.append((utc(at), 1, eid, "on_hold" if new == "hold" else new))
        elif typ == "solved":
            changes.append((utc(at), 1, eid, "solved"))
        elif typ == "reopened":
            changes.append((utc(at), 1, eid, "open"))
    solved_by_event = any(c[3] in ("solved", "closed") for c in changes)
    if implied_solve and status in ("solved", "closed") and solved and not solved_by_event:
        changes.append((utc(solved), 2, "", "solved"))
    changes.sort()
    segments = []
    for i, (at, _, _, state) in enumerate(changes):
        end = changes[i + 1][0] if i + 1 < len(changes) else None
        if end is None or end > at:
            segments.append((state, at, end))
    return segments


def business_minutes(schedule: str, start: datetime, end: datetime) -> int:
    rows = [r for r in fx.SCHEDULES if r[0] == schedule]
    zone = ZoneInfo(rows[0][1])
    total, t = 0, start
    while t < end:
        local = t.astimezone(zone)
        minute = local.hour * 60 + local.minute
        for _, _, weekday, first, last, _ in rows:
            h1, m1 = map(int, first.split(":"))
            h2, m2 = map(int, last.split(":"))
            if int(weekday) == local.weekday() and h1 * 60 + m1 <= minute < h2 * 60 + m2:
                total += 1
                break
        t += timedelta(minutes=1)
    return total


def status_durations() -> dict[tuple[str, str], tuple]:
    """(ticket, status) -> (entries, first entered, is_current, calendar and business
    minutes)."""
    out = {}
    for tid, *_, schedule in fx.TICKETS:
        by_status: dict[str, list] = defaultdict(lambda: [0, None, False, 0.0, 0.0])
        for state, start, end in timeline(tid):
            stop = end or max(AS_OF_END, start)
            row = by_status[state]
            row[0] += 1
            row[1] = min(row[1] or start, start)
            row[2] = row[2] or end is None
            row[3] += (stop - start).total_seconds() / 60
            if schedule:
                row[4] += business_minutes(schedule, start, stop)
        for state, (n, first, current, cal, bus) in by_status.items():
            out[(tid, state)] = (
                n,
                first.replace(tzinfo=None),
                current,
                cal,
                bus if schedule else None,
            )
    return out


def age_bucket(age: timedelta) -> str:
    days = age.total_seconds() / 86400
    for limit, label in ((1, "0-1d"), (3, "1-3d"), (7, "3-7d"), (30, "7-30d")):
        if days < limit:
            return label
    return "30d+"


def status_at(tid: str, instant: datetime) -> str | None:
    """The status in force just before `instant`."""
    for state, start, end in timeline(tid):
        if start < instant and (end is None or end >= instant):
            return state
    return None


def backlog_daily() -> dict[tuple, int]:
    """(day, status, group, priority, age bucket) -> open tickets at the end of the day."""
    first = min(utc(t[3]) for t in fx.TICKETS).date()
    out: Counter = Counter()
    day = first
    while day <= date.fromisoformat(fx.AS_OF):
        day_end = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        for tid, prio, _, created, _, _, group, _ in fx.TICKETS:
            state = status_at(tid, day_end)
            if state in OPEN:
                key = (day, state, group or "(none)", prio or "(none)",
                       age_bucket(day_end - utc(created)))  # fmt: skip
                out[key] += 1
        day += timedelta(days=1)
    return dict(out)


def handoffs() -> dict[str, list[tuple[str, str]]]:
    """ticket -> [(from agent, to agent)] in order of the agents' events."""
    out: dict[str, list] = defaultdict(list)
    for tid in TICKETS:
        acts = sorted(
            (utc(at), eid, author)
            for eid, t, _, role, at, author, _ in fx.EVENTS
            if t == tid and role == "agent" and author
        )
        for (_, _, before), (_, _, after) in zip(acts, acts[1:], strict=False):
            if before != after:
                out[tid].append((before, after))
    return out


def home_groups() -> dict[str, str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for *_, agent, group, _ in fx.TICKETS:
        if agent and group:
            counts[agent][group] += 1
    return {a: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for a, c in counts.items()}


def is_one_touch(tid: str) -> bool:
    replies = sum(
        1
        for _, t, typ, role, *_ in fx.EVENTS
        if t == tid and typ == "public_reply" and role == "agent"
    )
    return TICKETS[tid][2] in ("solved", "closed") and replies == 1


def _month(at: datetime) -> date:
    return date(at.year, at.month, 1)


def episode_closers() -> dict[str, bool]:
    """ticket that closed a solved episode -> the episode is an FCR."""
    chains: list[list[str]] = []
    for tid, *_ in sorted(fx.TICKETS, key=lambda t: t[3]):
        for chain in chains:
            gap = utc(TICKETS[tid][3]) - utc(TICKETS[chain[-1]][3])
            same_person = fx.REQUESTERS[chain[-1]] == fx.REQUESTERS[tid]
            if same_person and gap <= timedelta(days=7):
                chain.append(tid)
                break
        else:
            chains.append([tid])
    out = {}
    for chain in chains:
        if TICKETS[chain[-1]][2] in ("solved", "closed"):
            reopened = any(e[1] in chain and e[2] == "reopened" for e in fx.EVENTS)
            out[chain[-1]] = len(chain) == 1 and not reopened
    return out


def performance(team_index: int) -> dict[tuple[date, str], dict[str, float | int | None]]:
    """(month, team) -> the columns of agent_performance (5) or group_performance (6)."""
    homes = home_groups()
    flows = handoffs()
    closers = episode_closers()
    rows: dict[tuple, Counter] = defaultdict(Counter)
    for t in fx.TICKETS:
        tid, team, status, solved = t[0], t[team_index], t[2], t[4]
        if not team:
            continue
        if status in ("solved", "closed"):
            r = rows[(_month(utc(solved)), team)]
            r["tickets_solved"] += 1
            r["one_touch_tickets"] += is_one_touch(tid)
            r["reopened_tickets"] += any(e[1] == tid and e[2] == "reopened" for e in fx.EVENTS)
            r["handoffs"] += len(flows.get(tid, []))
            r["group_handoffs"] += sum(
                homes.get(a) is not None and homes.get(b) is not None and homes[a] != homes[b]
                for a, b in flows.get(tid, [])
            )
        if tid in closers:
            r = rows[(_month(utc(solved)), team)]
            r["episodes_closed"] += 1
            r["fcr_episodes"] += closers[tid]
        for _, about, at, value in fx.CSAT:
            if about == tid:
                r = rows[(_month(utc(at)), team)]
                r["csat_answers"] += 1
                r["csat_positive"] += int(value) >= 4
    month = _month(min(utc(t[3]) for t in fx.TICKETS))
    while month <= date.fromisoformat(fx.AS_OF):
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = min(datetime(following.year, following.month, 1, tzinfo=UTC), AS_OF_END)
        for t in fx.TICKETS:
            if t[team_index] and status_at(t[0], end) in OPEN:
                rows[(month, t[team_index])]["open_backlog"] += 1
        month = following

    def pct(part: str, whole: str, r: Counter, scale: int = 100) -> float | None:
        return scale * r[part] / r[whole] if r[whole] else None

    return {
        key: {
            **{
                c: r[c]
                for c in (
                    "tickets_solved",
                    "one_touch_tickets",
                    "reopened_tickets",
                    "handoffs",
                    "group_handoffs",
                    "episodes_closed",
                    "fcr_episodes",
                    "csat_answers",
                    "csat_positive",
                    "open_backlog",
                )
            },
            "one_touch_rate": pct("one_touch_tickets", "tickets_solved", r),
            "reopen_rate": pct("reopened_tickets", "tickets_solved", r),
            "handoffs_per_ticket": pct("handoffs", "tickets_solved", r, 1),
            "fcr_rate": pct("fcr_episodes", "episodes_closed", r),
            "csat": pct("csat_positive", "csat_answers", r),
        }  # fmt: skip
        for key, r in rows.items()
    }
