"""Vendor sources on Spark: the adapters are read on DuckDB and PostgreSQL only, so
`cxw build --target spark` with a vendor source selected stops at once with one line that
names the setting (docs/sources.md), before any engine is started."""

from __future__ import annotations

import pytest

from ingest.vendor_tables import VendorTableError, check_vendor_target, dbt_vars_selection
from tests.test_failures import cxw, last_line


def test_spark_build_with_a_vendor_source_fails_in_one_line(tmp_path):
    env = {"CXW_DATA_DIR": str(tmp_path), "CXW_TICKETING_SOURCE": "zendesk"}
    result = cxw("build", "--target", "spark", env=env)
    assert result.returncode == 2
    assert last_line(result) == (
        "error: vendor sources are read on DuckDB and PostgreSQL only, not on spark: "
        "ticketing from zendesk (setting CXW_TICKETING_SOURCE / dbt var ticketing_source); "
        "build with --target duckdb or postgres, or set the setting to contract "
        "(contract files) for spark (docs/sources.md)"
    )
    assert "Traceback" not in result.stderr


def test_spark_build_with_vendor_vars_fails_in_one_line(tmp_path):
    result = cxw(
        "build", "--target", "spark", "--", "--vars", "{crm_source: salesforce}",
        env={"CXW_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2
    line = last_line(result)
    assert line.startswith("error: vendor sources are read on DuckDB and PostgreSQL only")
    assert "crm from salesforce (setting CXW_CRM_SOURCE / dbt var crm_source)" in line


def test_vendor_target_check():
    both = {"crm": "hubspot", "ticketing": "contract", "survey": "qualtrics"}
    for target in ("duckdb", "postgres"):
        check_vendor_target(target, both)  # no error
    check_vendor_target("spark", {"crm": "contract", "ticketing": "contract"})
    with pytest.raises(VendorTableError) as error:
        check_vendor_target("spark", both)
    assert "crm from hubspot" in str(error.value) and "survey from qualtrics" in str(error.value)
    assert "ticketing" not in str(error.value)
    assert dbt_vars_selection(["--select", "x", "--vars", "{survey_source: qualtrics}"]) == {
        "survey": "qualtrics"
    }
    assert dbt_vars_selection(["--vars={ticketing_source: Zendesk, other: 1}"]) == {
        "ticketing": "zendesk"
    }
    assert dbt_vars_selection(["--vars", "{not yaml"]) == {}
