"""MetricFlow's answers equal the metric marts' figures for the same cut, on the golden fixture.

`mf` runs in a subprocess, pointed (DBT_PROJECT_DIR, DBT_PROFILES_DIR) at the build's own
project folder, whose target/semantic_manifest.json the in-process `dbt build` wrote, and at
the build's DuckDB file (CXW_DUCKDB_PATH); it never reads the shared target/ folder.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

MF = Path(sys.executable).with_name("mf")


def mf(golden, *args: str, tmp_path: Path | None = None) -> subprocess.CompletedProcess:
    if not MF.exists():
        pytest.skip("the mf command (dbt-metricflow) is not installed next to this Python")
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(golden.mf_project),
        "DBT_PROFILES_DIR": str(golden.mf_project),
        "CXW_DUCKDB_PATH": str(golden.database),
        "DBT_TARGET": "duckdb",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    result = subprocess.run(
        [str(MF), *args],
        cwd=golden.mf_project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"mf {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def mf_query(golden, tmp_path: Path, metrics: str, group_by: str | None = None) -> list[dict]:
    out = tmp_path / f"mf_{len(list(tmp_path.iterdir()))}.csv"
    args = ["query", "--metrics", metrics, "--csv", str(out)]
    if group_by:
        args += ["--group-by", group_by]
    mf(golden, *args)
    with out.open(newline="") as fh:
        return list(csv.DictReader(fh))


def number(text: str | None) -> float | None:
    return None if text in (None, "", "None", "nan") else float(text)


def test_validate_configs(golden):
    result = mf(golden, "validate-configs")
    assert "ERRORS: 0" in result.stdout


def test_nps_csat_ces_by_month(golden, tmp_path):
    answers = mf_query(golden, tmp_path, "nps,nps_answers,csat,ces", "metric_time__month")
    mart = {
        r["period_start"].isoformat(): r
        for r in golden.rows(
            "select * from metrics.cx_scores where dimension = 'overall' and period <> 'all'"
        )
    }
    compared = 0
    for row in answers:
        month = row["metric_time__month"][:10]
        expected = mart[month]
        assert int(number(row["nps_answers"]) or 0) == expected["nps_answers"], month
        for name in ("nps", "csat", "ces"):
            if expected[name] is None:
                assert number(row[name]) is None, (month, name)
            else:
                assert number(row[name]) == pytest.approx(expected[name]), (month, name)
                compared += 1
    # 2026-01 (nps 100), 2026-02 (-100), 2026-03 (50) and their csat and ces
    assert {r["metric_time__month"][:10] for r in answers} == {
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
    }
    assert compared == 9


def test_rates_overall(golden, tmp_path):
    (answer,) = mf_query(
        golden,
        tmp_path,
        "fcr_rate,repeat_contact_rate,contacts_per_episode,one_touch_rate,people_at_risk,"
        "accounts_at_risk,nps,csat,ces,ces_easy_pct,standard_met_rate",
    )
    contacts = golden.one(
        "select * from metrics.repeat_contact_metrics "
        "where period = 'all' and dimension = 'overall'"
    )
    scores = golden.one(
        "select * from metrics.cx_scores where period = 'all' and dimension = 'overall'"
    )
    standards = golden.one("select * from metrics.service_standard_attainment where tier = 'all'")
    expected = {
        "fcr_rate": contacts["fcr_rate"],  # 50
        "repeat_contact_rate": contacts["repeat_contact_rate"],  # 400 / 13
        "contacts_per_episode": contacts["contacts_per_episode"],  # 13 / 9
        "one_touch_rate": contacts["one_touch_rate"],  # 200 / 3
        "people_at_risk": contacts["people_at_risk"],  # 1
        "accounts_at_risk": contacts["accounts_at_risk"],  # 1
        "nps": scores["nps"],  # 0
        "csat": scores["csat"],  # 400 / 7
        "ces": scores["ces"],  # 25 / 6
        "ces_easy_pct": scores["ces_easy_pct"],  # 50
        "standard_met_rate": standards["standard_met_rate"],  # 50
    }
    for name, value in expected.items():
        assert number(answer[name]) == pytest.approx(value), name


def test_hotspot_figures_by_touchpoint(golden, tmp_path):
    answers = {
        r["touchpoint"]: r
        for r in mf_query(
            golden, tmp_path, "irritations,customers_affected,revenue_at_risk", "touchpoint"
        )
    }
    for row in golden.rows("select * from metrics.hotspots"):
        code = row["touchpoint_code"]
        answer = answers[code]  # every hotspot touchpoint has a row in the hotspots model
        # a touchpoint without any event has no irritations row in MetricFlow (NULL): 0
        assert int(number(answer["irritations"]) or 0) == row["irritations"], code
        assert int(number(answer["customers_affected"]) or 0) == row["customers_affected"], code
        assert number(answer["revenue_at_risk"]) == pytest.approx(float(row["revenue_at_risk"]))


def test_rates_by_tier(golden, tmp_path):
    answers = {
        (r["account__tier"] or "unmatched"): r
        for r in mf_query(
            golden,
            tmp_path,
            "nps_answers,csat,fcr_rate,repeat_contact_rate,standard_met_rate",
            "account__tier",
        )
    }
    scores = {
        r["dimension_value"]: r
        for r in golden.rows(
            "select * from metrics.cx_scores where period = 'all' and dimension = 'tier'"
        )
    }
    contacts = {
        r["dimension_value"]: r
        for r in golden.rows(
            "select * from metrics.repeat_contact_metrics where period = 'all' "
            "and dimension = 'tier'"
        )
    }
    standards = {
        r["tier"]: r for r in golden.rows("select * from metrics.service_standard_attainment")
    }
    assert set(answers) == set(contacts) == {"strategic", "key", "core", "basic", "unmatched"}
    for tier, answer in answers.items():
        pairs = [
            ("nps_answers", scores[tier]["nps_answers"]),
            ("csat", scores[tier]["csat"]),
            ("fcr_rate", contacts[tier]["fcr_rate"]),
            ("repeat_contact_rate", contacts[tier]["repeat_contact_rate"]),
            ("standard_met_rate", standards[tier]["standard_met_rate"]),
        ]
        for name, value in pairs:
            if value is None:
                assert number(answer[name]) is None, (tier, name)
            else:
                assert number(answer[name]) == pytest.approx(value), (tier, name)
