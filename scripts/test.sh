#!/usr/bin/env bash
# The whole test suite (called by `./cxw test`, after .venv is in place). Extra arguments go
# to pytest. Tests that need PostgreSQL start their own throwaway cluster, and the report tests
# drive headless Chromium: the scripts below only make sure those programs are installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DBT_SEND_ANONYMOUS_USAGE_STATS=false GX_ANALYTICS_ENABLED=false DAGSTER_DISABLE_TELEMETRY=true

echo "== system packages (PostgreSQL server, Java, Chromium) =="
for script in scripts/install_system_deps.sh scripts/ensure_chromium.sh; do
  if [ -f "$script" ]; then bash "$script"; fi
done
echo "== lint (ruff, ruff format, sqlfluff; the same as .pre-commit-config.yaml) =="
python_dirs=(orchestration cli lib ingest publishing report_site demo_data quality alerting scripts tests)
.venv/bin/ruff check "${python_dirs[@]}"
.venv/bin/ruff format --check "${python_dirs[@]}"
# models/ with the jinja templater (pyproject.toml): about 1-2 minutes on 2 busy cores
.venv/bin/sqlfluff lint models --processes 2 --disable-progress-bar
echo "== dbt parse =="
# the project's target/manifest.json, as Dagster's definitions need it (lib/dbt_manifest.py):
# fails here on a project that does not parse, and the tests that load the definitions then
# reuse it instead of parsing again (a parse is 10-15 s of CPU)
.venv/bin/python -c "from lib.dbt_manifest import ensure_manifest; ensure_manifest()"
echo "== pytest =="
# two workers (pytest-xdist; CXW_TEST_WORKERS=0 runs the tests in this one process): while one
# waits on Spark, PostgreSQL, npm or a dbt child, the other has the CPU. The tests go out in
# groups that keep every shared fixture (a demo warehouse, the Spark cluster ...) on one
# worker, heaviest group first (tests/parallel.py).
exec .venv/bin/python -m pytest --durations=20 -n "${CXW_TEST_WORKERS:-2}" --dist loadgroup "$@"
