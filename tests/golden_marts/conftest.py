"""The golden warehouse, built once for the folder: the handwritten landing folder loaded and
the conformed and data-quality marts built with dbt in-process at the fixed as-of date."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from ingest.landing import load_landing
from tests.golden_marts.reading import AS_OF, GOLDEN, dbt_build


@pytest.fixture(scope="package")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    work = tmp_path_factory.mktemp("golden")
    db = work / "golden.duckdb"
    load_landing(GOLDEN, db)
    dbt_build(db, work, ["--vars", f"{{as_of_date: '{AS_OF}'}}"])
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()
