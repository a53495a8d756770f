"""The deterministic demo world: a landing folder in the raw contract's shape, and simulated
later deliveries (deltas) for incremental-build tests and benchmarks.

- `generator`: `generate(...)` and its `GenerationResult` (the entry point)
- `world`: window, random streams, accounts and people; `crm`, `ticketing`, `survey`: one module
  per source system; `bad_rows`: the planted contract violations; `writer`: contract schemas and
  CSV / Parquet files; `planted`, `vocab`: the planted truths and vocabularies; `arrays`: helpers
- `delivery`: simulated next deliveries of a landing folder
"""
