"""dbt's `target` for sqlfluff's jinja templater: the DuckDB default target (profiles.yml)."""

type = "duckdb"  # noqa: A001 (dbt's name)
name = "duckdb"
schema = "main"
threads = 2
