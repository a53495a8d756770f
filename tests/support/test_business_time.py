"""Business time (issue 16): ticket_metric_times against a plain-Python reference on the edge
fixture of conftest.py (daylight-saving changes, holidays, weekends, a schedule change).

The reference walks minute by minute and asks zoneinfo for the local wall time of each
minute: a way of counting independent of the warehouse's interval expansion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.dbt_helpers import query
from tests.support.conftest import AS_OF, HOLIDAYS, SCHEDULES

AS_OF_END = datetime.fromisoformat(AS_OF).replace(tzinfo=UTC) + timedelta(days=1)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _is_business_minute(schedule: str, instant: datetime) -> bool:
    rows = [r for r in SCHEDULES if r[0] == schedule]
    local = instant.astimezone(ZoneInfo(rows[0][1]))
    day = local.date()
    if (schedule, day.isoformat()) in {(h[0], h[1]) for h in HOLIDAYS}:
        return False
    versions = sorted({r[5] for r in rows if date.fromisoformat(r[5]) <= day})
    if not versions:
        return False
    minute_of_day = local.hour * 60 + local.minute
    for _, _, weekday, start, end, valid_from in rows:
        if valid_from != versions[-1] or int(weekday) != day.weekday():
            continue
        h1, m1 = map(int, start.split(":"))
        h2, m2 = map(int, end.split(":"))
        if h1 * 60 + m1 <= minute_of_day < h2 * 60 + m2:
            return True
    return False


def business_minutes(schedule: str, spans: list[tuple[str, str | None]]) -> int:
    total = 0
    for start, end in spans:
        t = _utc(start)
        stop = _utc(end) if end else AS_OF_END
        while t < stop:
            total += _is_business_minute(schedule, t)
            t += timedelta(minutes=1)
    return total


def calendar_minutes(spans: list[tuple[str, str | None]]) -> int:
    return sum(
        int(((_utc(e) if e else AS_OF_END) - _utc(s)).total_seconds() // 60) for s, e in spans
    )


# The spans each metric runs, read off the fixture by hand (conftest.TICKETS and EVENTS).
EXPECTED_SPANS = {
    # T1: created Fri 03-06 20:00Z; open 03-09 14:00; first agent reply and pending 03-11
    # 14:30; customer reply and open 03-12 13:00; agent reply and solved 03-17 13:30.
    ("T1", "first_reply", 1): [("2026-03-06T20:00:00Z", "2026-03-11T14:30:00Z")],
    ("T1", "next_reply", 1): [("2026-03-12T13:00:00Z", "2026-03-17T13:30:00Z")],
    ("T1", "resolution", 1): [("2026-03-06T20:00:00Z", "2026-03-17T13:30:00Z")],
    ("T1", "agent_work", 1): [
        ("2026-03-06T20:00:00Z", "2026-03-09T14:00:00Z"),
        ("2026-03-09T14:00:00Z", "2026-03-11T14:30:00Z"),
        ("2026-03-12T13:00:00Z", "2026-03-17T13:30:00Z"),
    ],
    ("T1", "requester_wait", 1): [
        ("2026-03-06T20:00:00Z", "2026-03-09T14:00:00Z"),
        ("2026-03-09T14:00:00Z", "2026-03-11T14:30:00Z"),
        ("2026-03-12T13:00:00Z", "2026-03-17T13:30:00Z"),
    ],
    # T2 (Berlin): created Fri 03-27 16:00Z, open 03-28 10:00, reply and on hold 03-31 09:00,
    # still on hold at the as-of date (running metrics end at the end of 04-02).
    ("T2", "first_reply", 1): [("2026-03-27T16:00:00Z", "2026-03-31T09:00:00Z")],
    ("T2", "resolution", 1): [("2026-03-27T16:00:00Z", None)],
    ("T2", "agent_work", 1): [
        ("2026-03-27T16:00:00Z", "2026-03-28T10:00:00Z"),
        ("2026-03-28T10:00:00Z", "2026-03-31T09:00:00Z"),
    ],
    ("T2", "requester_wait", 1): [
        ("2026-03-27T16:00:00Z", "2026-03-28T10:00:00Z"),
        ("2026-03-28T10:00:00Z", "2026-03-31T09:00:00Z"),
        ("2026-03-31T09:00:00Z", None),
    ],
    # T3: no schedule (calendar only), no status change (no status metrics)
    ("T3", "first_reply", 1): [("2026-03-20T10:00:00Z", "2026-03-20T11:00:00Z")],
    ("T3", "resolution", 1): [("2026-03-20T10:00:00Z", "2026-03-20T12:00:00Z")],
    # T4: created Fri 03-13 21:00Z across the schedule change, never answered
    ("T4", "first_reply", 1): [("2026-03-13T21:00:00Z", None)],
    ("T4", "resolution", 1): [("2026-03-13T21:00:00Z", None)],
}
UNSOLVED = {"T2", "T4"}
SCHEDULE_OF = {"T1": "S1", "T2": "S2", "T3": None, "T4": "S1"}


def test_business_and_calendar_minutes_equal_the_reference(support_warehouse):
    rows = query(
        support_warehouse,
        "select ticket_id, metric, cycle, calendar_minutes, business_minutes, is_complete "
        "from marts.ticket_metric_times",
    )
    got = {(t, m, c): (float(cal), None if bus is None else float(bus), done)
           for t, m, c, cal, bus, done in rows}  # fmt: skip
    assert set(got) == set(EXPECTED_SPANS)
    for key, spans in EXPECTED_SPANS.items():
        schedule = SCHEDULE_OF[key[0]]
        expected_business = business_minutes(schedule, spans) if schedule else None
        # a status metric ends only with the ticket solved (on hold it is paused, not over)
        complete = all(end is not None for _, end in spans) and not (
            key[1] in ("agent_work", "requester_wait") and key[0] in UNSOLVED
        )
        assert got[key] == (calendar_minutes(spans), expected_business, complete), key


def test_the_fixture_crosses_the_edges():
    """The reference itself sees the edges the fixture is built for (so the test can fail)."""
    # US clocks move on 03-08: 09:00 New York is 14:00Z before, 13:00Z after
    assert _is_business_minute("S1", _utc("2026-03-06T14:00:00Z"))
    assert not _is_business_minute("S1", _utc("2026-03-06T13:30:00Z"))
    assert _is_business_minute("S1", _utc("2026-03-09T13:00:00Z"))
    assert not _is_business_minute("S1", _utc("2026-03-10T15:00:00Z"))  # holiday
    assert not _is_business_minute("S1", _utc("2026-03-14T15:00:00Z"))  # Saturday
    assert not _is_business_minute("S1", _utc("2026-03-16T17:00:00Z"))  # new hours end 12:00
    assert _is_business_minute("S2", _utc("2026-03-28T10:00:00Z"))  # Berlin Saturday
    assert not _is_business_minute("S2", _utc("2026-03-30T10:00:00Z"))  # holiday
    assert _is_business_minute("S2", _utc("2026-03-31T08:00:00Z"))  # 10:00 CEST
