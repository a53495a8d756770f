"""The headline snapshot: a small JSON and CSV file of the headline figures, for reports and
for checking that a rebuild of the same data gives the same figures.

The figures are computed once, in the metric marts (`metrics.headline`, `metrics.hotspots`);
this module only reads and writes them. The output is deterministic: keys sorted, floats
written with a fixed number of decimals (money with its own two), dates as ISO text, no wall
clock anywhere, so the same warehouse gives byte-identical files. The publish step calls
:func:`write_snapshot`.

Any engine the project builds on can be read: a DB-API connection (DuckDB, psycopg2 for
PostgreSQL) or a SparkSession. The same figures give the same files whatever the engine
(``tests/engines`` compares them).
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from lib.atomic import replaced_atomically

HEADLINE_JSON = "headline.json"
HEADLINE_CSV = "headline.csv"
FLOAT_DECIMALS = 4  # reports round to one decimal; the snapshot keeps enough to compare
SNAPSHOT_VERSION = 1

# The top hotspots are the vital few (docs/metrics.md), biggest revenue at risk first.
_TOP_HOTSPOTS_SQL = """
    select
        touchpoint_code,
        touchpoint_name,
        owner,
        hotspot_status,
        hotspot_rank,
        irritations,
        customers_affected,
        share_customers_affected,
        revenue_at_risk,
        cumulative_share
    from metrics.hotspots
    where is_vital_few
    order by revenue_at_risk desc, hotspot_rank asc
"""


class _Number:
    """A number already formatted as its JSON/CSV token (so json never re-renders it)."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token


def _normalise(value):
    """Turn a database value into a plain, deterministically formatted value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return _Number(format(value, "f"))
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        rounded = round(value, FLOAT_DECIMALS)
        if rounded == 0:
            rounded = 0.0  # no "-0.0000"
        return _Number(f"{rounded:.{FLOAT_DECIMALS}f}")
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # Spark via Arrow: zone-aware UTC; the others naive UTC
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _plain(value):
    """The Python value the caller gets back (numbers as int/float, not tokens)."""
    if isinstance(value, _Number):
        return float(value.token)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _json_token(value, indent: int = 0) -> str:
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, _Number):
        return value.token
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{pad}{json.dumps(key)}: {_json_token(value[key], indent + 1)}"
            for key in sorted(value)
        ]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{pad}{_json_token(item, indent + 1)}" for item in value]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    return json.dumps(value, ensure_ascii=False)


def _csv_token(value) -> str:
    if value is None:
        return ""
    if isinstance(value, _Number):
        return value.token
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _rows(con: Any, sql: str) -> list[dict]:
    """The rows of ``sql`` as dicts, from a DB-API connection or a SparkSession."""
    if hasattr(con, "cursor"):  # DuckDB, psycopg2
        cursor = con.cursor()
        try:
            cursor.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()
    # a SparkSession, through Arrow: timestamps arrive as UTC whatever this process's zone
    return con.sql(sql).toArrow().to_pylist()


def read_snapshot(con: Any) -> dict:
    """The snapshot payload (with number tokens) from `metrics.headline` and `metrics.hotspots`.

    ``con``: a DB-API connection (DuckDB, psycopg2) or a SparkSession."""
    headline = _rows(con, "select * from metrics.headline")
    if len(headline) != 1:
        raise ValueError(f"metrics.headline must hold exactly one row, found {len(headline)}")
    payload = {key: _normalise(value) for key, value in headline[0].items()}
    payload["snapshot_version"] = SNAPSHOT_VERSION
    payload["top_hotspots"] = [
        {key: _normalise(value) for key, value in row.items()}
        for row in _rows(con, _TOP_HOTSPOTS_SQL)
    ]
    return payload


def _write_atomically(path: Path, text: str) -> None:
    with replaced_atomically(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def write_snapshot(con: Any, out_dir: str | Path) -> dict:
    """Write ``headline.json`` and ``headline.csv`` into ``out_dir``; return the payload.

    JSON: one object, keys sorted; ``top_hotspots`` is the list of vital-few hotspots, biggest
    revenue at risk first. CSV: two columns, ``key,value``, the headline figures in key order,
    then ``top_hotspots.<position>.<field>`` rows. Floats have four decimals, money two, NULL
    is ``null`` (JSON) or an empty field (CSV). Nothing depends on the wall clock.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = read_snapshot(con)

    _write_atomically(out_dir / HEADLINE_JSON, _json_token(payload) + "\n")

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "value"])
    for key in sorted(k for k in payload if k != "top_hotspots"):
        writer.writerow([key, _csv_token(payload[key])])
    for position, hotspot in enumerate(payload["top_hotspots"], start=1):
        for field in sorted(hotspot):
            writer.writerow([f"top_hotspots.{position}.{field}", _csv_token(hotspot[field])])
    _write_atomically(out_dir / HEADLINE_CSV, buffer.getvalue())

    return _plain(payload)
