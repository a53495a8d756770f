"""SLA policies (issue 16): ticket_sla_metrics and sla_attainment against a plain-Python
reference on the edge fixture (policies chosen by hand, minutes and breach times by walking
the clock minute by minute with zoneinfo)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from tests.dbt_helpers import query
from tests.support.test_business_time import (
    AS_OF_END,
    EXPECTED_SPANS,
    SCHEDULE_OF,
    UNSOLVED,
    _is_business_minute,
    _utc,
)

# (ticket, metric, cycle) -> (policy, target minutes, business hours), chosen by hand from
# conftest.SLA_POLICIES: the most specific match of priority (T1, T4 high; T2, T3 normal) and
# tier (all 'unmatched': their requesters match no contact); business-hours policies only for
# tickets on a schedule (T3 has none; nor has it status metrics).
APPLIED = {
    ("T1", "first_reply", 1): ("P-HIGH", 480, True),
    ("T1", "next_reply", 1): ("P-HIGH", 240, True),
    ("T1", "resolution", 1): ("P-HIGH", 2400, True),
    ("T1", "agent_work", 1): ("P-HIGH", 600, True),
    ("T2", "first_reply", 1): ("P-NORMAL", 1440, False),
    ("T2", "resolution", 1): ("P-NORMAL-UNMATCHED", 60, False),
    ("T2", "requester_wait", 1): ("P-NORMAL", 3000, True),
    ("T3", "first_reply", 1): ("P-NORMAL", 1440, False),
    ("T3", "resolution", 1): ("P-NORMAL-UNMATCHED", 60, False),
    ("T4", "first_reply", 1): ("P-HIGH", 480, True),
    ("T4", "resolution", 1): ("P-HIGH", 2400, True),
}
GROUP_OF = {"T1": "G1", "T2": "G2", "T3": "G1", "T4": "G1"}


def clock(key, business: bool, target: int) -> tuple[int, datetime | None]:
    """Minutes on the clock and the instant the target was passed (None if not)."""
    schedule = SCHEDULE_OF[key[0]]
    elapsed, breached_at = 0, None
    for start, end in sorted(EXPECTED_SPANS[key]):
        t, stop = _utc(start), (_utc(end) if end else AS_OF_END)
        while t < stop:
            if not business or _is_business_minute(schedule, t):
                elapsed += 1
                if elapsed == target:
                    breached_at = t + timedelta(minutes=1)
            t += timedelta(minutes=1)
    return elapsed, (breached_at if elapsed > target else None)


def reference() -> dict:
    out = {}
    for key, (policy, target, business) in APPLIED.items():
        elapsed, breached_at = clock(key, business, target)
        spans = EXPECTED_SPANS[key]
        complete = all(e is not None for _, e in spans) and not (
            key[1] in ("agent_work", "requester_wait") and key[0] in UNSOLVED
        )
        status = "breached" if elapsed > target else "achieved" if complete else "pending"
        out[key] = (policy, float(target), float(elapsed), breached_at, status)
    return out


def test_sla_per_ticket_and_metric_equals_the_reference(support_warehouse):
    rows = query(
        support_warehouse,
        "select ticket_id, metric, cycle, policy_id, target_minutes, elapsed_minutes, "
        "breached_at, sla_status from marts.ticket_sla_metrics",
    )
    got = {
        (t, m, c): (p, target, elapsed, b.replace(tzinfo=AS_OF_END.tzinfo) if b else None, s)
        for t, m, c, p, target, elapsed, b, s in rows
    }
    expected = reference()
    assert set(got) == set(expected)
    for key in expected:
        assert got[key] == expected[key], key
    # the fixture exercises every status
    assert {v[4] for v in expected.values()} == {"breached", "achieved", "pending"}


def test_attainment_by_month_policy_and_group_equals_the_reference(support_warehouse):
    expected: dict[tuple, Counter] = {}
    for key, (policy, _, _, _, status) in reference().items():
        month = _utc(min(s for s, _ in EXPECTED_SPANS[key])).date().replace(day=1)
        group = (month, policy, key[1], GROUP_OF[key[0]])
        expected.setdefault(group, Counter())[status] += 1
    rows = query(
        support_warehouse,
        "select started_month, policy_id, metric, group_id, achieved, breached, pending, "
        "attainment_pct from marts.sla_attainment",
    )
    got = {(m, p, k, g): (a, b, n, pct) for m, p, k, g, a, b, n, pct in rows}
    assert set(got) == set(expected)
    for key, c in expected.items():
        settled = c["achieved"] + c["breached"]
        pct = c["achieved"] * 100 / settled if settled else None
        assert got[key] == (c["achieved"], c["breached"], c["pending"], pct), key
