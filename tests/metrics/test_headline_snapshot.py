"""The headline mart and the headline snapshot (publishing/snapshot.py) on the golden fixture:
the figures are those worked out in the other golden tests, and a rebuild of the same data
writes byte-identical files."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from publishing.snapshot import write_snapshot

pytestmark = pytest.mark.slow


def snapshot(golden, out_dir):
    con = duckdb.connect(str(golden.database), read_only=True)
    try:
        return write_snapshot(con, out_dir)
    finally:
        con.close()


def test_headline_figures(golden):
    row = golden.one("select * from metrics.headline")
    assert row["as_of_date"].isoformat() == "2026-03-31"
    # NPS 0 over 5 answers (moe 78.4); CSAT 4 / 7; CES 25 / 6 (test_golden_scores)
    assert (row["nps"], row["nps_answers"]) == (0.0, 5)
    assert row["nps_moe"] == pytest.approx(78.4)
    assert row["csat"] == pytest.approx(400 / 7)
    assert row["ces"] == pytest.approx(25 / 6)
    # FCR 3 / 6, repeat 4 / 13, 1 account and 1 person at risk (test_golden_contacts)
    assert row["fcr_rate"] == 50.0
    assert row["repeat_contact_rate"] == pytest.approx(400 / 13)
    assert (row["accounts_at_risk"], row["people_at_risk"]) == (1, 1)
    assert row["has_immature_tickets"] is True
    assert row["standard_met_rate"] == 50.0
    # top hotspot: billing, 6 irritations, 85,000 at risk; 2 vital few (test_golden_hotspots)
    assert (row["top_hotspot_code"], row["top_hotspot_irritations"]) == ("billing", 6)
    assert float(row["top_hotspot_revenue_at_risk"]) == 85000.0
    assert row["vital_few_touchpoints"] == 2
    assert row["lowest_csat_channel"] == "chat"


def test_snapshot_files(golden, tmp_path):
    payload = snapshot(golden, tmp_path)
    written = json.loads((tmp_path / "headline.json").read_text())
    assert written == payload
    assert list(written) == sorted(written)
    assert written["as_of_date"] == "2026-03-31"
    assert written["nps_moe"] == 78.4
    assert written["csat"] == 57.1429  # 400 / 7 = 57.142857..., four decimals
    # the top hotspots are the vital few, biggest revenue at risk first
    assert [(h["touchpoint_code"], h["revenue_at_risk"]) for h in written["top_hotspots"]] == [
        ("billing", 85000.0),
        ("delivery", 2500.0),
    ]
    text = (tmp_path / "headline.json").read_text()
    assert '"csat": 57.1429,' in text and '"revenue_at_risk": 85000.00,' in text
    with (tmp_path / "headline.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["key", "value"]
    values = dict(rows[1:])
    assert values["nps"] == "0.0000"
    assert values["top_hotspot_code"] == "billing"
    assert values["top_hotspots.2.touchpoint_code"] == "delivery"
    assert values["channel_csat_spread"] == "16.6667"


def test_a_rebuild_of_the_same_data_gives_identical_files(golden, tmp_path):
    snapshot(golden, tmp_path / "first")
    golden.dbt("run")  # every model rebuilt from the same raw data
    snapshot(golden, tmp_path / "second")
    for name in ("headline.json", "headline.csv"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
