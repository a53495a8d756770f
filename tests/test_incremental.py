"""Incremental marts (issue 7, item 3): after a new delivery, an incremental build gives the
same marts and metric tables as a full refresh, and writes fewer rows.

The demo generator does not extend history when given a later end date (every timestamp
moves with the window), so a new delivery is simulated on the landing files, as the source
systems would send it (full files, old rows included):
- about 1 % new rows: the latest tickets (with their events), orders (with their invoices)
  and survey responses (with their answers) again, under new ids, two days later;
- a ticket arriving late (dated two days before the latest built event, inside the
  lookback window) and one very late (twenty days back, outside it), both for a person with
  earlier tickets, so journeys are re-sequenced in the middle;
- a `reopened` event on an old ticket (its valence turns negative);
- updates to old keys: an old unpaid invoice now paid (valence), an old ticket moved to
  another category (touchpoint, neighbours' previous / next touchpoint, repeat chains);
- a new CRM contact holding the email of an unmatched requester, so that person's old
  tickets and responses move to an account's journey;
- rows gone: an old ticket event no longer delivered, an old answer now out of range
  (quarantined);
- a late answer to an old response, and a duplicate of an old order key (quarantined).
The as-of date moves forward with the new events, which ages old invoices too.

Flow: generate 300 accounts, load into a temp DuckDB, `dbt build` (data tests left out
here and in the full refresh); deliver, reload; rebuild
staging and intermediate only and run the compiled incremental SQL of the three models to
count the rows it writes; `dbt build` (incremental; data tests included); copy the database,
`dbt build --full-refresh` on the copy; compare every table of the `marts`, `metrics` and
`staging` schemas, order-independently. dbt's unit tests are left out of every build: they
read their own fixture rows, not the warehouse, and run in the golden build
(tests/metrics/conftest.py). Both databases are called warehouse.duckdb (in folders of their
own), so dbt parses the project once for the module (tests/dbt_helpers.py keys a parse by
the warehouse's name).
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from demo_data.delivery import append_new_rows, as_naive_utc, iso_z, open_tables
from demo_data.generator import generate
from ingest.landing import load_landing
from tests.dbt_helpers import columns, difference, query, run_dbt, table_rows, tables

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
END_DATE = date(2026, 10, 31)
ACCOUNTS = 300
INCREMENTAL = {
    # model: (key, the column that is NULL only in a tombstone)
    "touchpoint_events": ("event_id", "source_id"),
    "ticket_events": ("ticket_event_id", "ticket_id"),
    "survey_answers": ("answer_id", "response_id"),
}
COMPARED_SCHEMAS = ("marts", "metrics")
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
NO_UNIT_TESTS = ["--exclude", "resource_type:unit_test"]  # data tests run


# ----------------------------------------------------------------------------- the delivery
@dataclass
class Delivery:
    """What `deliver_new_data` did (ids to look for in the marts)."""

    new_rows: Counter = field(default_factory=Counter)
    late_ticket: str = ""
    very_late_ticket: str = ""
    reopened_ticket: str = ""
    paid_invoice: str = ""
    recategorised_ticket: str = ""
    new_contact_email: str = ""
    gone_ticket_event: str = ""
    gone_answer: str = ""
    late_answer: str = ""


def deliver_new_data(landing: Path, end_date: date, share: float = 0.01) -> Delivery:
    """Rewrite the landing CSVs as the next full delivery (see the module docstring)."""
    d = Delivery()
    t = open_tables(
        landing,
        [
            "crm.accounts",
            "crm.contacts",
            "crm.orders",
            "crm.invoices",
            "ticketing.tickets",
            "ticketing.ticket_events",
            "survey.questions",
            "survey.responses",
            "survey.answers",
        ],
    )
    tickets, events = t["ticketing.tickets"], t["ticketing.ticket_events"]
    contacts, orders, invoices = t["crm.contacts"], t["crm.orders"], t["crm.invoices"]
    responses, answers, questions = (
        t["survey.responses"],
        t["survey.answers"],
        t["survey.questions"],
    )
    end = datetime(end_date.year, end_date.month, end_date.day)

    # rows gone: an old ticket event no longer delivered (taken before any event is added)
    ev_id, ev_ticket = events.col("event_id"), events.col("ticket_id")
    gone = next(i for i, r in enumerate(events.rows) if r[ev_id].strip() and r[ev_ticket].strip())
    d.gone_ticket_event = events.rows.pop(gone)[ev_id]

    # ~1 % new data, two days after the latest
    d.new_rows.update(append_new_rows(t, share, days=2))

    # late tickets of a matched requester with earlier tickets (same category: a repeat chain)
    contact_emails = {r[contacts.col("email")].strip().lower() for r in contacts.rows}
    tk_email, tk_cat = tickets.col("requester_email"), tickets.col("category")
    tk_id, tk_created = tickets.col("ticket_id"), tickets.col("created_at")
    tk_status = tickets.col("status")
    old = len(tickets.rows) // 5  # the first fifth of the file: old tickets
    matched = next(
        r
        for r in tickets.rows[:old]
        if r[tk_email].strip().lower() in contact_emails
        and r[tk_id].strip()
        and as_naive_utc(r[tk_created])
    )
    for ticket_id, days_back in (("TKT-LATE-1", 2), ("TKT-LATE-2", 20)):
        created = end - timedelta(days=days_back) + timedelta(hours=12)
        tickets.rows.append(
            tickets.new_row(
                ticket_id=ticket_id,
                requester_email=matched[tk_email],
                channel="email",
                category=matched[tk_cat],
                priority="normal",
                status="solved",
                created_at=iso_z(created),
                solved_at=iso_z(created + timedelta(hours=5)),
            )
        )
        events.rows.append(
            events.new_row(
                event_id=f"EVT-{ticket_id}",
                ticket_id=ticket_id,
                event_type="public_reply",
                author_role="agent",
                channel="email",
                created_at=iso_z(created + timedelta(hours=1)),
            )
        )
    d.late_ticket, d.very_late_ticket = "TKT-LATE-1", "TKT-LATE-2"

    # a reopened event on an old solved ticket that had none
    reopened = {r[ev_ticket] for r in events.rows if r[events.col("event_type")] == "reopened"}
    old_solved = next(
        r
        for r in tickets.rows[:old]
        if r[tk_status] in ("solved", "closed")
        and r[tk_id] not in reopened
        and r[tk_id].strip()
        and as_naive_utc(r[tk_created])
        and r[tk_email].strip()
    )
    d.reopened_ticket = old_solved[tk_id]
    events.rows.append(
        events.new_row(
            event_id="EVT-REOPEN-1",
            ticket_id=d.reopened_ticket,
            event_type="reopened",
            author_role="customer",
            channel="email",
            created_at=iso_z(end + timedelta(days=1)),
        )
    )

    # updates to old keys: an unpaid invoice now paid, a ticket moved to another category
    iv_paid, iv_issued = invoices.col("paid_at"), invoices.col("issued_at")
    unpaid = next(
        r
        for r in invoices.rows[: len(invoices.rows) // 3]
        if not r[iv_paid].strip()
        and as_naive_utc(r[iv_issued])
        and r[invoices.col("invoice_id")].strip()
    )
    unpaid[iv_paid] = iso_z(as_naive_utc(unpaid[iv_issued]) + timedelta(days=10))
    d.paid_invoice = unpaid[invoices.col("invoice_id")]
    moved = next(
        r
        for r in tickets.rows[:old]
        if r[tk_cat] == "delivery"
        and r[tk_id] != d.reopened_ticket
        and r[tk_id].strip()
        and as_naive_utc(r[tk_created])
        and r[tk_email].strip()
    )
    moved[tk_cat] = "billing"
    d.recategorised_ticket = moved[tk_id]

    # an unmatched requester becomes a CRM contact of an existing account
    unmatched = next(
        r[tk_email]
        for r in tickets.rows[:old]
        if r[tk_email].strip()
        and r[tk_email].strip().lower() not in contact_emails
        and "@" in r[tk_email]
        and r[tk_id].strip()
        and as_naive_utc(r[tk_created])
    )
    account = next(r[0] for r in t["crm.accounts"].rows if r[0].strip())
    contacts.rows.append(
        contacts.new_row(
            contact_id="CON-NEW-1",
            account_id=account,
            email=unmatched.strip().lower(),
            full_name="New Contact",
            is_billing_contact="false",
            created_at=iso_z(end + timedelta(days=1)),
        )
    )
    d.new_contact_email = unmatched.strip().lower()

    # an old answer now out of range (quarantined: gone from the marts); a late answer
    an_resp, an_q, an_val = (
        answers.col(c) for c in ("response_id", "question_id", "numeric_value")
    )
    measures = {r[0]: r[questions.col("measure")] for r in questions.rows}
    survey_of_question = {r[0]: r[questions.col("survey_id")] for r in questions.rows}
    bad = next(
        r
        for r in answers.rows[: len(answers.rows) // 5]
        if measures.get(r[an_q]) == "nps" and r[an_val].strip() and r[an_resp].strip()
    )
    bad[an_val] = "99"
    d.gone_answer = f"{bad[an_resp]}:{bad[an_q]}"
    answered = {(r[an_resp], r[an_q]) for r in answers.rows}
    rs_id, rs_survey = responses.col("response_id"), responses.col("survey_id")
    late_answer = next(
        (r[rs_id], q)
        for r in responses.rows[: len(responses.rows) // 5]
        if r[rs_id].strip()
        for q, s in survey_of_question.items()
        if s == r[rs_survey] and measures[q] == "comment" and (r[rs_id], q) not in answered
    )
    answers.rows.append(
        answers.new_row(
            response_id=late_answer[0], question_id=late_answer[1], text_value="Late comment."
        )
    )
    d.late_answer = f"{late_answer[0]}:{late_answer[1]}"

    # a duplicate of an old order key (the first delivered row wins; this one is quarantined)
    first_order = next(r for r in orders.rows if r[orders.col("order_id")].strip())
    duplicate = list(first_order)
    duplicate[orders.col("amount")] = "1.00"
    orders.rows.append(duplicate)

    for table in t.values():
        table.save()
    return d


# ------------------------------------------------------------------------------------- dbt
def _batch_counts(database: Path, work: Path) -> dict[str, tuple[int, int]]:
    """Rows the incremental SQL of each model writes now, and how many are tombstones."""
    counts = {}
    compiled = work / f"target-{database.stem}" / "compiled/cx_warehouse/models/marts/core"
    for model, (_key, marker) in INCREMENTAL.items():
        sql = (compiled / f"{model}.sql").read_text()
        assert "recompute_from_at" in sql, f"{model} did not compile in incremental mode"
        counts[model] = query(
            database,
            f"select count(*), count(*) filter (where {marker} is null) from ({sql}) as batch",
        )[0]
    return counts


def _rows_by_key(database: Path, table: str, key: str) -> dict[str, dict[str, Any]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(f"select * from {table}")
        names = [c[0] for c in cursor.description]
        return {
            row[key]: row for row in (dict(zip(names, r, strict=True)) for r in cursor.fetchall())
        }
    finally:
        con.close()


@dataclass
class Builds:
    incremental: Path
    full_refresh: Path
    delivery: Delivery
    before: dict[str, dict[str, dict[str, Any]]]
    batches: dict[str, tuple[int, int]]
    seconds: dict[str, float]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    work = tmp_path_factory.mktemp("incremental")
    landing = work / "landing"
    generate(landing, accounts=ACCOUNTS, seed=23, end_date=END_DATE, months=12)
    incremental = work / "incremental" / "warehouse.duckdb"
    incremental.parent.mkdir()
    load_landing(landing, incremental)
    seconds = {"first build": run_dbt(incremental, work, "build", *NO_TESTS)}
    before = {
        model: _rows_by_key(incremental, f"marts.{model}", key)
        for model, (key, _marker) in INCREMENTAL.items()
    }

    delivery = deliver_new_data(landing, END_DATE)
    load_landing(landing, incremental)
    models = list(INCREMENTAL)
    # staging and intermediate on the new delivery; then the rows each model would write
    run_dbt(incremental, work, "run", "--select", *(f"+{m}" for m in models), "--exclude", *models)
    run_dbt(incremental, work, "compile", "--select", *models)
    batches = _batch_counts(incremental, work)

    seconds["incremental build"] = run_dbt(incremental, work, "build", *NO_UNIT_TESTS)
    full_refresh = work / "full_refresh" / "warehouse.duckdb"
    full_refresh.parent.mkdir()
    shutil.copyfile(incremental, full_refresh)
    seconds["full refresh"] = run_dbt(
        full_refresh,
        work,
        "build",
        "--full-refresh",
        *NO_TESTS,
        target_path=work / "target-full-refresh",
    )
    print(f"\n[timing] {seconds}; rows written by the incremental run: {batches}")
    return Builds(incremental, full_refresh, delivery, before, batches, seconds)


# ------------------------------------------------------------------------------------ tests
def test_incremental_build_equals_full_refresh(builds: Builds):
    compared = tables(builds.incremental, COMPARED_SCHEMAS)
    assert compared == tables(builds.full_refresh, COMPARED_SCHEMAS)
    for model in INCREMENTAL:
        assert f"marts.{model}" in compared
    assert len(compared) > 20
    differing = []
    for table in compared:
        inc, full = table_rows(builds.incremental, table), table_rows(builds.full_refresh, table)
        if line := difference(table, inc, full, "in the incremental build", "in the full refresh"):
            differing.append(line)
    assert not differing, "\n".join(differing)


def test_incremental_staging_equals_full_refresh(builds: Builds):
    """Staging is incremental too (macros/incremental_staging.sql): every staging table (typed
    rows and verdicts, the quarantine) equals a full refresh's; only when a row was staged
    differs. A full delivery gives every row a new batch, so every row was judged again."""
    compared = tables(builds.incremental, ("staging",))
    assert compared == tables(builds.full_refresh, ("staging",))
    assert "staging.base_survey__answers" in compared
    assert "staging.stg_crm__orders_quarantine" in compared
    differing = []
    for table in compared:
        present = columns(builds.incremental, table)
        exclude = ("_staged_at",) if "_staged_at" in present else ()
        inc = table_rows(builds.incremental, table, exclude)
        full = table_rows(builds.full_refresh, table, exclude)
        if line := difference(table, inc, full, "in the incremental build", "in the full refresh"):
            differing.append(line)
    assert not differing, "\n".join(differing)


def test_incremental_run_writes_fewer_rows(builds: Builds):
    for model, (written, _tombstones) in builds.batches.items():
        total = query(builds.full_refresh, f"select count(*) from marts.{model}")[0][0]
        assert 0 < written < total / 4, (model, written, total)
    # the gone rows leave as tombstones
    assert builds.batches["ticket_events"][1] >= 1
    assert builds.batches["survey_answers"][1] >= 1


def test_delivery_reached_old_rows(builds: Builds):
    """The delivery changed rows of the built tables that a date filter alone would miss."""
    d = builds.delivery
    after = {
        model: _rows_by_key(builds.incremental, f"marts.{model}", key)
        for model, (key, _marker) in INCREMENTAL.items()
    }
    # new rows arrived in every model, and the gone ones left
    for model in INCREMENTAL:
        assert set(after[model]) - set(builds.before[model]), model
    assert d.gone_ticket_event in builds.before["ticket_events"]
    assert d.gone_ticket_event not in after["ticket_events"]
    assert d.gone_answer in builds.before["survey_answers"]
    assert d.gone_answer not in after["survey_answers"]
    assert d.late_answer in after["survey_answers"]
    # old touchpoint events changed: more than 20 days before the latest event built
    cutoff = datetime(END_DATE.year, END_DATE.month, END_DATE.day) - timedelta(days=20)
    changed_old = [
        event_id
        for event_id, row in builds.before["touchpoint_events"].items()
        if row["occurred_at"] < cutoff and after["touchpoint_events"].get(event_id) != row
    ]
    assert len(changed_old) >= 3, changed_old
    for event_id in (
        f"ticket:{d.reopened_ticket}",
        f"invoice:{d.paid_invoice}",
        f"ticket:{d.recategorised_ticket}",
        f"ticket:{d.very_late_ticket}",
    ):
        assert event_id in after["touchpoint_events"], event_id
    assert (
        after["touchpoint_events"][f"ticket:{d.reopened_ticket}"]
        != builds.before["touchpoint_events"][f"ticket:{d.reopened_ticket}"]
    )
