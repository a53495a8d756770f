"""The run summary counts the release's checks as its reports do, and the checks made after
publishing (the alert rules) on a line of their own."""

from __future__ import annotations

from pathlib import Path

from cli.outcome import CheckOutcome, JobOutcome
from lib.settings import Settings


def _outcome(tmp_path: Path, checks: list[CheckOutcome]) -> JobOutcome:
    return JobOutcome(
        success=True,
        published=False,
        settings=Settings.from_env(),
        landing=tmp_path,
        seconds=1.0,
        checks=checks,
    )


def test_alert_checks_are_counted_apart_from_the_releases_checks(tmp_path: Path):
    checks = [
        CheckOutcome("marts/tickets", "unique_ticket_id", True, "ERROR"),
        CheckOutcome("marts/tickets", "not_null_ticket_id", True, "ERROR"),
        CheckOutcome("raw/crm/accounts", "raw_crm_accounts", False, "WARN", "3 bad rows"),
        CheckOutcome("published/alerts", "alert_rules_valid", True, "ERROR"),
        CheckOutcome("published/alerts", "alert_deliveries_succeeded", False, "WARN", "timeout"),
    ]
    lines = _outcome(tmp_path, checks).summary().splitlines()
    release = next(line for line in lines if line.startswith("checks:"))
    assert "2 passed, 1 warned, 0 failed" in release
    assert "as its reports count them" in release
    after = next(line for line in lines if line.strip().startswith("after publishing:"))
    assert "1 passed, 1 warned, 0 failed" in after


def test_no_after_publishing_line_without_alert_checks(tmp_path: Path):
    checks = [CheckOutcome("marts/tickets", "unique_ticket_id", True, "ERROR")]
    summary = _outcome(tmp_path, checks).summary()
    assert "1 passed, 0 warned, 0 failed" in summary
    assert "after publishing" not in summary
