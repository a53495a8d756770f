"""Tests of the demo data generator (demo_data/generator.py).

The raw files are read back as text (as a loader would) and checked with DuckDB against the raw
contract (ingest/contract.py) and the planted truths. Structure tests run at a small
scale; the statistical truths use 2,000 accounts so that a few hundred CSAT answers go through the
social channel.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from demo_data.generator import (
    BAD_ROW_REASONS,
    CATEGORIES,
    CONTRACT,
    PLANTED,
    GenerationResult,
    generate,
)

END = date(2026, 10, 31)
START = date(2024, 10, 31)  # END - 24 months

# The contract's channel table (RAW_CONTRACT.md), written out independently of the generator.
CHANNEL_MAP = {
    "phone": "phone",
    "voice": "phone",
    "call": "phone",
    "ivr": "phone",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "chat": "chat",
    "live_chat": "chat",
    "whatsapp": "chat",
    "sms": "chat",
    "social": "social",
    "twitter": "social",
    "x": "social",
    "facebook": "social",
    "instagram": "social",
    "web": "web",
    "web_form": "web",
    "portal": "web",
    "app": "web",
    "store": "store",
    "branch": "store",
    "in_person": "store",
    "partner": "partner",
    "reseller": "partner",
}
TOUCHPOINT_OF_CATEGORY = {
    "pre_sales": "sales_inquiry",
    "contract": "contract_signing",
    "onboarding": "onboarding",
    "delivery": "delivery",
    "product_defect": "product_use",
    "how_to": "product_use",
    "account_access": "support",
    "other": "support",
    "billing": "billing",
    "invoice_dispute": "billing",
    "renewal": "renewal",
    "cancellation": "cancellation",
}
KEYS = {
    "crm.accounts": ["account_id"],
    "crm.contacts": ["contact_id"],
    "crm.orders": ["order_id"],
    "crm.invoices": ["invoice_id"],
    "ticketing.tickets": ["ticket_id"],
    "ticketing.ticket_events": ["event_id"],
    "survey.surveys": ["survey_id"],
    "survey.questions": ["question_id"],
    "survey.responses": ["response_id"],
    "survey.answers": ["response_id", "question_id"],
}
MAIN_TIMESTAMP = {
    "crm.accounts": "created_at",
    "crm.contacts": "created_at",
    "crm.orders": "ordered_at",
    "crm.invoices": "issued_at",
    "ticketing.tickets": "created_at",
    "ticketing.ticket_events": "created_at",
    "survey.responses": "submitted_at",
}
# child table, column, parent table, parent column (required references first)
REFERENCES = [
    ("crm.contacts", "account_id", "crm.accounts", "account_id", True),
    ("crm.orders", "account_id", "crm.accounts", "account_id", True),
    ("crm.orders", "contact_id", "crm.contacts", "contact_id", False),
    ("crm.invoices", "account_id", "crm.accounts", "account_id", True),
    ("crm.invoices", "order_id", "crm.orders", "order_id", False),
    ("ticketing.ticket_events", "ticket_id", "ticketing.tickets", "ticket_id", True),
    ("survey.questions", "survey_id", "survey.surveys", "survey_id", True),
    ("survey.responses", "survey_id", "survey.surveys", "survey_id", True),
    ("survey.responses", "ticket_id", "ticketing.tickets", "ticket_id", False),
    ("survey.responses", "order_id", "crm.orders", "order_id", False),
    ("survey.answers", "response_id", "survey.responses", "response_id", True),
    ("survey.answers", "question_id", "survey.questions", "question_id", True),
]
SCALES = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "importance": (1, 5),
    "performance": (1, 5),
}


def v(name: str) -> str:
    """DuckDB view name of a table: crm.accounts -> crm_accounts."""
    return name.replace(".", "_")


def ts(expr: str) -> str:
    """Parse contract timestamp text to UTC (as staging does)."""
    return f"cast(try_cast(trim({expr}) as timestamptz) as timestamp)"


def read_text_table(landing: Path, name: str, fmt: str) -> pa.Table:
    """One landing file as all-text columns plus its file row number `_row`."""
    system, table = name.split(".")
    path = landing / system / f"{table}.{fmt}"
    if fmt == "csv":
        cols = [c for c, _ in CONTRACT[name]]
        tbl = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in cols},
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
    else:
        tbl = pq.read_table(path)
        tbl = pa.table({c: tbl.column(c).cast(pa.string()) for c in tbl.column_names})
    return tbl.append_column("_row", pa.array(np.arange(tbl.num_rows)))


def connect(landing: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every raw table as text (`<system>_<table>`) and a `q_<...>`
    table that flags each row with the contract rules it breaks (an independent quarantine)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for name in CONTRACT:
        con.register(f"_arrow_{v(name)}", read_text_table(landing, name, fmt))
        con.execute(f"create table {v(name)} as select * from _arrow_{v(name)}")
    for name in CONTRACT:
        keys = KEYS[name]
        missing = " or ".join(f"t.{k} is null" for k in keys)
        tcol = MAIN_TIMESTAMP.get(name)
        invalid_ts = f"(t.{tcol} is not null and {ts('t.' + tcol)} is null)" if tcol else "false"
        refs = [r for r in REFERENCES if r[0] == name and r[4]]
        unknown = (
            " or ".join(
                f"(t.{col} is not null and t.{col} not in (select {pcol} from {v(parent)} "
                f"where {pcol} is not null))"
                for _, col, parent, pcol, _ in refs
            )
            or "false"
        )
        off_scale = "false"
        extra_join = ""
        if name == "survey.answers":
            extra_join = "left join survey_questions q on q.question_id = t.question_id"
            off_scale = " or ".join(
                f"(q.measure = '{m}' and cast(t.numeric_value as double) not between {lo} and {hi})"
                for m, (lo, hi) in SCALES.items()
            )
            off_scale = f"({off_scale})"
        partition = ", ".join(f"t.{k}" for k in keys)
        con.execute(f"""
            create table q_{v(name)} as
            select t.*,
                ({missing}) as is_missing_key,
                (not ({missing}) and row_number() over (
                    partition by {partition} order by t._row) > 1) as is_duplicate_key,
                coalesce({invalid_ts}, false) as is_invalid_timestamp,
                coalesce({unknown}, false) as is_orphan_reference,
                coalesce({off_scale}, false) as is_score_out_of_range
            from {v(name)} as t {extra_join}
        """)
        con.execute(f"""
            create view valid_{v(name)} as select * from q_{v(name)}
            where not (is_missing_key or is_duplicate_key or is_invalid_timestamp
                       or is_orphan_reference or is_score_out_of_range)
        """)
    return con


def sha(landing: Path) -> dict[str, str]:
    return {
        p.relative_to(landing).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(landing.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, GenerationResult]:
    landing = tmp_path_factory.mktemp("small")
    return landing, generate(landing, accounts=300, seed=7, bad_row_share=0.02)


@pytest.fixture(scope="module")
def small_con(small) -> duckdb.DuckDBPyConnection:
    return connect(small[0], "csv")


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, GenerationResult]:
    landing = tmp_path_factory.mktemp("clean")
    return landing, generate(landing, accounts=300, seed=11, bad_row_share=0, file_format="parquet")


@pytest.fixture(scope="module")
def medium_con(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    landing = tmp_path_factory.mktemp("medium")
    generate(landing, accounts=2_000, seed=3)
    return connect(landing, "csv")


# ------------------------------------------------------------------------- files and columns
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_writes_exactly_the_contract_tables_and_columns(tmp_path, fmt):
    # without the optional support-operations data (tests/test_demo_support_ops.py has them)
    result = generate(tmp_path, accounts=60, file_format=fmt, support_operations=False)
    expected = {f"{n.split('.')[0]}/{n.split('.')[1]}.{fmt}" for n in CONTRACT}
    assert set(sha(tmp_path)) == expected  # nothing else in the landing folder
    assert set(result) == set(CONTRACT) and result.rows == dict(result)
    for name, spec in CONTRACT.items():
        system, table = name.split(".")
        path = tmp_path / system / f"{table}.{fmt}"
        if fmt == "csv":
            header = path.read_text(encoding="utf-8").splitlines()[0]
            columns = [c.strip('"') for c in header.split(",")]
            n_rows = pacsv.read_csv(path).num_rows
        else:
            columns = pq.read_schema(path).names
            n_rows = pq.read_metadata(path).num_rows
        assert columns == [c for c, _ in spec], name
        assert n_rows == result[name] > 0, name


def test_parquet_types_are_the_documented_ones(tmp_path):
    generate(tmp_path, accounts=40, file_format="parquet")
    invoices = pq.read_schema(tmp_path / "crm" / "invoices.parquet")
    assert invoices.field("issued_at").type == pa.string()  # ISO 8601 text, as in CSV
    assert invoices.field("amount").type == pa.decimal128(14, 2)
    assert invoices.field("is_disputed").type == pa.bool_()
    answers = pq.read_schema(tmp_path / "survey" / "answers.parquet")
    assert answers.field("numeric_value").type == pa.float64()


def test_switching_format_removes_the_other_format(tmp_path):
    generate(tmp_path, accounts=30, file_format="parquet")
    generate(tmp_path, accounts=30, file_format="csv")
    assert all(p.suffix == ".csv" for p in tmp_path.rglob("*.*"))


def test_csv_text_conventions(small):
    landing, _ = small
    contacts = (landing / "crm" / "contacts.csv").read_text(encoding="utf-8")
    assert ",true," in contacts and ",false," in contacts
    assert ",," in contacts  # an optional phone left empty = NULL
    orders = pacsv.read_csv(
        landing / "crm" / "orders.csv",
        convert_options=pacsv.ConvertOptions(column_types={"amount": pa.string()}),
    )
    amounts = orders.column("amount").to_pylist()
    assert all(
        a is None or (a.lstrip("-").replace(".", "", 1).isdigit() and a[-3] == ".") for a in amounts
    )
    assert any(a.startswith("-") for a in amounts if a)  # refunds
    answers = pacsv.read_csv(landing / "survey" / "answers.csv")
    texts = [t for t in answers.column("text_value").to_pylist() if t]
    assert any('"' in t for t in texts) and any("," in t for t in texts)  # quoting round-trips


# ------------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, fmt):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    ra = generate(a, accounts=120, seed=5, file_format=fmt)
    rb = generate(b, accounts=120, seed=5, file_format=fmt)
    rc = generate(c, accounts=120, seed=6, file_format=fmt)
    assert sha(a) == sha(b)
    assert ra.rows == rb.rows and ra.bad_rows == rb.bad_rows
    differing = [k for k in sha(a) if sha(a)[k] != sha(c)[k]]
    assert len(differing) >= 8, differing  # all but the fixed survey / question catalogs
    assert rc.rows != ra.rows


def test_scale_follows_accounts(tmp_path):
    r1 = generate(tmp_path / "one", accounts=100, seed=1, bad_row_share=0)
    r4 = generate(tmp_path / "four", accounts=400, seed=1, bad_row_share=0)
    assert r1["crm.accounts"] == 100 and r4["crm.accounts"] == 400
    assert 2.5 < r4.total_rows / r1.total_rows < 6


# ---------------------------------------------------------------------------------- bad rows
def flagged_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    out = {}
    for name in CONTRACT:
        row = con.execute(f"""
            select sum(is_missing_key::int), sum(is_duplicate_key::int),
                   sum(is_invalid_timestamp::int), sum(is_orphan_reference::int),
                   sum(is_score_out_of_range::int),
                   max(is_missing_key::int + is_duplicate_key::int + is_invalid_timestamp::int
                       + is_orphan_reference::int + is_score_out_of_range::int)
            from q_{v(name)}""").fetchone()
        assert (row[5] or 0) <= 1, f"{name}: a row breaks more than one rule"
        found = dict(
            zip(
                [
                    "missing_key",
                    "duplicate_key",
                    "invalid_timestamp",
                    "orphan_reference",
                    "score_out_of_range",
                ],
                [int(x or 0) for x in row[:5]],
                strict=True,
            )
        )
        out[name] = {k: n for k, n in found.items() if n or k in BAD_ROW_REASONS[name]}
    return out


def test_every_planted_bad_row_is_caught_by_its_rule_and_nothing_else(small, small_con):
    _, result = small
    assert flagged_counts(small_con) == result.bad_rows


def test_bad_row_share_is_respected(small):
    _, result = small
    for name, reasons in result.bad_rows.items():
        assert set(reasons) == set(BAD_ROW_REASONS[name])
        total, bad = result.rows[name], sum(reasons.values())
        assert abs(bad / total - 0.02) <= 0.004 + 2 / total, (name, bad, total)
        if total >= 500:
            assert all(n > 0 for n in reasons.values()), (name, reasons)


def test_no_bad_rows_when_disabled(clean):
    landing, result = clean
    assert all(n == 0 for reasons in result.bad_rows.values() for n in reasons.values())
    con = connect(landing, "parquet")
    assert all(n == 0 for reasons in flagged_counts(con).values() for n in reasons.values())


def test_unparseable_timestamps_are_not_empty_and_not_engine_words(small_con):
    values = [
        r[0]
        for r in small_con.execute(
            "select created_at from q_ticketing_ticket_events where is_invalid_timestamp"
        ).fetchall()
    ]
    assert values and all(x.strip() for x in values)
    readers_null = {"n/a", "na", "null", "nan", "#n/a", "none"}  # pyarrow / pandas NULL words
    assert not {"now", "today", "epoch", "infinity"} & {x.strip().lower() for x in values}
    assert not readers_null & {x.strip().lower() for x in values}
    assert not readers_null & {x.strip().lower() for x in PLANTED.bad_timestamp_values}


# ------------------------------------------------------------- valid rows: keys, references
def test_keys_unique_among_valid_rows(small_con):
    for name, keys in KEYS.items():
        cols = ", ".join(keys)
        dup = small_con.execute(
            f"select count(*) - count(distinct ({cols})) from valid_{v(name)}"
        ).fetchone()[0]
        assert dup == 0, name


@pytest.mark.parametrize("con_name", ["small_con", "clean"])
def test_referential_integrity_of_valid_rows(request, con_name):
    if con_name == "clean":
        con = connect(request.getfixturevalue("clean")[0], "parquet")
    else:
        con = request.getfixturevalue(con_name)
    for child, col, parent, pcol, _ in REFERENCES:
        orphans = con.execute(f"""
            select count(*) from valid_{v(child)}
            where {col} is not null and {col} not in (select {pcol} from valid_{v(parent)})
        """).fetchone()[0]
        assert orphans == 0, (child, col)
    # orders / invoices are consistent with their account and contact
    assert (
        con.execute("""
        select count(*) from valid_crm_orders o join valid_crm_contacts c using (contact_id)
        where c.account_id <> o.account_id""").fetchone()[0]
        == 0
    )
    assert (
        con.execute("""
        select count(*) from valid_crm_invoices i join valid_crm_orders o using (order_id)
        where i.account_id <> o.account_id""").fetchone()[0]
        == 0
    )


def test_domain_values_and_scales(small_con):
    con = small_con

    def values(table, col):
        return {r[0] for r in con.execute(f"select distinct {col} from valid_{table}").fetchall()}

    assert values("crm_accounts", "segment") == {"enterprise", "smb", "consumer"}
    assert values("crm_orders", "order_type") == {"new", "renewal", "upgrade", "one_off"}
    assert values("ticketing_tickets", "category") == set(CATEGORIES)
    assert values("ticketing_tickets", "priority") == {"low", "normal", "high", "urgent"}
    assert values("ticketing_tickets", "status") <= {"new", "open", "pending", "solved", "closed"}
    assert values("ticketing_ticket_events", "event_type") == {
        "public_reply",
        "internal_note",
        "status_change",
        "reopened",
        "solved",
    }
    assert values("ticketing_ticket_events", "author_role") == {"agent", "customer", "system"}
    assert values("survey_surveys", "survey_kind") == {"relationship", "transactional"}
    assert values("survey_questions", "measure") == set(SCALES) | {"comment"}
    assert values("survey_questions", "factor") == {None, "product_service", "interaction", "brand"}
    assert all(len(c) == 2 and c.isupper() for c in values("crm_accounts", "country"))
    tps = values("survey_surveys", "touchpoint_code")
    assert None in tps and set(TOUCHPOINT_OF_CATEGORY.values()) <= tps and "purchase" in tps
    assert (
        con.execute(
            "select count(*) from valid_survey_surveys where survey_kind = "
            "'relationship' and touchpoint_code is not null"
        ).fetchone()[0]
        == 0
    )
    # answers: numeric values in scale, text only for comments
    bad = con.execute("""
        select count(*) from valid_survey_answers a join survey_questions q using (question_id)
        where (q.measure = 'comment') <> (a.numeric_value is null)
           or (q.measure = 'comment') <> (a.text_value is not null)""").fetchone()[0]
    assert bad == 0
    # one nps, importance + performance per factor and one comment in the relationship survey
    rel = con.execute("""select measure, factor from survey_questions q join survey_surveys s
                         using (survey_id) where s.survey_kind = 'relationship'""").fetchall()
    assert sorted(rel, key=str) == sorted(
        [("nps", None), ("comment", None)]
        + [
            (m, f)
            for f in ("product_service", "interaction", "brand")
            for m in ("importance", "performance")
        ],
        key=str,
    )


def test_every_timestamp_of_valid_rows_parses_and_lies_in_the_window(small_con):
    checked = 0
    for name, spec in CONTRACT.items():
        for col, kind in spec:
            if kind != "timestamp":
                continue
            unparsed = small_con.execute(
                f"select count(*) from valid_{v(name)} where {col} is not null "
                f"and {ts(col)} is null"
            ).fetchone()[0]
            assert unparsed == 0, (name, col)
            if name in ("crm.accounts", "crm.contacts") or col == "due_at":
                continue  # entities may predate the window; due_at is a deadline
            lo, hi = small_con.execute(
                f"select min({ts(col)}), max({ts(col)}) from valid_{v(name)}"
            ).fetchone()
            assert lo.date() >= START and hi.date() <= END, (name, col, lo, hi)
            checked += 1
    assert checked >= 7


def test_latest_event_is_on_the_end_date(small_con):
    latest = small_con.execute(f"""
        select max(t)::date from (
            select {ts("ordered_at")} as t from valid_crm_orders
            union all select {ts("issued_at")} from valid_crm_invoices
            union all select {ts("paid_at")} from valid_crm_invoices
            union all select {ts("created_at")} from valid_ticketing_tickets
            union all select {ts("solved_at")} from valid_ticketing_tickets
            union all select {ts("created_at")} from valid_ticketing_ticket_events
            union all select {ts("submitted_at")} from valid_survey_responses)""").fetchone()[0]
    assert latest == END


def test_timestamp_text_formats(small_con):
    rows = small_con.execute("""
        select count(*), count(*) filter (where created_at like '%Z'),
               count(*) filter (where created_at like '%+02:00'),
               count(*) filter (where created_at like '%-05:00'),
               count(*) filter (where regexp_full_match(created_at,
                                '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}'))
        from valid_ticketing_ticket_events""").fetchone()
    total, zulu, plus2, minus5, naive = rows
    assert zulu > 0.5 * total and naive > 0.1 * total
    assert 0 < plus2 < 0.05 * total and 0 < minus5 < 0.05 * total
    # an offset is honoured: the UTC value of '...+02:00' is two hours earlier than its text
    text = small_con.execute(
        "select created_at from valid_ticketing_ticket_events "
        "where created_at like '%+02:00' limit 1"
    ).fetchone()[0]
    utc = small_con.execute(f"select {ts('?')}", [text]).fetchone()[0]
    assert utc.isoformat()[:19] != text[:19]


# --------------------------------------------------------------------------- messy identities
def test_channel_codes_are_messy_but_mappable(small_con):
    codes = [
        r[0]
        for r in small_con.execute("""
        select channel from valid_ticketing_tickets union all
        select channel from valid_crm_orders union all
        select channel from valid_survey_responses union all
        select channel from valid_ticketing_ticket_events""").fetchall()
    ]
    norm = [c.strip().lower() for c in codes]
    unknown = [c for c in norm if c not in CHANNEL_MAP]
    assert set(unknown) <= set(PLANTED.unknown_channel_codes)
    assert 0 < len(unknown) < 0.01 * len(codes)
    assert any(c != c.strip() for c in codes) and any(c != c.lower() for c in codes)
    assert {"E-Mail", "WhatsApp"} & set(codes)
    assert {CHANNEL_MAP[c] for c in norm if c in CHANNEL_MAP} == set(CHANNEL_MAP.values())


def test_emails_match_contacts_after_trim_and_lower(small_con):
    for table, col in (
        ("ticketing_tickets", "requester_email"),
        ("survey_responses", "respondent_email"),
    ):
        raw_exact, matched, n = small_con.execute(f"""
            select count(*) filter (where {col} in (select email from valid_crm_contacts)),
                   count(*) filter (where lower(trim({col})) in
                                    (select lower(trim(email)) from valid_crm_contacts)),
                   count(*)
            from valid_{table}""").fetchone()
        assert 0.93 < matched / n < 0.995, (table, matched / n)  # ~3 % unmatched people
        assert raw_exact < matched  # some match only after normalising
    unique = small_con.execute(
        "select count(distinct lower(trim(email))) = count(*) from valid_crm_contacts"
    ).fetchone()[0]
    assert unique


# ------------------------------------------------------------------------------------ tickets
def test_ticket_lifecycle_is_consistent(small_con):
    con = small_con
    checks = con.execute(f"""
        with ev as (
            select ticket_id,
                   max({ts("created_at")}) filter (where event_type = 'solved') as last_solved,
                   min({ts("created_at")}) as first_event,
                   count(*) filter (where event_type = 'reopened') as reopens,
                   count(*) filter (where event_type = 'public_reply'
                                    and author_role = 'agent') as agent_replies
            from valid_ticketing_ticket_events group by ticket_id
        )
        select
            count(*) filter (where (t.status in ('solved', 'closed')) <> (t.solved_at is not null)),
            count(*) filter (where {ts("t.solved_at")} is distinct from ev.last_solved),
            count(*) filter (where ev.first_event <> {ts("t.created_at")}),
            count(*) filter (where ev.ticket_id is null),
            count(*) filter (where ev.reopens > 0),
            count(*) filter (where t.status in ('new', 'open', 'pending')),
            count(*) filter (where t.root_cause is null),
            count(*) filter (where ev.agent_replies = 1 and t.status in ('solved', 'closed')),
            count(*)
        from valid_ticketing_tickets as t left join ev using (ticket_id)""").fetchone()
    (
        status_mismatch,
        solved_mismatch,
        first_mismatch,
        no_events,
        reopened,
        unsolved,
        no_cause,
        one_touch,
        n,
    ) = checks
    assert status_mismatch == 0 and solved_mismatch == 0
    assert first_mismatch == 0 and no_events == 0
    assert 0.02 * n < reopened < 0.3 * n
    assert 0 < unsolved < 0.1 * n
    assert 0.05 * n < no_cause < 0.5 * n
    assert one_touch > 0.2 * n


def test_repeat_contacts_and_immature_tickets_exist(small_con):
    chains, repeats, immature, n = small_con.execute(f"""
        with t as (
            select lower(trim(requester_email)) as person, category,
                   {ts("created_at")} as created
            from valid_ticketing_tickets
        ), linked as (
            select *, created - lag(created) over (partition by person, category
                                                   order by created) as gap
            from t
        ), flagged as (
            select *, gap is not null and gap <= interval 7 day as is_repeat from linked
        )
        select (select count(*) from (
                    select person, category from flagged group by 1, 2
                    having count(*) filter (where is_repeat) >= 2)),
               count(*) filter (where is_repeat),
               count(*) filter (where created > date '{END}' - interval 7 day),
               count(*)
        from flagged""").fetchone()
    assert 0.03 * n < repeats < 0.3 * n
    assert chains > 0  # chains of 3+ tickets
    assert 0 < immature < 0.05 * n


# ----------------------------------------------------------------------------- planted truths
def revenue_sql() -> str:
    return f"""
        select a.account_id,
               coalesce(sum(cast(o.amount as double)) filter (
                   where {ts("o.ordered_at")}::date between date '{END}' - 364
                         and date '{END}'), 0) as revenue
        from valid_crm_accounts a left join valid_crm_orders o using (account_id)
        group by 1"""


def test_planted_disputes_concentrate_on_top_revenue_accounts(medium_con):
    top, rest, top_late, rest_late = medium_con.execute(f"""
        with rev as ({revenue_sql()}),
        decile as (select account_id, ntile(10) over (order by revenue desc) as d from rev),
        inv as (
            select i.*, d.d,
                   i.paid_at is null and {ts("i.due_at")} + interval 30 day < date '{END}'
                       as is_overdue
            from valid_crm_invoices i join decile d using (account_id)
        )
        select avg(is_disputed::boolean::int) filter (where d = 1),
               avg(is_disputed::boolean::int) filter (where d > 1),
               avg(is_overdue::int) filter (where d = 1),
               avg(is_overdue::int) filter (where d > 1)
        from inv""").fetchone()
    assert top > 2.5 * rest and top > 0.08
    assert top_late > rest_late


def test_planted_billing_hotspot_ranks_first(medium_con):
    """Irritations per touchpoint (METRICS.md valence), and revenue at risk."""
    con = medium_con
    con.execute("create or replace table tcat (category varchar, touchpoint varchar)")
    con.executemany("insert into tcat values (?, ?)", list(TOUCHPOINT_OF_CATEGORY.items()))
    rows = con.execute(f"""
        with rev as ({revenue_sql()}),
        people as (select lower(trim(email)) as person, account_id from valid_crm_contacts),
        tickets as (
            select t.ticket_id, t.category, lower(trim(t.requester_email)) as person,
                   {ts("t.created_at")} as created
            from valid_ticketing_tickets t
        ),
        reopened as (select distinct ticket_id from valid_ticketing_ticket_events
                     where event_type = 'reopened'),
        ticket_events as (
            select tc.touchpoint, p.account_id,
                   r.ticket_id is not null or coalesce(created - lag(created) over (
                       partition by t.person, t.category order by created)
                       <= interval 7 day, false) as negative
            from tickets t join tcat tc using (category)
            left join people p using (person) left join reopened r using (ticket_id)
        ),
        scores as (
            select a.response_id, q.measure, a.numeric_value::double as value
            from valid_survey_answers a join valid_survey_questions q using (question_id)
            where q.measure in ('nps', 'csat', 'ces')
        ),
        first_score as (
            select response_id, arg_min(
                case measure when 'nps' then value <= 6 when 'csat' then value <= 2
                             else value <= 3 end,
                case measure when 'nps' then 1 when 'csat' then 2 else 3 end) as negative
            from scores group by 1
        ),
        survey_events as (
            select s.touchpoint_code as touchpoint, p.account_id,
                   coalesce(f.negative, false) as negative
            from valid_survey_responses r join valid_survey_surveys s using (survey_id)
            left join first_score f using (response_id)
            left join people p on p.person = lower(trim(r.respondent_email))
            where s.survey_kind = 'transactional'
        ),
        invoice_events as (
            select 'billing' as touchpoint, account_id,
                   is_disputed::boolean or (paid_at is null and {ts("due_at")}
                       + interval 30 day < date '{END}') as negative
            from valid_crm_invoices
        ),
        events as (
            select * from ticket_events union all select * from survey_events
            union all select * from invoice_events
        ),
        hot as (
            select touchpoint, count(*) filter (where negative) as irritations,
                   count(distinct account_id) filter (where negative) as affected
            from events group by 1
        ),
        at_risk as (
            select e.touchpoint, sum(rev.revenue) as revenue_at_risk
            from (select distinct touchpoint, account_id from events
                  where negative and account_id is not null) e
            join rev using (account_id) group by 1
        )
        select touchpoint, irritations, affected, revenue_at_risk
        from hot join at_risk using (touchpoint) order by irritations desc""").fetchall()
    by_irritations = [r[0] for r in rows]
    by_revenue = [r[0] for r in sorted(rows, key=lambda r: -r[3])]
    assert by_irritations[0] == PLANTED.hotspot_touchpoint == by_revenue[0]
    assert rows[0][1] > 2 * rows[1][1]  # clearly, not by a hair
    assert len(rows) >= 9


def test_planted_low_csat_channel(medium_con):
    con = medium_con
    con.execute("create or replace table chmap (raw varchar, canonical varchar)")
    con.executemany("insert into chmap values (?, ?)", list(CHANNEL_MAP.items()))
    rows = con.execute("""
        select m.canonical, count(*) as n, avg((a.numeric_value::double >= 4)::int) as csat
        from valid_survey_answers a join valid_survey_questions q using (question_id)
        join valid_survey_responses r using (response_id)
        join chmap m on m.raw = lower(trim(r.channel))
        where q.measure = 'csat' group by 1""").fetchall()
    csat = {c: s for c, _, s in rows}
    n = {c: k for c, k, _ in rows}
    assert set(csat) == set(CHANNEL_MAP.values())
    assert min(n.values()) >= 40  # ~10x that at the default scale
    social = csat.pop(PLANTED.low_csat_channel)
    assert 0.35 < social < 0.7
    assert all(s > social + 0.15 for s in csat.values()), (social, csat)
    assert all(0.7 < s < 0.95 for s in csat.values()), csat


def test_planted_drivers_and_expectation_gap(medium_con):
    con = medium_con
    corr = dict(
        con.execute("""
        with a as (select a.response_id, q.measure, q.factor, a.numeric_value::double as value
                   from valid_survey_answers a join valid_survey_questions q using (question_id))
        select p.factor, corr(p.value, n.value)
        from a p join a n on n.response_id = p.response_id and n.measure = 'nps'
        where p.measure = 'performance' group by 1""").fetchall()
    )
    gap = dict(
        con.execute("""
        select q.factor, avg(a.numeric_value::double) filter (where q.measure = 'importance')
                       - avg(a.numeric_value::double) filter (where q.measure = 'performance')
        from valid_survey_answers a join valid_survey_questions q using (question_id)
        where q.factor is not null group by 1""").fetchall()
    )
    assert all(c > 0.1 for c in corr.values()), corr
    order = sorted(corr, key=corr.get, reverse=True)
    assert tuple(order) == PLANTED.driver_factor_order
    assert gap[PLANTED.positive_gap_factor] > 0.5
    assert gap[PLANTED.positive_gap_factor] == max(gap.values())


def test_every_canonical_channel_gets_csat_answers_at_small_scale(small_con):
    got = {
        r[0]
        for r in small_con.execute("""
        select distinct lower(trim(r.channel)) from valid_survey_answers a
        join valid_survey_questions q using (question_id)
        join valid_survey_responses r using (response_id) where q.measure = 'csat'""").fetchall()
    }
    assert {CHANNEL_MAP[c] for c in got if c in CHANNEL_MAP} == set(CHANNEL_MAP.values())


def test_planted_is_importable_and_consistent():
    assert PLANTED["hotspot_touchpoint"] == PLANTED.hotspot_touchpoint == "billing"
    assert {TOUCHPOINT_OF_CATEGORY[c] for c in PLANTED.hotspot_ticket_categories} == {"billing"}
    assert {CHANNEL_MAP[c] for c in PLANTED.low_csat_raw_codes} == {PLANTED.low_csat_channel}
    assert {CHANNEL_MAP[c.strip().lower()] for c in PLANTED.low_csat_raw_values} == {"social"}
    assert not set(PLANTED.unknown_channel_codes) & set(CHANNEL_MAP)
    assert dict(PLANTED.bad_row_reasons) == dict(BAD_ROW_REASONS)
    assert "bad_row_reasons" in PLANTED.as_dict()


# -------------------------------------------------------------------------------------- speed
def test_speed_is_recorded_not_asserted(small, record_property):
    """Speed is measured by the benchmark (docs/demo_data.md), not asserted here."""
    _, result = small
    record_property("demo_rows", result.total_rows)
    record_property("demo_seconds", round(result.seconds, 3))
    record_property("demo_rows_per_minute", round(result.rows_per_minute))
    print(
        f"demo data: {result.total_rows} rows in {result.seconds:.2f} s "
        f"= {result.rows_per_minute:,.0f} rows/min"
    )
    assert result.seconds > 0 and result.total_rows == sum(result.rows.values())


def test_arguments_are_validated(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, accounts=0)
    with pytest.raises(ValueError):
        generate(tmp_path, accounts=5, file_format="json")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        generate(tmp_path, accounts=5, bad_row_share=0.7)


def test_end_date_and_months_move_the_window(tmp_path):
    end = date(2025, 6, 30)
    generate(tmp_path, accounts=80, end_date=end, months=6, bad_row_share=0)
    con = connect(tmp_path, "csv")
    lo, hi = con.execute(
        f"select min({ts('created_at')})::date, max({ts('created_at')})::date "
        "from valid_ticketing_ticket_events"
    ).fetchone()
    assert hi == end and lo >= end - timedelta(days=185)


# ------------------------------------------------------------------ the one contract (issue 12)
def _contract_with(table_name: str, **changes):
    """ingest.contract.TABLES with one table replaced by a copy carrying `changes`."""
    import dataclasses

    from ingest import contract

    return tuple(
        dataclasses.replace(t, **changes) if t.qualified == table_name else t
        for t in contract.TABLES
    )


def test_contract_view_is_the_ingest_contract():
    from ingest import contract

    assert list(CONTRACT) == [t.qualified for t in contract.TABLES]
    for t in contract.TABLES:
        assert CONTRACT[t.qualified] == [(c.name, c.type) for c in t.columns]


def test_a_new_contract_column_is_reported_by_the_generator(tmp_path, monkeypatch):
    from ingest import contract

    accounts = contract.table("crm.accounts")
    extra = contract.Column("loyalty_tier", "text", False)
    monkeypatch.setattr(
        contract, "TABLES", _contract_with("crm.accounts", columns=(*accounts.columns, extra))
    )
    with pytest.raises(ValueError) as err:
        generate(tmp_path, accounts=20)
    message = str(err.value)
    assert "\n" not in message
    assert "crm.accounts" in message and "loyalty_tier" in message


def test_a_reordered_contract_table_is_reported_by_the_generator(tmp_path, monkeypatch):
    from ingest import contract

    cols = contract.table("survey.surveys").columns
    monkeypatch.setattr(
        contract, "TABLES", _contract_with("survey.surveys", columns=(cols[1], cols[0], *cols[2:]))
    )
    with pytest.raises(ValueError, match="survey.surveys.*column order"):
        generate(tmp_path, accounts=20)


def test_a_contract_table_the_generator_does_not_make_is_reported(tmp_path, monkeypatch):
    from ingest import contract

    extra = contract.Table(
        "crm", "refunds", ("refund_id",), (contract.Column("refund_id", "text"),)
    )
    monkeypatch.setattr(contract, "TABLES", (*contract.TABLES, extra))
    with pytest.raises(ValueError, match="crm.refunds"):
        generate(tmp_path, accounts=20)
    assert not (tmp_path / "crm" / "refunds.csv").exists()


def test_missing_keys_are_planted_in_the_contract_key_columns(small, small_con):
    """The rows with a NULL in one of the contract's key columns (ingest.contract) are exactly
    the planted missing_key rows of each table."""
    from ingest import contract

    _, result = small
    for t in contract.TABLES:
        any_null = " or ".join(f"{k} is null" for k in t.key)
        nulls = small_con.execute(
            f"select count(*) from {v(t.qualified)} where {any_null}"
        ).fetchone()[0]
        assert nulls == result.bad_rows[t.qualified].get("missing_key", 0), t.qualified
    assert sum(b.get("missing_key", 0) for b in result.bad_rows.values()) > 0


# ------------------------------------------------------------- chunked building (issue 17)
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_building_in_small_chunks_gives_the_same_bytes(tmp_path, monkeypatch, fmt):
    """Tickets and their events are built in chunks and every table is written in batches: the
    bytes must be those of one chunk and one batch (the default sizes exceed this scale)."""
    import demo_data.generator as generator_module
    import demo_data.ticketing as ticketing_module

    whole, chunked = tmp_path / "whole", tmp_path / "chunked"
    ra = generate(whole, accounts=150, seed=8, bad_row_share=0.05, file_format=fmt)
    assert ra["ticketing.ticket_events"] < ticketing_module.TICKETS_PER_CHUNK
    monkeypatch.setattr(ticketing_module, "TICKETS_PER_CHUNK", 37)
    monkeypatch.setattr(ticketing_module, "TICKET_ROWS_PER_CHUNK", 101)
    monkeypatch.setattr(generator_module, "BATCH_ROWS", 333)
    rb = generate(chunked, accounts=150, seed=8, bad_row_share=0.05, file_format=fmt)
    assert sha(whole) == sha(chunked)
    assert ra.rows == rb.rows and ra.bad_rows == rb.bad_rows
    assert ra.rows["ticketing.ticket_events"] > 10 * 333  # many chunks and batches


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_written_bytes_do_not_depend_on_batches(tmp_path, fmt):
    """The writer gets a table in batches; a whole-table write with pyarrow is the reference.
    Many distinct decimals make Parquet give up its dictionary part-way, which is where chunked
    input once changed the bytes."""
    from demo_data.writer import schema, write_table

    n = 240_000
    rng = np.random.default_rng(1)
    target = schema("crm.orders")
    ids_ = [f"ORD-{i:07d}" for i in range(n)]
    tbl = pa.table(
        {
            "order_id": ids_,
            "account_id": [f"ACC-{i % 977:06d}" for i in range(n)],
            "contact_id": [None if i % 13 == 0 else f"CON-{i:07d}" for i in range(n)],
            "order_type": ["new", "renewal", "one_off"] * (n // 3),
            "ordered_at": [f"2026-01-{1 + i % 28:02d}T10:00:00Z" for i in range(n)],
            "amount": pa.array(
                [Decimal(int(c)).scaleb(-2) for c in rng.integers(-(10**6), 10**9, n)],
                pa.decimal128(14, 2),
            ),
            "currency": ["EUR"] * n,
            "channel": ["web", " Phone", 'e-mail, "x"'] * (n // 3),
        }
    )
    tbl = pa.Table.from_arrays([tbl.column(f.name).cast(f.type) for f in target], schema=target)
    ref = tmp_path / "ref"
    ref.mkdir()
    if fmt == "csv":
        pacsv.write_csv(
            tbl,
            ref / "orders.csv",
            pacsv.WriteOptions(include_header=True, quoting_style="needed"),
        )
    else:
        pq.write_table(tbl, ref / "orders.parquet", compression="zstd")
    batches = [tbl.slice(i, 777) for i in range(0, n, 777)]
    path, rows = write_table(batches, tmp_path / "batched", "crm.orders", fmt)
    assert rows == n
    assert path.read_bytes() == (ref / f"orders.{fmt}").read_bytes()


def test_spilled_table_reads_back_what_was_written(tmp_path):
    from demo_data.writer import Spilled

    tbl = pa.table({"k": pa.array(np.arange(10_000)), "s": [str(i) for i in range(10_000)]})
    chunks = [tbl.slice(a, b - a) for a, b in [(0, 1), (1, 4000), (4000, 4000), (4000, 10_000)]]
    spilled = Spilled(tmp_path / "t.arrow", iter(chunks), tbl.schema)
    assert spilled.num_rows == 10_000
    idx = np.sort(np.random.default_rng(2).choice(10_000, 300, replace=False))
    assert spilled.take(pa.array(idx)).equals(tbl.take(pa.array(idx)))
    read = spilled.reader()
    for a, b in [(0, 0), (0, 1), (1, 3999), (3999, 4001), (4001, 10_000)]:
        got = read(a, b)
        assert got.equals(tbl.slice(a, b - a)), (a, b)
        assert all(col.num_chunks == 1 for col in got.columns)


def test_a_stream_drawn_in_pieces_gives_the_same_numbers():
    from demo_data.arrays import generator_at, skip_uniform

    rng = np.random.default_rng(4)
    rng.integers(10, size=3)  # leaves half a 64-bit output buffered
    state = rng.bit_generator.state
    whole = rng.random(1_000)
    after = rng.integers(1_000_000, size=5)
    pieces = np.concatenate(
        [generator_at(state, a).random(b - a) for a, b in [(0, 7), (7, 999), (999, 1_000)]]
    )
    assert np.array_equal(pieces, whole)
    again = np.random.default_rng(4)
    again.integers(10, size=3)
    skip_uniform(again, 1_000)
    assert np.array_equal(again.integers(1_000_000, size=5), after)
