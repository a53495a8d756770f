"""Ingesting landing files: the raw contract (tables, columns, keys), file checks, readers,
and the loaders that put a landing folder into the raw schemas of DuckDB, PostgreSQL or Spark."""
