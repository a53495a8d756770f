"""A tiny serving database holding metric_changes rows made by hand, and a webhook receiver
on 127.0.0.1 that records what it is sent (and can be told to fail)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

COLUMNS = (
    "change_id", "period", "comparison", "base_period", "metric", "dimension",
    "dimension_value", "metric_value", "base_value", "change", "sample_size",
    "base_sample_size", "is_tested", "p_value", "q_value", "is_significant", "assessment",
    "higher_is_better", "is_significant_improvement", "is_significant_deterioration",
)  # fmt: skip


def change_row(metric, dimension, value, now, before, n, n_before, q, *, period="2026-10",
               comparison="previous_month", higher_is_better=True, tested=True):  # fmt: skip
    change = now - before
    significant = tested and q < 0.05
    worse = significant and (change > 0) != higher_is_better
    return (
        f"{period}:{comparison}:{metric}:{dimension}:{value}", period, comparison,
        "2026-09" if comparison == "previous_month" else "2025-10", metric, dimension, value,
        now, before, change, n, n_before, tested, q if tested else None, q if tested else None,
        significant,
        "not_tested" if not tested else (
            ("significant_rise" if change > 0 else "significant_fall") if significant
            else "within_noise"
        ),
        higher_is_better, significant and not worse, worse,
    )  # fmt: skip


@pytest.fixture
def serving(tmp_path: Path):
    """metrics.metric_changes with a real drop (chat CSAT -22 points, q = 0.0001), a noise
    wobble (email CSAT -3 points, q = 0.41), a small-sample drop (social, 12 answers, not
    tested), an older month's drop (not the latest month), and a rise of repeat contacts."""
    database = tmp_path / "serving.duckdb"
    rows = [
        change_row("csat", "channel", "chat", 61.0, 83.0, 240, 260, 0.0001),
        change_row("csat", "channel", "email", 80.0, 83.0, 300, 310, 0.41),
        change_row("csat", "channel", "social", 50.0, 80.0, 12, 15, 0.0, tested=False),
        change_row("csat", "channel", "phone", 60.0, 85.0, 200, 200, 0.0001, period="2026-09"),
        change_row(
            "repeat_contact_rate",
            "category",
            "billing",
            19.0,
            11.0,
            900,
            880,
            0.0002,
            higher_is_better=False,
        ),  # fmt: skip
        change_row("nps", "overall", "all", 31.0, 30.0, 800, 790, 0.8),
    ]
    con = duckdb.connect(str(database))
    con.execute("create schema metrics")
    con.execute(
        "create table metrics.metric_changes (change_id varchar, period varchar, comparison "
        "varchar, base_period varchar, metric varchar, dimension varchar, dimension_value "
        "varchar, metric_value double, base_value double, change double, sample_size bigint, "
        "base_sample_size bigint, is_tested boolean, p_value double, q_value double, "
        "is_significant boolean, assessment varchar, higher_is_better boolean, "
        "is_significant_improvement boolean, is_significant_deterioration boolean)"
    )
    con.executemany(
        f"insert into metrics.metric_changes values ({', '.join('?' * len(COLUMNS))})", rows
    )
    con.execute("create schema marts")
    con.execute("create table marts.channels (channel varchar, channel_name varchar)")
    con.execute("insert into marts.channels values ('chat', 'Chat'), ('email', 'Email')")
    con.close()
    return database


class Receiver:
    """Records every POST; answers with the next status of ``statuses`` (then 200)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                receiver.requests.append({"path": self.path, "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
