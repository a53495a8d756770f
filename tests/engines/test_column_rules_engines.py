"""The generic test `column_rules` (macros/test_column_rules.sql) on PostgreSQL and Spark: the
same fixture project and plain-Python reference as the DuckDB golden test
(tests/dbt_tests/test_column_rules.py), run in a child process (one Spark JVM per run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ingest.postgres_loader import PostgresSettings
from ingest.spark_loader import SparkSettings
from tests.dbt_tests.column_rules_project import REPO
from tests.dbt_tests.test_column_rules import check_outcome


def _run_child(work: Path, env: dict[str, str]):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CXW_", "DBT_TARGET"))}
    full_env.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "tests.dbt_tests.column_rules_project", str(work)],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    statuses = {name: tuple(value) for name, value in outcome["statuses"].items()}
    stored = {name: [tuple(row) for row in rows] for name, rows in outcome["stored"].items()}
    return statuses, stored


def test_column_rules_postgres(tmp_path: Path, postgres_cluster: PostgresSettings):
    env = {"DBT_TARGET": "postgres", **postgres_cluster.env()}
    check_outcome(*_run_child(tmp_path, env))


def test_column_rules_spark(tmp_path: Path, spark_settings: SparkSettings):
    env = {"DBT_TARGET": "spark", **spark_settings.env()}
    env.update({k: os.environ[k] for k in ("JAVA_HOME", "SPARK_LOCAL_IP") if k in os.environ})
    check_outcome(*_run_child(tmp_path, env))
