"""callback_worklist (the closed loop) on the golden fixture, worked out by hand.

As-of date 2026-03-31, window 7 days, at_risk_contacts 3. Detractor responses (nps <= 6 or
csat <= 2): R2 (a1.user, nps 3, 02-15), R3 (a2, nps 6, 02-20), R7 (a2, csat 2, 02-06) and
R9 (the unmatched stranger, csat 1, 03-13). None of those people gets an agent reply or opens
a ticket in the 7 days after: all four are `missed`. The at-risk episode of a2 (T4, T5, T6)
is signalled when T6 opens (02-05 10:00); the agent's public reply E0602 at 10:20 closes it:
0.333 hours. R10 (csat 3) and every promoter or passive are not signals.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def worklist(golden):
    return {r["worklist_id"]: r for r in golden.rows("select * from marts.callback_worklist")}


def test_the_signals_are_the_detractors_and_the_at_risk_episode(worklist):
    assert set(worklist) == {
        "response:R2",
        "response:R3",
        "response:R7",
        "response:R9",
        "episode:T4",
    }


def test_missed_and_closed_loops(worklist):
    for key in ("response:R2", "response:R3", "response:R7", "response:R9"):
        assert worklist[key]["loop_status"] == "missed", key
        assert not worklist[key]["is_closed"] and worklist[key]["closed_at"] is None
    episode = worklist["episode:T4"]
    assert episode["loop_status"] == "closed" and episode["closed_by"] == "agent_reply"
    assert episode["hours_to_close"] == pytest.approx(20 / 60)
    assert episode["open_tickets"] == 1  # T6 is still open


def test_who_to_call_is_named_by_source_ids_only(worklist, golden):
    assert worklist["response:R2"]["contact_id"] == "C2"
    assert worklist["response:R2"]["account_id"] == "A1"
    assert worklist["response:R2"]["score_measure"] == "nps"
    assert worklist["response:R2"]["score_value"] == 3
    assert worklist["response:R7"]["score_measure"] == "csat"
    stranger = worklist["response:R9"]
    assert stranger["contact_id"] is None and stranger["tier"] == "unmatched"
    columns = {r["column_name"] for r in golden.rows(
        "select column_name from duckdb_columns() where table_name = 'callback_worklist'"
    )}  # fmt: skip
    assert not columns & {"email", "full_name", "phone", "name"}
    for row in worklist.values():
        assert "@" not in str(row.values())
