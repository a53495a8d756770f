"""Golden test of the Qualtrics adapter (models/adapters/qualtrics/) on a hand-made,
Fivetran-shaped fixture (tests/fixtures/vendors/qualtrics/): every expected row below is
written by hand from the fixture's CSV files, with the rule that gives it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from demo_data.generator import generate
from demo_data.vendors import qualtrics
from tests.adapters.crm_survey_support import (
    FIXTURES,
    assert_connectors_unioned,
    assert_conserved,
    assert_excluded_and_counted_per_connector,
    assert_round_trip,
    assert_same_rows_on_postgres,
    build_adapter,
    land,
    land_connectors,
    read_contract,
    round_trip,
    rows,
)

VARS = {"survey_source": "qualtrics"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("qualtrics")
    database = work / "warehouse.duckdb"
    land(database, "qualtrics", FIXTURES / "qualtrics")
    build_adapter(database, work, "qualtrics", VARS)
    return database


def anonymous(response_id: str) -> str:
    return f"anonymous-{hashlib.md5(response_id.encode()).hexdigest()}@anonymous.invalid"


def test_surveys_kind_and_touchpoint_from_the_map(warehouse: Path):
    # SV_deleted is _fivetran_deleted; SV_unmapped is not in qualtrics_survey_map
    assert rows(warehouse, "qualtrics__surveys", "survey_id, survey_kind, touchpoint_code") == [
        ("SRV-REL", "relationship", None),
        ("SRV-TKT-SUPPORT", "transactional", "support"),
        ("SV_unmapped", "relationship", None),
    ]


def test_question_keys_are_per_survey_and_per_matrix_row_and_loop(warehouse: Path):
    assert rows(warehouse, "qualtrics__questions", "question_id, survey_id, measure, factor") == [
        # selector NPS, whatever its export tag (Q1)
        ("SRV-REL:QID1", "SRV-REL", "nps", None),
        # matrix rows: the sub-question's choice export tag (Perf_product_service, Perf_brand);
        # sub-question 3 is deleted
        ("SRV-REL:QID2:1", "SRV-REL", "performance", "product_service"),
        ("SRV-REL:QID2:2", "SRV-REL", "performance", "brand"),
        ("SRV-REL:QID3", "SRV-REL", "comment", None),  # export tag Comment
        ("SRV-REL:QID4", "SRV-REL", "comment", None),  # tag Role: unmapped, kept as comment
        # QID5 (tag Ignore) is ignored, QID6 deleted; QID1 again in another survey:
        ("SRV-TKT-SUPPORT:QID1", "SRV-TKT-SUPPORT", "csat", None),
        # loop and merge: one key per loop, none without loop
        ("SRV-TKT-SUPPORT:QID2@L1", "SRV-TKT-SUPPORT", "ces", None),
        ("SRV-TKT-SUPPORT:QID2@L2", "SRV-TKT-SUPPORT", "ces", None),
        ("SV_unmapped:QID1", "SV_unmapped", "nps", None),
    ]
    texts = dict(rows(warehouse, "qualtrics__questions", "question_id, question_text"))
    assert texts["SRV-REL:QID2:2"] == "Rate us - Trust"
    assert texts["SRV-TKT-SUPPORT:QID2@L1"] == "How easy was it? [loop L1]"


def test_responses_anonymous_embedded_data_and_channel(warehouse: Path):
    got = rows(
        warehouse,
        "qualtrics__responses",
        "response_id, survey_id, respondent_email, ticket_id, order_id, channel, submitted_at",
    )
    assert got == [
        ("R_1", "SRV-REL", "Ann@Example.com", None, None, "email", "2026-01-05 10:00:00"),
        # anonymous link: a pseudonymous respondent of its own, channel through the map
        ("R_2", "SRV-REL", anonymous("R_2"), None, None, "web", "2026-01-06 11:02:00"),
        # unfinished (40 %) but recorded: kept; ticket and channel from embedded data
        # (key 'Channel' matches case-insensitively)
        ("R_3", "SRV-TKT-SUPPORT", "bob@example.com", "TKT-0000002", None, "Chat",
         "2026-01-14 12:01:00"),
        # R_4 is a preview (status 1), R_6 answers a deleted survey; distribution channel
        # 'mobile' is unmapped and passes through; order id under the key OrderID
        ("R_5", "SV_unmapped", "dana@example.com", None, "ORD-0000009", "mobile",
         "2026-01-09 08:01:00"),
        ("R_7", "SRV-TKT-SUPPORT", anonymous("R_7"), None, None, "chat", "2026-01-10 08:01:00"),
    ]  # fmt: skip


def test_answers_value_or_text_by_measure(warehouse: Path):
    got = rows(
        warehouse, "qualtrics__answers", "response_id, question_id, numeric_value, text_value"
    )
    assert got == [
        ("R_1", "SRV-REL:QID1", "9", None),
        ("R_1", "SRV-REL:QID2:1", "4", None),
        ("R_1", "SRV-REL:QID2:2", "5", None),
        ("R_1", "SRV-REL:QID3", None, "Great service"),
        ("R_1", "SRV-REL:QID4", None, "Manager"),  # unmapped: text, never scored
        ("R_2", "SRV-REL:QID1", "3", None),
        ("R_2", "SRV-REL:QID3", None, "Too slow"),
        ("R_3", "SRV-TKT-SUPPORT:QID1", "2", None),
        ("R_3", "SRV-TKT-SUPPORT:QID2@L1", "5", None),
        ("R_3", "SRV-TKT-SUPPORT:QID2@L2", "6", None),
        ("R_5", "SV_unmapped:QID1", "10", None),
        ("R_7", "SRV-TKT-SUPPORT:QID1", "4", None),
        # a response Qualtrics never delivered: passed on for staging to quarantine
        ("R_999", ":QID1", "1", "Very dissatisfied"),
    ]


def test_every_vendor_row_is_kept_or_excluded_with_why(warehouse: Path):
    assert rows(warehouse, "qualtrics__excluded", "vendor_table, vendor_id, exclusion_reason") == [
        ("qualtrics.question", "SRV-REL:QID5", "ignored_question"),
        ("qualtrics.question", "SRV-REL:QID6", "deleted"),
        ("qualtrics.question", "SV_deleted:QID1", "survey_deleted"),
        ("qualtrics.question_response", "fr06", "ignored_question"),
        ("qualtrics.question_response", "fr07", "question_deleted"),
        ("qualtrics.question_response", "fr13", "preview_or_test"),
        ("qualtrics.question_response", "fr15", "survey_deleted"),
        ("qualtrics.sub_question", "SRV-REL:QID2:3", "deleted"),
        ("qualtrics.survey", "SV_deleted", "deleted"),
        ("qualtrics.survey_response", "R_4", "preview_or_test"),
        ("qualtrics.survey_response", "R_6", "survey_deleted"),
    ]
    # conservation on the row-per-row tables: kept + excluded = delivered
    assert_conserved(
        warehouse,
        "qualtrics",
        [
            ("survey", "qualtrics__surveys"),
            ("survey_response", "qualtrics__responses"),
            ("question_response", "qualtrics__answers"),
        ],
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # questions are fed by question keys: 9 kept + 1 ignored (QID5), plus the 2 question
        # rows dropped (QID6 deleted, SV_deleted:QID1 of a deleted survey)
        assert con.execute(
            "select vendor_rows from adapters.qualtrics__row_counts "
            "where vendor_table = 'qualtrics.question'"
        ).fetchone() == (12,)
    finally:
        con.close()


def test_values_outside_the_maps_are_counted(warehouse: Path):
    got = rows(
        warehouse,
        "qualtrics__unmapped_values",
        "vendor_table, vendor_field, vendor_value, row_count",
    )
    assert got == [
        ("question", "id / data_export_tag", "SRV-REL:QID4 (Role)", 1),
        ("survey", "id", "SV_unmapped", 1),
        ("survey_response", "distribution_channel", "mobile", 1),
    ]


def test_lineage_columns(warehouse: Path):
    got = rows(warehouse, "qualtrics__answers", "_source_file, _source_row, _batch_id")
    assert {r[0] for r in got} == {"qualtrics.question_response"}
    assert sorted(r[1] for r in got) == list(range(1, 14))
    assert {r[2] for r in got} == {"qualtrics.question_response"}


def test_unfinished_responses_can_be_excluded(tmp_path: Path):
    database = tmp_path / "warehouse.duckdb"
    land(database, "qualtrics", FIXTURES / "qualtrics")
    build_adapter(database, tmp_path, "qualtrics", {**VARS, "qualtrics_keep_unfinished": False})
    assert ("qualtrics.survey_response", "R_3", "unfinished") in rows(
        database, "qualtrics__excluded", "vendor_table, vendor_id, exclusion_reason"
    )
    assert "R_3" not in {r[0] for r in rows(database, "qualtrics__responses", "response_id")}


def test_a_missing_vendor_column_is_named(tmp_path: Path):
    folder = tmp_path / "landing"
    shutil.copytree(FIXTURES / "qualtrics", folder)
    database = tmp_path / "warehouse.duckdb"
    land(database, "qualtrics", folder)
    con = duckdb.connect(str(database))
    con.execute("alter table qualtrics.survey_response drop column recorded_date")
    con.close()
    with pytest.raises(pytest.fail.Exception) as failed:
        build_adapter(database, tmp_path, "qualtrics", VARS)
    # the on-run-start pre-flight (or the model's own check) names schema, table and column
    message = str(failed.value)
    assert "qualtrics.survey_response has no column recorded_date" in message or (
        "schema 'qualtrics', table 'survey_response' has no column 'recorded_date'" in message
    )


def test_round_trip_from_the_contract_demo(tmp_path: Path):
    """contract demo -> qualtrics writer -> DuckDB -> adapter = the contract's surveys,
    questions, responses and answers (as staging reads them), question ids becoming
    <survey_id>:<question_id> (the documented difference)."""
    database, contract = round_trip(tmp_path, "qualtrics", qualtrics.write, VARS)
    survey_of = {q["question_id"]: q["survey_id"] for q in contract["survey/questions"].to_pylist()}

    def keyed(row: dict) -> dict:
        return {**row, "question_id": f"{survey_of[row['question_id']]}:{row['question_id']}"}

    assert_round_trip(
        database,
        contract,
        [
            ("survey/surveys", "qualtrics__surveys"),
            ("survey/questions", "qualtrics__questions", keyed),
            ("survey/responses", "qualtrics__responses"),
            ("survey/answers", "qualtrics__answers", keyed),
        ],
    )
    reasons = {
        (table, reason)
        for table, reason in rows(database, "qualtrics__excluded", "vendor_table, exclusion_reason")
    }
    assert reasons == {
        ("qualtrics.survey", "deleted"),
        ("qualtrics.question", "survey_deleted"),
        ("qualtrics.survey_response", "survey_deleted"),
        ("qualtrics.survey_response", "preview_or_test"),
        ("qualtrics.question_response", "survey_deleted"),
        ("qualtrics.question_response", "preview_or_test"),
    }
    assert rows(database, "qualtrics__unmapped_values", "vendor_table") == []


def test_staging_keeps_anonymous_respondents_as_unmatched_people(tmp_path: Path):
    """The adapter's rows in place of the raw survey tables: staging quarantines none of them,
    and an anonymous response (no recipient email) is a person of its own, unmatched."""
    from ingest.landing import load_landing
    from tests.dbt_helpers import query, run_dbt

    generate(tmp_path / "contract", accounts=120, seed=5, bad_row_share=0.0, months=4)
    contract = read_contract(tmp_path / "contract")
    qualtrics.write(contract, tmp_path / "vendor")
    database = tmp_path / "warehouse.duckdb"
    load_landing(tmp_path / "contract", database)
    land(database, "qualtrics", tmp_path / "vendor" / "qualtrics")
    anonymous_ids = [r["response_id"] for r in contract["survey/responses"].to_pylist()[:5]]
    con = duckdb.connect(str(database))
    con.execute(
        "update qualtrics.survey_response set recipient_email = null, "
        "distribution_channel = 'anonymous' where id in (?, ?, ?, ?, ?)",
        anonymous_ids,
    )
    con.close()
    build_adapter(database, tmp_path, "qualtrics", VARS)
    con = duckdb.connect(str(database))
    for name in ("surveys", "questions", "responses", "answers"):
        # `cxw load` leaves each raw relation a view on its latest batch (raw_history)
        con.execute(f"drop view if exists raw_survey.{name}")
        con.execute(
            f"create or replace table raw_survey.{name} as select * from adapters.qualtrics__{name}"
        )
    con.close()
    run_dbt(
        database, tmp_path, "build", "--select", "path:models/staging", "resource_type:seed",
        "+int_emails_resolved_to_people", "--indirect-selection", "buildable",
    )  # fmt: skip
    for name in ("surveys", "questions", "responses", "answers"):
        assert query(database, f"select count(*) from staging.stg_survey__{name}_quarantine") == [
            (0,)
        ], name
    listed = ", ".join(f"'{a}'" for a in anonymous_ids)
    people = query(
        database,
        "select count(distinct p.person_id), bool_or(p.is_matched) "
        "from staging.stg_survey__responses r "
        "join intermediate.int_emails_resolved_to_people p on r.respondent_email = p.email "
        f"where r.response_id in ({listed})",
    )
    assert people == [(5, False)]


@pytest.mark.postgres
def test_builds_the_same_rows_on_postgresql(
    warehouse: Path,
    postgres_cluster,
    tmp_path: Path,
):
    """The fixture in PostgreSQL schema `qualtrics` (as Fivetran names it): the adapter builds
    there and gives the rows it gives on DuckDB (as staging reads them), and excludes the same."""
    models = [
        ("survey/surveys", "qualtrics__surveys"),
        ("survey/questions", "qualtrics__questions"),
        ("survey/responses", "qualtrics__responses"),
        ("survey/answers", "qualtrics__answers"),
    ]
    assert_same_rows_on_postgres(postgres_cluster, warehouse, tmp_path, "qualtrics", VARS, models)


def test_two_connectors_are_unioned_with_prefixed_ids(warehouse: Path, tmp_path: Path):
    """Two Qualtrics brands (the fixture in schemas qualtrics_eu and qualtrics_us: every
    survey, response and question id exists in both): survey and response ids and so the
    question keys are prefixed with the connector, so they do not collide; the mapping seeds
    still match the vendor's own survey ids (kinds, touchpoints and measures are unchanged);
    every count doubles."""
    database = tmp_path / "warehouse.duckdb"
    names = ["eu", "us"]
    connectors = land_connectors(database, "qualtrics", names)
    build_adapter(database, tmp_path, "qualtrics", {**VARS, "qualtrics_connectors": connectors})
    for model, columns, ids in (
        ("qualtrics__surveys", ["survey_id", "survey_name", "survey_kind", "touchpoint_code"],
         {"survey_id"}),
        ("qualtrics__questions", ["question_id", "survey_id", "measure", "factor"],
         {"question_id", "survey_id"}),
        ("qualtrics__responses", ["response_id", "survey_id", "ticket_id", "order_id",
                                  "channel", "submitted_at"], {"response_id", "survey_id"}),
        ("qualtrics__answers", ["response_id", "question_id", "numeric_value", "text_value"],
         {"response_id", "question_id"}),
    ):  # fmt: skip
        assert_connectors_unioned(warehouse, database, names, model, columns, ids)
    assert_excluded_and_counted_per_connector(warehouse, database, "qualtrics", names)
    # an anonymous respondent stays one person per response and connector
    emails = [e for (e,) in rows(database, "qualtrics__responses", "respondent_email")]
    anonymous_emails = [e for e in emails if e.endswith("@anonymous.invalid")]
    single = [e for (e,) in rows(warehouse, "qualtrics__responses", "respondent_email")]
    assert len(set(anonymous_emails)) == 2 * sum(e.endswith("@anonymous.invalid") for e in single)
