"""The Dagster instance folder (DAGSTER_HOME) the main job and the UI share."""

from __future__ import annotations

from pathlib import Path

import yaml

# Without a `telemetry` entry Dagster prints its telemetry and "Welcome to Dagster!" banner
# (on every run while it cannot keep its instance id); the project sends no usage statistics.
TELEMETRY_OFF = "telemetry:\n  enabled: false\n"


def ensure_dagster_home(home: Path) -> Path:
    """Create DAGSTER_HOME with a dagster.yaml (local run storage, telemetry off); a file the
    user wrote is kept, and only gets the telemetry entry when it has none."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError:
        return config  # the user's file, as it is: Dagster will report what is wrong with it
    if not isinstance(data, dict) or "telemetry" not in data:
        separator = "" if not text or text.endswith("\n") else "\n"
        config.write_text(text + separator + TELEMETRY_OFF, encoding="utf-8")
    return config
