#!/usr/bin/env bash
# The whole test suite (called by `./cxw test`, after .venv is in place).
# Tests that need PostgreSQL start their own throwaway cluster; this script only makes sure
# the server binaries exist. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DBT_SEND_ANONYMOUS_USAGE_STATS=false GX_ANALYTICS_ENABLED=false DAGSTER_DISABLE_TELEMETRY=true

echo "== lint (ruff) =="
.venv/bin/ruff check orchestration tests
echo "== dbt parse =="
DBT_PROFILES_DIR="$PWD" CXW_DUCKDB_PATH="${TMPDIR:-/tmp}/cxw-parse.duckdb" \
  .venv/bin/dbt parse --quiet --target-path target/ci-parse
echo "== pytest =="
exec .venv/bin/python -m pytest "$@"
