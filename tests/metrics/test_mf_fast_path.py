"""`cxw mf query` answers in its own process (cli/mf.py) without dbt: the same rows as
MetricFlow's `mf`, on the golden fixture; anything it does not know goes to `mf` itself."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cli.mf import parse_query, run_query
from tests.metrics.test_metricflow_agrees import mf

QUERIES = [
    [
        "--metrics",
        "nps,csat,ces",
        "--group-by",
        "metric_time__month",
        "--order",
        "metric_time__month",
    ],
    ["--metrics", "fcr_rate,repeat_contact_rate", "--group-by", "ticket__channel"],
    [
        "--metrics",
        "irritations",
        "--group-by",
        "touchpoint",
        "--order",
        "-irritations",
        "--limit",
        "3",
    ],
    [
        "--metrics",
        "nps_answers",
        "--where",
        "{{ Dimension('answer__channel') }} = 'email'",
        "--start-time",
        "2026-01-01",
    ],
]


def test_parse_query_takes_query_options_and_hands_on_the_rest():
    args = parse_query(["query", "--metrics", "nps,csat", "--group-by", "metric_time__month"])
    assert args is not None and args.metrics == "nps,csat"
    assert parse_query(["query", "--where", "a", "--where", "b"]).where == ["a", "b"]
    assert parse_query(["list", "metrics"]) is None
    assert parse_query(["validate-configs"]) is None
    assert parse_query([]) is None
    assert parse_query(["query", "--display-plans", "--metrics", "nps"]) is None  # unknown
    assert parse_query(["query", "--limit", "many"]) is None  # mf says what is wrong
    assert parse_query(["query", "--help"]) is None


@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[1])
def test_fast_path_gives_mf_answer(golden, tmp_path: Path, query: list[str]):
    expected = tmp_path / "mf.csv"
    mf(golden, "query", *query, "--csv", str(expected))
    got = tmp_path / "fast.csv"
    args = parse_query(["query", *query, "--csv", str(got), "--quiet"])
    assert args is not None
    assert run_query(args, golden.database, golden.target_path / "semantic_manifest.json") == 0
    assert _rows(got.read_text(), query) == _rows(expected.read_text(), query)
    assert len(got.read_text().splitlines()) > 1  # a header and at least one row


def _rows(text: str, query: list[str]) -> list[str]:
    """The header, then the rows: in their order when the query asks for one, else sorted
    (without `--order` neither mf nor the fast path promises an order)."""
    header, *rows = text.splitlines()
    return [header, *(rows if "--order" in query else sorted(rows))]


@pytest.mark.slow
def test_fast_path_prints_mf_table(golden):
    # Without --order neither mf nor the fast path promises an order of rows: ask for one.
    query = [
        "query",
        "--metrics",
        "nps,csat",
        "--group-by",
        "metric_time__month",
        "--order",
        "metric_time__month",
    ]
    expected = mf(golden, *query, "--quiet").stdout
    out = io.StringIO()
    run_query(
        parse_query([*query, "--quiet"]),
        golden.database,
        golden.target_path / "semantic_manifest.json",
        out=out,
    )
    assert out.getvalue().strip() == expected.strip()
    assert "metric_time__month" in out.getvalue()
