"""demo_data/delivery.py with `delta`: the benchmark's next delivery as a delta, files holding
exactly the rows the full files gained, the other tables left out."""

from __future__ import annotations

import csv
from pathlib import Path

from demo_data.delivery import NEW_ROW_TABLES, deliver_new_rows


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _landing(root: Path) -> Path:
    """A tiny landing folder with the six tables the delivery adds rows to."""
    files = {
        "ticketing/tickets.csv": [
            ["ticket_id", "created_at", "solved_at"],
            *[[f"T{i}", f"2026-01-{i + 1:02d}T10:00:00Z", ""] for i in range(10)],
        ],
        "ticketing/ticket_events.csv": [
            ["event_id", "ticket_id", "created_at"],
            *[[f"E{i}", f"T{i}", f"2026-01-{i + 1:02d}T11:00:00Z"] for i in range(10)],
        ],
        "crm/orders.csv": [
            ["order_id", "ordered_at"],
            *[[f"O{i}", f"2026-01-{i + 1:02d}T09:00:00Z"] for i in range(10)],
        ],
        "crm/invoices.csv": [
            ["invoice_id", "order_id", "issued_at", "due_at", "paid_at"],
            *[[f"I{i}", f"O{i}", "2026-01-20T00:00:00Z", "", ""] for i in range(10)],
        ],
        "survey/responses.csv": [
            ["response_id", "submitted_at"],
            *[[f"R{i}", f"2026-01-{i + 1:02d}T12:00:00Z"] for i in range(10)],
        ],
        "survey/answers.csv": [
            ["response_id", "question_id", "numeric_value"],
            *[[f"R{i}", "Q1", "9"] for i in range(10)],
        ],
        "crm/accounts.csv": [["account_id"], ["A1"]],
    }
    for name, rows in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return root


def test_the_delta_holds_exactly_the_rows_the_full_files_gained(tmp_path: Path):
    landing = _landing(tmp_path / "landing")
    before = {n: _rows(landing / f"{n.replace('.', '/')}.csv") for n in NEW_ROW_TABLES}
    added = deliver_new_rows(landing, share=0.2, delta=tmp_path / "delta")
    for name in NEW_ROW_TABLES:
        relative = f"{name.replace('.', '/')}.csv"
        after = _rows(landing / relative)
        delta = _rows(tmp_path / "delta" / relative)
        assert after[: len(before[name])] == before[name]  # the old rows, unchanged
        assert delta[0] == before[name][0]  # the header
        assert delta[1:] == after[len(before[name]) :]
        assert len(delta) - 1 == added[relative.rsplit("/", 1)[1][:-4]] > 0
    # the latest 20 % of 10 tickets, orders, responses: T8, T9 cloned with their events
    assert [r[0] for r in _rows(tmp_path / "delta/ticketing/tickets.csv")[1:]] == ["T8-2", "T9-2"]
    assert not (tmp_path / "delta/crm/accounts.csv").exists()  # a table with no new rows
