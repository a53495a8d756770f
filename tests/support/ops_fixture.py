"""A small hand-made fixture for agents, groups, backlog and time in status (issue 16),
landed straight into raw tables of a throwaway DuckDB warehouse (see conftest.py for the
business-time edge fixture).

Nine tickets in March 2026 with handoffs between three agents (A1 in G1, A2 and A3 in G2),
a reopened ticket, tied events, two tickets solved without a solved event (K8 after status
changes), two without events (K9 created at midnight: its ages at day ends are whole days),
a repeat contact, and CSAT answers about three tickets.
Schedule B (Berlin, Mon-Fri 09:00-17:00) gives business minutes to K1, K3, K6 and K8."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.contract import OPTIONAL_COLUMNS, OPTIONAL_TABLES, TABLES
from tests.support.conftest import _create

AS_OF = "2026-04-02"

SCHEDULES = [("B", "Europe/Berlin", str(d), "09:00", "17:00", "2026-01-01") for d in range(5)]
# ticket, priority, status, created_at, solved_at, assignee, group, schedule
TICKETS = [
    ("K1", "high", "solved", "2026-03-02T08:00:00Z", "2026-03-04T10:00:00Z", "A1", "G1", "B"),
    ("K2", "normal", "solved", "2026-03-05T10:00:00Z", "2026-03-05T15:00:00Z", "A1", "G1", ""),
    ("K3", "normal", "solved", "2026-03-10T08:00:00Z", "2026-03-20T09:00:00Z", "A2", "G2", "B"),
    ("K4", "low", "open", "2026-03-25T12:00:00Z", "", "A3", "G2", ""),
    ("K5", "urgent", "new", "2026-03-30T23:00:00Z", "", "", "G1", ""),
    ("K6", "normal", "solved", "2026-03-15T10:00:00Z", "2026-04-01T10:00:00Z", "A3", "", "B"),
    ("K7", "normal", "solved", "2026-03-08T10:00:00Z", "2026-03-08T12:00:00Z", "A2", "G2", ""),
    # status changes but no solved event: its solve is implied by solved_at
    ("K8", "normal", "solved", "2026-03-16T09:00:00Z", "2026-03-18T15:00:00Z", "A1", "G1", "B"),
    # a repeat contact of K2 (REQUESTERS; same category within 7 days): K7 closes the episode
    # created at midnight: at the end of 03-20, 03-22, 03-26 and 04-18 its age is exactly
    # 1, 3, 7 and 30 days (the backlog's age buckets' edges; 30 days falls after AS_OF)
    ("K9", "low", "new", "2026-03-20T00:00:00Z", "", "", "G2", ""),
]  # fmt: skip
# the requester of each ticket: its own, but K7's is K2's
REQUESTERS = {t[0]: ("K2" if t[0] == "K7" else t[0]).lower() + "@example.com" for t in TICKETS}
# event, ticket, type, role, created_at, author, new_status
EVENTS = [
    ("E01", "K1", "status_change", "agent", "2026-03-02T09:00:00Z", "A1", "open"),
    ("E02", "K1", "public_reply", "agent", "2026-03-02T09:30:00Z", "A1", ""),
    ("E03", "K1", "status_change", "agent", "2026-03-02T09:30:00Z", "A1", "pending"),
    ("E04", "K1", "public_reply", "customer", "2026-03-03T12:00:00Z", "", ""),
    ("E05", "K1", "status_change", "system", "2026-03-03T12:00:00Z", "", "open"),
    ("E06", "K1", "public_reply", "agent", "2026-03-04T10:00:00Z", "A2", ""),
    ("E07", "K1", "solved", "agent", "2026-03-04T10:00:00Z", "A2", ""),
    ("E08", "K2", "status_change", "agent", "2026-03-05T11:00:00Z", "A1", "open"),
    ("E09", "K2", "public_reply", "agent", "2026-03-05T14:00:00Z", "A1", ""),
    ("E10", "K2", "solved", "agent", "2026-03-05T15:00:00Z", "A1", ""),
    ("E11", "K3", "public_reply", "agent", "2026-03-10T08:30:00Z", "A2", ""),
    ("E12", "K3", "solved", "agent", "2026-03-10T08:30:00Z", "A2", ""),
    ("E13", "K3", "reopened", "customer", "2026-03-12T10:00:00Z", "", ""),
    ("E14", "K3", "public_reply", "agent", "2026-03-13T09:00:00Z", "A3", ""),
    ("E15", "K3", "status_change", "agent", "2026-03-13T09:00:00Z", "A3", "hold"),
    ("E16", "K3", "solved", "agent", "2026-03-20T09:00:00Z", "A2", ""),
    ("E17", "K4", "status_change", "agent", "2026-03-26T09:00:00Z", "A3", "pending"),
    ("E18", "K6", "public_reply", "agent", "2026-03-16T10:00:00Z", "A3", ""),
    ("E19", "K7", "public_reply", "agent", "2026-03-08T11:00:00Z", "A2", ""),
    ("E20", "K7", "solved", "agent", "2026-03-08T12:00:00Z", "A2", ""),
    ("E21", "K8", "status_change", "agent", "2026-03-16T10:00:00Z", "A1", "open"),
    ("E22", "K8", "public_reply", "agent", "2026-03-17T10:00:00Z", "A1", ""),
    ("E23", "K8", "status_change", "agent", "2026-03-17T10:00:00Z", "A1", "pending"),
]
# response, ticket, submitted_at, csat answer
CSAT = [
    ("R1", "K2", "2026-03-06T10:00:00Z", "5"),
    ("R2", "K3", "2026-03-21T10:00:00Z", "2"),
    ("R3", "K6", "2026-04-02T10:00:00Z", "4"),
]


def land(database: Path) -> None:
    """Every contract table (empty but for tickets, events and the survey rows), the
    optional columns and the schedules table (no holidays, no SLA policies)."""
    rows_of = {
        "ticketing.tickets": [
            (tid, REQUESTERS[tid], "email", "billing", "", prio, status, created, solved, a, g, s)
            for tid, prio, status, created, solved, a, g, s in TICKETS
        ],
        "ticketing.ticket_events": [
            (eid, tid, typ, role, "email", at, author, new)
            for eid, tid, typ, role, at, author, new in EVENTS
        ],
        "survey.surveys": [("SV1", "After support", "transactional", "support")],
        "survey.questions": [("Q1", "SV1", "csat", "", "How satisfied are you?")],
        "survey.responses": [
            (rid, "SV1", REQUESTERS[tid], tid, "", "email", at)
            for rid, tid, at, _ in CSAT
        ],
        "survey.answers": [(rid, "Q1", value, "") for rid, _, _, value in CSAT],
    }  # fmt: skip
    con = duckdb.connect(str(database))
    try:
        for t in TABLES:
            extra = [c.name for c in OPTIONAL_COLUMNS.get(t.qualified, ())]
            _create(
                con, t.raw_schema, t.name, [*t.column_names, *extra], rows_of.get(t.qualified, [])
            )
        data = {"schedules": SCHEDULES, "holidays": [], "sla_policies": []}
        for t in OPTIONAL_TABLES:
            _create(con, t.raw_schema, t.name, t.column_names, data[t.name])
    finally:
        con.close()
