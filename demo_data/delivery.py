"""Simulated next deliveries of the demo landing folder (for the benchmark and the tests).

The demo generator does not extend history when given a later end date (every timestamp
moves with the window), so a later delivery is made from the landing files themselves, as the
source systems would send it: full files, the old rows included, with about `share` new rows
appended. New rows are the latest tickets (with their events), orders (with their invoices)
and survey responses (with their answers) again, under new ids, `days` later.

Only CSV landing folders are handled (the demo's default format).
"""

from __future__ import annotations

import csv
import heapq
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [row for row in reader if row]


def write_csv_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def shift_iso(value: str, days: float) -> str:
    """ISO 8601 text moved by `days`, its offset kept; text that does not parse stays."""
    parsed = parse_iso(value) if value else None
    if parsed is None:
        return value
    return (parsed + timedelta(days=days)).isoformat()


def as_naive_utc(value: str) -> datetime | None:
    parsed = parse_iso(value) if value else None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed
    return parsed.astimezone(UTC).replace(tzinfo=None)


def iso_z(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Table:
    """One landing CSV held in memory: edit `rows`, then `save()`."""

    path: Path
    header: list[str]
    rows: list[list[str]]

    @classmethod
    def open(cls, landing: Path, name: str) -> Table:
        """`name` is `system.table`, e.g. `ticketing.tickets`."""
        path = landing / f"{name.replace('.', '/')}.csv"
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such landing file (only CSV folders are handled)")
        header, rows = read_csv_rows(path)
        return cls(path, header, rows)

    def col(self, name: str) -> int:
        return self.header.index(name)

    def new_row(self, **values: str) -> list[str]:
        unknown = set(values) - set(self.header)
        if unknown:
            raise KeyError(f"{self.path}: no column(s) {sorted(unknown)}")
        return [values.get(name, "") for name in self.header]

    def save(self) -> None:
        write_csv_rows(self.path, self.header, self.rows)


Child = tuple[Table, str, str | None, list[str]]


def latest_indices(table: Table, time_column: str, k: int) -> list[int]:
    """Indices of the `k` latest rows of `table` by `time_column` (UTC), file order breaking
    ties; rows whose time does not parse rank as the oldest."""
    col = table.col(time_column)
    oldest = datetime.min

    def rank(i: int) -> tuple[datetime, int]:
        return as_naive_utc(table.rows[i][col]) or oldest, i

    return heapq.nlargest(k, range(len(table.rows)), key=rank)


def clone_latest(
    parent: Table, key: str, times: list[str], share: float, days: float, children: list[Child]
) -> Counter:
    """Append the latest `share` of `parent` again under new ids, `days` later, with their
    children (table, foreign key, own key or None, time columns). Latest is by the first time
    column (as UTC; rows whose time does not parse count as oldest), file order breaking ties:
    a demo written in chunks of accounts is time-ordered within each chunk only, and the new
    rows must come from every chunk's accounts, not from the last chunk's. The clones are
    appended in file order. Returns the rows added per table (file stem)."""
    added_rows: Counter = Counter()
    k = max(1, round(share * len(parent.rows)))
    key_col = parent.col(key)
    latest = [parent.rows[i] for i in sorted(latest_indices(parent, times[0], k))]
    latest = [r for r in latest if r[key_col].strip()]
    new_ids = {r[key_col]: f"{r[key_col]}-2" for r in latest}
    for row in latest:
        clone = list(row)
        clone[key_col] = new_ids[row[key_col]]
        for t in times:
            clone[parent.col(t)] = shift_iso(row[parent.col(t)], days)
        parent.rows.append(clone)
    added_rows[parent.path.stem] += len(latest)
    for child, foreign_key, own_key, child_times in children:
        fk = child.col(foreign_key)
        added = []
        for row in child.rows:
            if row[fk] in new_ids:
                clone = list(row)
                clone[fk] = new_ids[row[fk]]
                if own_key:
                    clone[child.col(own_key)] = f"{row[child.col(own_key)]}-2"
                for t in child_times:
                    clone[child.col(t)] = shift_iso(row[child.col(t)], days)
                added.append(clone)
        child.rows.extend(added)
        added_rows[child.path.stem] += len(added)
    return added_rows


def open_tables(landing: Path, names: list[str]) -> dict[str, Table]:
    return {name: Table.open(landing, name) for name in names}


def append_new_rows(tables: dict[str, Table], share: float = 0.01, days: float = 2) -> Counter:
    """About `share` new tickets, orders and survey responses (with their children)."""
    t = tables
    added = clone_latest(
        t["ticketing.tickets"], "ticket_id", ["created_at", "solved_at"], share, days,
        [(t["ticketing.ticket_events"], "ticket_id", "event_id", ["created_at"])],
    )  # fmt: skip
    added += clone_latest(
        t["crm.orders"], "order_id", ["ordered_at"], share, days,
        [(t["crm.invoices"], "order_id", "invoice_id", ["issued_at", "due_at", "paid_at"])],
    )  # fmt: skip
    added += clone_latest(
        t["survey.responses"], "response_id", ["submitted_at"], share, days,
        [(t["survey.answers"], "response_id", None, [])],
    )  # fmt: skip
    return added


NEW_ROW_TABLES = [
    "ticketing.tickets",
    "ticketing.ticket_events",
    "crm.orders",
    "crm.invoices",
    "survey.responses",
    "survey.answers",
]


def deliver_new_rows(
    landing: Path, share: float = 0.01, days: float = 2, delta: Path | None = None
) -> Counter:
    """Rewrite the landing CSVs as the next full delivery with ~`share` new rows; with
    `delta`, also write there the same delivery as a delta: files holding only the new rows
    (`cxw load --delta`), the other tables left out."""
    tables = open_tables(landing, NEW_ROW_TABLES)
    before = {name: len(table.rows) for name, table in tables.items()}
    added = append_new_rows(tables, share, days)
    for name, table in tables.items():
        table.save()
        if delta is not None:
            path = delta / table.path.relative_to(landing)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_csv_rows(path, table.header, table.rows[before[name] :])
    return added
