"""Golden tests of loyalty_ladder and loyalty_movements on the handwritten fixture.

Stages (METRICS.md, first that holds) as of a date, "latest" over all the account's people:
  A1 (a1.pay, a1.user): R1 nps 10 (01-15), R2 nps 3 (02-15), R6 csat 5, R11 csat 5
      as of 01-31: latest nps 10 -> promoter; as of 02-28 and 03-31: latest nps 3 -> detractor
  A2 (a2): R7 csat 2 (02-06), R3 nps 6 (02-20)
      as of 01-31: no response; O4 is 1 order -> unknown; from 02-28: nps 6 -> detractor
  A3 (a3): R12 csat 4 (01-12), R8 csat 4 (02-24), R4 nps 8 (03-05); orders: O5 (the refund
      O6 is no purchase) -> 1 order, not loyal
      as of 12-31: unknown; from 01-31: csat 4 -> satisfied (03-31: nps 8 / csat 4 too)
  A4 (a4, created 2026-02-15): R10 csat 3 (03-29), 1 order -> unknown
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_loyalty_ladder_and_spend_per_stage(golden):
    rows = {
        (r["loyalty_stage"], r["tier"]): r
        for r in golden.rows("select * from metrics.loyalty_ladder")
    }
    # 5 stages x (4 tiers + all), every cell present
    assert len(rows) == 25
    # tier all: detractor A1 (65,000) + A2 (20,000) -> 2 accounts, avg 42,500
    #           satisfied A3 2,500; unknown A4 400; promoter and loyal: empty
    detractor = rows[("detractor", "all")]
    assert (detractor["accounts"], detractor["avg_revenue_12m"]) == (2, 42500.0)
    assert detractor["share_of_tier_accounts"] == 50.0
    assert rows[("satisfied", "all")]["avg_revenue_12m"] == 2500.0
    assert rows[("unknown", "all")]["avg_revenue_12m"] == 400.0
    # empty cells: 0 accounts, no average (not 0)
    promoter = rows[("promoter", "all")]
    assert (promoter["accounts"], promoter["avg_revenue_12m"]) == (0, None)
    assert rows[("loyal", "all")]["accounts"] == 0
    # by tier: strategic = A1 (detractor), basic = A4 (unknown)
    assert rows[("detractor", "strategic")]["accounts"] == 1
    assert rows[("unknown", "basic")]["share_of_tier_accounts"] == 100.0
    # the ladder agrees with customers.loyalty_stage
    stages = {
        r["account_id"]: r["loyalty_stage"]
        for r in golden.rows("select account_id, loyalty_stage from marts.customers")
    }
    assert stages == {"A1": "detractor", "A2": "detractor", "A3": "satisfied", "A4": "unknown"}


def test_loyalty_movements_month_over_month(golden):
    def moves(period: str) -> dict:
        return {
            (r["from_stage"], r["to_stage"]): (r["accounts"], r["share_of_from_stage"])
            for r in golden.rows(
                "select * from metrics.loyalty_movements where period = ?", [period]
            )
        }

    # January (12-31 -> 01-31): A1 unknown -> promoter, A2 unknown -> unknown,
    #   A3 unknown -> satisfied; 3 accounts were unknown: each move is 1 / 3
    third = pytest.approx(100 / 3)
    assert moves("2026-01") == {
        ("unknown", "promoter"): (1, third),
        ("unknown", "unknown"): (1, third),
        ("unknown", "satisfied"): (1, third),
    }
    # February (01-31 -> 02-28): A1 promoter -> detractor, A2 unknown -> detractor,
    #   A3 satisfied -> satisfied, A4 created 02-15: new -> unknown
    assert moves("2026-02") == {
        ("promoter", "detractor"): (1, 100.0),
        ("unknown", "detractor"): (1, 100.0),
        ("satisfied", "satisfied"): (1, 100.0),
        ("new", "unknown"): (1, 100.0),
    }
    # March (02-28 -> 03-31, the as-of date): nobody moves
    assert moves("2026-03") == {
        ("detractor", "detractor"): (2, 100.0),
        ("satisfied", "satisfied"): (1, 100.0),
        ("unknown", "unknown"): (1, 100.0),
    }
    # the first month of the window has no previous snapshot: no movements
    assert golden.rows("select * from metrics.loyalty_movements where period = '2025-01'") == []


def test_stages_at_the_as_of_date_equal_the_customers_mart(golden):
    ladder = {
        r["loyalty_stage"]: r["accounts"]
        for r in golden.rows("select * from metrics.loyalty_ladder where tier = 'all'")
    }
    last = golden.rows(
        "select to_stage, sum(accounts) as accounts from metrics.loyalty_movements "
        "where snapshot_date = (select as_of_date from marts.warehouse_as_of) group by to_stage"
    )
    assert {r["to_stage"]: r["accounts"] for r in last} == {
        stage: accounts for stage, accounts in ladder.items() if accounts
    }
