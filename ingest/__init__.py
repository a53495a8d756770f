"""Ingesting landing files into the raw schemas of DuckDB, PostgreSQL or Spark.

- ``contract.py``: the raw contract as data (every table, column and key; the one list)
- ``landing.py``: the entry point, ``load_landing_into(target, landing, ...)`` (``cxw load``)
- ``preflight.py``: the fast checks before a run or load starts (folder, delimiter, encoding,
  decimal commas); ``csv_format.py``: the CSV delimiter and encoding, and their messages
- ``files.py``: finding and checking every file before anything is written (header, columns,
  a strict walk over every CSV row); ``errors.py``: ``LandingError``
- ``readers.py``: a checked file as raw-table record batches (text plus lineage);
  ``timestamps.py``: typed timestamps as text, and the one "parseable timestamp" rule
- ``duckdb_loader.py``, ``postgres_loader.py``, ``spark_loader.py``: one loader per engine
- ``duckdb_history.py``: the DuckDB loader's batch tables (every delivered file written
  once), the raw relations and ``raw_history`` views over them, the migration of old histories
"""
