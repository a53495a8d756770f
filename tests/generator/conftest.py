"""The landing folders the demo-generator tests read, generated once for the folder."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from demo_data.generator import GenerationResult, generate
from tests.generator.reading import connect


@pytest.fixture(scope="package")
def small(tmp_path_factory) -> tuple[Path, GenerationResult]:
    landing = tmp_path_factory.mktemp("small")
    return landing, generate(landing, accounts=300, seed=7, bad_row_share=0.02)


@pytest.fixture(scope="package")
def small_con(small) -> duckdb.DuckDBPyConnection:
    return connect(small[0], "csv")


@pytest.fixture(scope="package")
def clean(tmp_path_factory) -> tuple[Path, GenerationResult]:
    landing = tmp_path_factory.mktemp("clean")
    return landing, generate(landing, accounts=300, seed=11, bad_row_share=0, file_format="parquet")


@pytest.fixture(scope="package")
def medium_con(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    landing = tmp_path_factory.mktemp("medium")
    generate(landing, accounts=2_000, seed=3)
    return connect(landing, "csv")
