"""Support operations (issue 16): who works the tickets, on which business hours, under which
SLA policy: the optional tables `ticketing.schedules`, `ticketing.holidays`,
`ticketing.sla_policies` and the optional columns `tickets.{assignee_id, group_id,
schedule_id}`, `ticket_events.{author_id, new_status}` (ingest/contract.py OPTIONAL_TABLES,
OPTIONAL_COLUMNS; docs/support_operations.md).

Everything random here comes from the world's own `support` stream, drawn after the tickets'
facts are fixed: the contract columns of every table stay byte-identical with or without
support operations. Three groups (two regional, one billing) with agents of uneven workloads
(pseudonymous ids `agent-001` ...), two schedules in New York and Berlin (the New York one
changes part-way through the window, both cross daylight-saving changes), public holidays, SLA
policies per priority and one for the strategic tier, and handoffs: some tickets are answered
by one agent and finished by another (a billing escalation from the regional group, or a
colleague in the same group).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo_data.arrays import ids, minus_months, nullable, pick, strings
from demo_data.vocab import AUTHOR_ROLES, BILLING_CATS, COUNTRIES, EVENT_TYPES
from demo_data.world import World

# (group id, its schedule, agents, handoff probability of an answered ticket)
GROUPS = (
    ("support-americas", "sched-new-york", 9, 0.08),
    ("support-emea", "sched-berlin", 9, 0.08),
    ("billing", "sched-berlin", 6, 0.30),  # escalated from the regional group
)
AMERICAS = ("US", "MX", "BR", "CA", "AR", "CO", "CL")
WORKLOAD_SKEW = 1.1  # an agent's share in its group falls as 1 / rank ** skew
BASE_VALID_FROM = "2020-01-01"
SCHEDULE_CHANGE_MONTHS_BEFORE_END = 8  # the New York schedule widens then
# (schedule, IANA zone, version, weekdays, start, end); version 1 starts at BASE_VALID_FROM,
# version 2 at the schedule change
SCHEDULE_HOURS = (
    ("sched-new-york", "America/New_York", 1, range(5), "09:00", "17:00"),
    ("sched-new-york", "America/New_York", 2, range(5), "08:00", "18:00"),
    ("sched-new-york", "America/New_York", 2, (5,), "10:00", "14:00"),
    ("sched-berlin", "Europe/Berlin", 1, range(5), "08:00", "17:00"),
)
# (schedule, month, day, name): fixed-date public holidays, every year of the window
HOLIDAYS = (
    ("sched-new-york", 1, 1, "New Year's Day"),
    ("sched-new-york", 7, 4, "Independence Day"),
    ("sched-new-york", 12, 25, "Christmas Day"),
    ("sched-berlin", 1, 1, "Neujahr"),
    ("sched-berlin", 5, 1, "Tag der Arbeit"),
    ("sched-berlin", 10, 3, "Tag der Deutschen Einheit"),
    ("sched-berlin", 12, 25, "1. Weihnachtstag"),
    ("sched-berlin", 12, 26, "2. Weihnachtstag"),
)
# (policy, priority, tier, metric, target minutes, in business hours): urgent tickets are
# answered on the calendar clock, the rest in business hours; the strategic tier's high
# priority tickets get tighter targets
SLA_POLICIES = (
    ("P-URGENT", "urgent", None, "first_reply", 60, False),
    ("P-URGENT", "urgent", None, "next_reply", 120, False),
    ("P-URGENT", "urgent", None, "resolution", 480, True),
    ("P-HIGH", "high", None, "first_reply", 240, True),
    ("P-HIGH", "high", None, "next_reply", 240, True),
    ("P-HIGH", "high", None, "agent_work", 960, True),
    ("P-HIGH", "high", None, "resolution", 1440, True),
    ("P-NORMAL", "normal", None, "first_reply", 480, True),
    ("P-NORMAL", "normal", None, "next_reply", 480, True),
    ("P-NORMAL", "normal", None, "requester_wait", 2400, True),
    ("P-NORMAL", "normal", None, "resolution", 2880, True),
    ("P-LOW", "low", None, "first_reply", 1440, True),
    ("P-LOW", "low", None, "resolution", 5760, True),
    ("P-STRATEGIC-HIGH", "high", "strategic", "first_reply", 120, True),
    ("P-STRATEGIC-HIGH", "high", "strategic", "resolution", 960, True),
)
# the status a status_change event sets, by its place in the ticket's lifecycle
# (demo_data/ticketing.py `events`: 1 = the triage after creation, 10 = the close)
NEW_STATUS_OF_STEP = {1: "open", 10: "closed"}


def _members() -> list[np.ndarray]:
    """The agent numbers (0-based) of each group: consecutive blocks."""
    out, first = [], 0
    for _, _, size, _ in GROUPS:
        out.append(np.arange(first, first + size))
        first += size
    return out


def _weights(size: int) -> tuple[float, ...]:
    return tuple(1.0 / (k + 1) ** WORKLOAD_SKEW for k in range(size))


@dataclass
class Routing:
    """Per ticket (ticket order): group, schedule, final assignee, the agent who started and
    when the ticket was handed over (inf: never), and the requester's contact (-1: none)."""

    group: np.ndarray
    agent: np.ndarray  # -1: not answered by the end date, no assignee
    first_agent: np.ndarray
    handoff_at: np.ndarray
    customer: np.ndarray

    def ticket_columns(self, a: int, b: int) -> dict[str, pa.Array]:
        """The optional columns of tickets [a, b)."""
        group = self.group[a:b]
        agent = self.agent[a:b]
        return {
            "assignee_id": nullable(_agent_ids(agent), agent >= 0),
            "group_id": strings([g[0] for g in GROUPS], group),
            "schedule_id": strings([g[1] for g in GROUPS], group),
        }

    def event_columns(
        self, ticket: np.ndarray, t: np.ndarray, etype: np.ndarray, role: np.ndarray, step
    ) -> dict[str, pa.Array]:
        """The optional columns of events (arrays per event): who wrote it (the agent who held
        the ticket then, or the requester's contact id) and the status a status change set."""
        is_agent = role == AUTHOR_ROLES.index("agent")
        who = np.where(t < self.handoff_at[ticket], self.first_agent[ticket], self.agent[ticket])
        customer = self.customer[ticket]
        is_customer = (role == AUTHOR_ROLES.index("customer")) & (customer >= 0)
        author = pc.if_else(
            pa.array(is_agent & (who >= 0)),
            _agent_ids(who),
            pc.if_else(
                pa.array(is_customer),
                ids("CON-", np.maximum(customer, 0) + 1, 7),
                pa.scalar(None, pa.string()),
            ),
        )
        status_change = etype == EVENT_TYPES.index("status_change")
        names = [None, *sorted(set(NEW_STATUS_OF_STEP.values()))]
        code = np.zeros(ticket.size, dtype=np.int64)
        for s, status in NEW_STATUS_OF_STEP.items():
            code[status_change & (step == s)] = names.index(status)
        new_status = pa.array(names, pa.string()).take(pa.array(code))
        return {"author_id": author, "new_status": new_status}


