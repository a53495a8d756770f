"""Golden tests of the conformed and data-quality marts on a handwritten landing folder.

tests/fixtures/golden/ holds twelve accounts (G01-G12) whose figures were worked out by hand
from METRICS.md and written down below, with the arithmetic, BEFORE the marts were first
built on them. The expectations are literals: nothing is read back from the output to build
them, so every test can fail.

Fixed as-of date 2026-06-30 (--vars), repeat window 7 days, at-risk 3 tickets, grace 30 days:
- end of the as-of date = 2026-07-01 00:00; maturity cut-off = that - 7 * 24 h = 2026-06-24
  00:00 (a ticket created at or after it is not mature);
- revenue window = 2026-06-30 - 364 days = 2025-07-01 .. 2026-06-30 (dates of ordered_at);
- an invoice unpaid on 2026-06-30 is an irritation when due more than 30 calendar days
  earlier, i.e. due on or before 2026-05-30 (2026-05-31 is exactly 30 days: not yet).

The warehouse is built once for the folder (conftest.py) with dbt in-process (dbtRunner), into
a temporary DuckDB file, selecting the conformed and data-quality marts and everything upstream.
"""
