"""Qualtrics, Fivetran-shaped, from the contract demo's survey tables
(docs/sources_crm_survey.md).

`write(contract, out_dir)` writes `<out_dir>/qualtrics/{survey,question,sub_question,
survey_response,question_response,survey_embedded_data}.<ext>` so that the Qualtrics adapter
(models/adapters/qualtrics/) gives back the contract's surveys, questions, responses and
answers, question ids becoming `<survey_id>:<question_id>`. Survey and question ids stay the
contract's; each question's data export tag names its measure (the adapter's
qualtrics_question_map reads it back; NPS questions carry the NPS selector); ticket id,
order id and channel travel as embedded data. Around them, rows the adapter must leave out:
a deleted survey with its question, responses and answers, and survey previews.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

from demo_data.vendors.typed_values import number, rows_of, synced_at, text, timestamp, write_table

VENDOR = "qualtrics"

SURVEY = (
    ("id", "text"), ("survey_name", "text"), ("survey_status", "text"), ("is_active", "boolean"),
    ("last_modified", "timestamp"), ("_fivetran_deleted", "boolean"),
    ("_fivetran_synced", "timestamp"),
)  # fmt: skip
QUESTION = (
    ("id", "text"), ("survey_id", "text"), ("question_text", "text"),
    ("data_export_tag", "text"), ("question_type", "text"), ("selector", "text"),
    ("sub_selector", "text"), ("_fivetran_deleted", "boolean"), ("_fivetran_synced", "timestamp"),
)  # fmt: skip
SUB_QUESTION = (
    ("key", "text"), ("question_id", "text"), ("survey_id", "text"), ("text", "text"),
    ("choice_data_export_tag", "text"), ("_fivetran_deleted", "boolean"),
    ("_fivetran_synced", "timestamp"),
)  # fmt: skip
SURVEY_RESPONSE = (
    ("id", "text"), ("survey_id", "text"), ("recipient_email", "text"),
    ("distribution_channel", "text"), ("finished", "boolean"), ("progress", "integer"),
    ("status", "integer"), ("start_date", "timestamp"), ("end_date", "timestamp"),
    ("recorded_date", "timestamp"), ("duration_in_seconds", "integer"), ("user_language", "text"),
    ("_fivetran_synced", "timestamp"),
)  # fmt: skip
QUESTION_RESPONSE = (
    ("_fivetran_id", "text"), ("response_id", "text"), ("question_id", "text"),
    ("question", "text"), ("question_option_key", "text"), ("sub_question_key", "text"),
    ("sub_question_text", "text"), ("loop_id", "text"), ("value", "text"), ("text", "text"),
    ("_fivetran_synced", "timestamp"),
)  # fmt: skip
EMBEDDED = (
    ("import_id", "text"), ("key", "text"), ("response_id", "text"), ("value", "text"),
    ("_fivetran_synced", "timestamp"),
)  # fmt: skip

PREVIEW_EVERY = 50  # one extra survey preview (status 1) per this many responses
RETIRED = "SV_RETIRED"  # a deleted survey, with a question, responses and answers


def export_tag(measure: str | None, factor: str | None) -> str | None:
    """The data export tag qualtrics_question_map reads back as (measure, factor)."""
    m, f = (measure or "").strip().lower(), (factor or "").strip().lower()
    if m in ("importance", "performance") and f:
        return f"{'Imp' if m == 'importance' else 'Perf'}_{f}"
    return {"nps": "NPS", "csat": "CSAT", "ces": "CES", "comment": "Comment"}.get(m, measure)


def _question(q: Mapping, synced: dt.datetime) -> dict:
    measure = (text(q["measure"]) or "").lower()
    return {
        "id": q["question_id"],
        "survey_id": text(q["survey_id"]),
        "question_text": q["question_text"],
        "data_export_tag": export_tag(q["measure"], q["factor"]),
        "question_type": "TE" if measure == "comment" else "MC",
        "selector": {"nps": "NPS", "comment": "SL"}.get(measure, "SAVR"),
        "sub_selector": None if measure in ("nps", "comment") else "TX",
        "_fivetran_deleted": False,
        "_fivetran_synced": synced,
    }


def _distribution(channel: str | None) -> str:
    return "email" if (channel or "").strip().lower() in ("email", "e-mail", "mail") else "gl"


def write(contract: Mapping[str, pa.Table], out_dir: Path, file_format: str = "csv") -> list[Path]:
    surveys = rows_of(contract["survey/surveys"])
    questions = rows_of(contract["survey/questions"])
    responses = rows_of(contract["survey/responses"])
    answers = rows_of(contract["survey/answers"])
    synced = synced_at(contract["survey/responses"], columns=("submitted_at",))
    tag_of = {q["question_id"]: export_tag(q["measure"], q["factor"]) for q in questions}

    survey_rows = [
        {"id": s["survey_id"], "survey_name": s["survey_name"], "survey_status": "active",
         "is_active": True, "last_modified": synced, "_fivetran_deleted": False,
         "_fivetran_synced": synced}
        for s in surveys
    ]  # fmt: skip
    survey_rows.append(
        {"id": RETIRED, "survey_name": "Retired pilot", "survey_status": "inactive",
         "is_active": False, "last_modified": synced, "_fivetran_deleted": True,
         "_fivetran_synced": synced}
    )  # fmt: skip
    question_rows = [_question(q, synced) for q in questions]
    question_rows.append(
        _question({"question_id": "QID1", "survey_id": RETIRED, "measure": "csat",
                   "factor": None, "question_text": "How satisfied were you?"}, synced)
    )  # fmt: skip

    response_rows, embedded_rows = [], []
    for i, r in enumerate(responses):
        at = timestamp(r["submitted_at"])
        row = {
            "id": r["response_id"],
            "survey_id": text(r["survey_id"]),
            "recipient_email": r["respondent_email"],
            "distribution_channel": _distribution(r["channel"]),
            "finished": True,
            "progress": 100,
            "status": 0,
            "start_date": at - dt.timedelta(minutes=2) if at else None,
            "end_date": at,
            "recorded_date": at,
            "duration_in_seconds": 120,
            "user_language": "EN",
            "_fivetran_synced": synced,
        }
        response_rows.append(row)
        for key in ("ticket_id", "order_id", "channel"):
            if r[key] is not None and r[key] != "":
                embedded_rows.append(
                    {"import_id": key, "key": key, "response_id": r["response_id"],
                     "value": r[key], "_fivetran_synced": synced}
                )  # fmt: skip
        if i % PREVIEW_EVERY == PREVIEW_EVERY - 1:
            response_rows.append({**row, "id": f"PRV-{r['response_id']}", "status": 1})
        if i % (PREVIEW_EVERY * 4) == 0:
            response_rows.append({**row, "id": f"OLD-{r['response_id']}", "survey_id": RETIRED})

    by_response = {r["id"]: r for r in response_rows}
    answer_rows = []

    def answer(response_id: str, question_id: str, a: Mapping, n: int) -> None:
        numeric = text(a["numeric_value"])
        answer_rows.append(
            {
                "_fivetran_id": f"{response_id}|{question_id}|{n}",
                "response_id": response_id,
                "question_id": question_id,
                "question": tag_of.get(question_id),
                "question_option_key": numeric,
                "value": numeric,
                "text": a["text_value"],
                "_fivetran_synced": synced,
            }
        )

    for n, a in enumerate(answers):
        answer(a["response_id"], a["question_id"], a, n)
        preview = f"PRV-{a['response_id']}"
        if preview in by_response:
            answer(preview, a["question_id"], a, n)
        old = f"OLD-{a['response_id']}"
        if old in by_response and number(a["numeric_value"]) is not None:
            answer(old, "QID1", a, n)

    return [
        write_table(out_dir, VENDOR, "survey", SURVEY, survey_rows, file_format),
        write_table(out_dir, VENDOR, "question", QUESTION, question_rows, file_format),
        write_table(out_dir, VENDOR, "sub_question", SUB_QUESTION, [], file_format),
        write_table(
            out_dir, VENDOR, "survey_response", SURVEY_RESPONSE, response_rows, file_format
        ),
        write_table(
            out_dir, VENDOR, "question_response", QUESTION_RESPONSE, answer_rows, file_format
        ),
        write_table(out_dir, VENDOR, "survey_embedded_data", EMBEDDED, embedded_rows, file_format),
    ]