def _agent_ids(agent: np.ndarray) -> pa.Array:
    return ids("agent-", np.maximum(agent, 0) + 1, 3)


def route(w: World, first_reply: np.ndarray, solved1: np.ndarray, is_solved: np.ndarray) -> Routing:
    """Groups, assignees and handoffs of the tickets in `w.t` (drawn from the `support`
    stream only)."""
    r = w.rngs["support"]
    t = w.t
    n = t["created"].size
    country = np.array([c[0] for c in COUNTRIES])[w.a["country"][t["acc"]]]
    regional = np.where(np.isin(country, AMERICAS), 0, 1)
    billing = np.isin(t["cat"], BILLING_CATS)
    group = np.where(billing, 2, regional)
    members = _members()
    # agent numbers are shuffled, so that agent-001 is not the busiest of the first group; the
    # first chunk of accounts draws the order and every chunk keeps it (the same busiest agents)
    numbers = w.shared.setdefault("agent_numbers", r.permutation(sum(g[2] for g in GROUPS)))

    def agents_of(groups_: np.ndarray) -> np.ndarray:
        out = np.full(groups_.size, -1, dtype=np.int64)
        for g, block in enumerate(members):
            m = groups_ == g
            out[m] = numbers[block[pick(r, _weights(block.size), int(m.sum()))]]
        return out

    answered = first_reply <= w.end
    agent = agents_of(group)
    handoff_p = np.array([g[3] for g in GROUPS])[group]
    handed = answered & (r.random(n) < handoff_p)
    # billing tickets are escalated from the regional group; the others go to a colleague
    starter = agents_of(np.where(billing, regional, group))
    colleague = starter == agent
    if colleague.any():  # the next agent of the same group
        size = np.array([g[2] for g in GROUPS])
        offset = np.cumsum(size) - size
        place = np.empty(numbers.size, dtype=np.int64)
        place[numbers] = np.arange(numbers.size)  # agent number -> its place in `numbers`
        g = group[colleague]
        k = place[agent[colleague]] - offset[g]
        starter[colleague] = numbers[offset[g] + (k + 1) % size[g]]
    until = np.where(is_solved, solved1, w.end)
    u = r.uniform(0.05, 0.95, n)
    handoff_at = np.where(handed, first_reply + u * (until - first_reply), np.inf)
    first_agent = np.where(handed, starter, agent)
    agent = np.where(answered, agent, -1)
    first_agent = np.where(answered, first_agent, -1)
    customer = np.where(t["unmatched"], -1, t["person"] + w.off["con"])
    return Routing(group, agent, first_agent, handoff_at, customer)


