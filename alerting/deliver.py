"""Deliver a release's alerts to webhooks, once.

Each destination is the NAME of an environment variable holding a webhook address (never the
address itself, which stays out of files and logs). One POST per destination and release,
carrying every alert routed there: a Slack-compatible message (`{"text": ...}`) or the alerts
as plain JSON. Transient failures (no connection, HTTP 429 or 5xx) are retried with backoff.
Every attempt's outcome is appended to a delivery log (JSON lines); a destination that already
received a release is not sent it again, so re-running delivery never duplicates a message.
A failed delivery is recorded and shown; it never raises, so it never blocks publishing.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SEVERITY_MARK = {
    "critical": ":red_circle:",
    "warning": ":large_orange_circle:",
    "info": ":information_source:",
}


@dataclass
class Delivery:
    key: str  # <release>:<destination>
    release: str
    destination: str  # the environment variable's name
    format: str
    alerts: int
    status: str  # delivered, failed, not_configured, already_delivered
    attempts: int = 0
    http_status: int | None = None
    error: str = ""
    at: str = ""


def slack_message(release: str, alerts: list[dict[str, Any]]) -> dict[str, Any]:
    lines = [f"*CX warehouse: {len(alerts)} alert(s) in release {release}*"]
    for alert in alerts:
        mark = SEVERITY_MARK.get(alert["severity"], "")
        lines.append(f"{mark} *{alert['severity']}* ({alert['rule']}): {alert['message']}")
    return {"text": "\n".join(lines)}


def json_message(release: str, alerts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "source": "cx-warehouse",
        "release": release,
        "alerts": [{k: v for k, v in a.items() if k != "send_to"} for a in alerts],
    }


def _post(url: str, body: bytes, timeout: float) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.status


def read_log(log_path: Path) -> list[dict[str, Any]]:
    if not log_path.exists():
        return []
    return [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]


def _routes(alerts: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    routes: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for alert in alerts:
        for destination in alert.get("send_to", []):
            routes.setdefault((destination["env"], destination["format"]), []).append(alert)
    return routes


def deliver(
    release: str,
    alerts: list[dict[str, Any]],
    log_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    attempts: int = 3,
    backoff_seconds: float = 1.0,
    timeout: float = 10.0,
    post: Callable[[str, bytes, float], int] = _post,
) -> list[Delivery]:
    """Send each destination its alerts of ``release`` unless it already has them."""
    env = os.environ if env is None else env
    done = {r["key"] for r in read_log(log_path) if r["status"] == "delivered"}
    results = []
    for (destination, fmt), routed in sorted(_routes(alerts).items()):
        record = Delivery(
            key=f"{release}:{destination}:{fmt}",
            release=release,
            destination=destination,
            format=fmt,
            alerts=len(routed),
            status="failed",
        )
        url = env.get(destination, "").strip()
        if record.key in done:
            record.status = "already_delivered"
        elif not url:
            record.status = "not_configured"
            record.error = f"environment variable {destination} is not set"
        else:
            message = slack_message if fmt == "slack" else json_message
            body = json.dumps(message(release, routed), default=str).encode()
            for attempt in range(1, attempts + 1):
                record.attempts = attempt
                try:
                    record.http_status = post(url, body, timeout)
                    record.status, record.error = "delivered", ""
                    break
                except urllib.error.HTTPError as exc:
                    record.http_status, record.error = exc.code, f"HTTP {exc.code} {exc.reason}"
                    if exc.code != 429 and exc.code < 500:
                        break  # the receiver refuses this message: retrying will not help
                except (urllib.error.URLError, OSError) as exc:
                    reason = getattr(exc, "reason", exc)
                    record.error = f"cannot reach the webhook ({reason})"
                if attempt < attempts:
                    time.sleep(backoff_seconds * 2 ** (attempt - 1))
        record.at = datetime.now(UTC).isoformat(timespec="seconds")
        results.append(record)
    if results:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a") as log:
            for record in results:
                if record.status != "already_delivered":
                    log.write(json.dumps(asdict(record)) + "\n")
    return results