def tables(w: World) -> None:
    """Emits the schedules, holidays and SLA policies (no randomness: reference data)."""
    change = minus_months(w.end_date, SCHEDULE_CHANGE_MONTHS_BEFORE_END).replace(day=1)
    valid_from = {1: BASE_VALID_FROM, 2: change.isoformat()}
    rows = [
        (sid, zone, wd, start, end, valid_from[version])
        for sid, zone, version, days, start, end in SCHEDULE_HOURS
        for wd in days
    ]
    w.emit(
        "ticketing.schedules",
        {
            "schedule_id": pa.array([x[0] for x in rows]),
            "time_zone": pa.array([x[1] for x in rows]),
            "weekday": pa.array([x[2] for x in rows], pa.int64()),
            "start_time": pa.array([x[3] for x in rows]),
            "end_time": pa.array([x[4] for x in rows]),
            "valid_from": pa.array([x[5] for x in rows]),
        },
    )
    first = datetime.fromtimestamp(w.start, UTC).year
    days = [
        (sid, date(year, month, day).isoformat(), name)
        for year in range(first, w.end_date.year + 1)
        for sid, month, day, name in HOLIDAYS
    ]
    days.sort()
    w.emit(
        "ticketing.holidays",
        {
            "schedule_id": pa.array([x[0] for x in days]),
            "holiday_date": pa.array([x[1] for x in days]),
            "name": pa.array([x[2] for x in days]),
        },
    )
    w.emit(
        "ticketing.sla_policies",
        {
            "policy_id": pa.array([x[0] for x in SLA_POLICIES]),
            "priority": pa.array([x[1] for x in SLA_POLICIES], pa.string()),
            "tier": pa.array([x[2] for x in SLA_POLICIES], pa.string()),
            "metric": pa.array([x[3] for x in SLA_POLICIES]),
            "target_minutes": pa.array([x[4] for x in SLA_POLICIES], pa.int64()),
            "in_business_hours": pa.array([x[5] for x in SLA_POLICIES], pa.bool_()),
        },
    )
