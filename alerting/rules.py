"""Alert rules: reviewable YAML files in `alerts/rules/`, one rule per file.

A rule says which move of which metric, in which cut, is worth telling someone about:

```yaml
name: csat_fall_by_channel          # unique; defaults to the file name
description: CSAT of a channel fell, beyond noise, against the month before.
metric: csat                        # nps, csat, ces, fcr_rate, repeat_contact_rate, one_touch_rate
cut: channel                        # a dimension of the metric mart (overall, channel, tier ...)
values: [chat, phone]               # optional: only these dimension values
comparison: previous_month          # or previous_year
direction: worse                    # worse, better, up, down or any
significant: true                   # the move must be significant (FDR-adjusted); default true
min_change: 5                       # optional: at least this change, in the metric's unit
min_sample: 50                      # optional: at least this many observations on each side
severity: critical                  # critical, warning or info
send_to:                            # optional: webhooks, by the NAME of an environment variable
  - env: CXW_ALERT_WEBHOOK_CX_TEAM
    format: slack                   # slack (a Slack-compatible message) or json (the alerts)
```

Webhook addresses never live in the files: a rule names the environment variable that holds
the address, so the rules can be reviewed and committed while the addresses stay secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lib.settings import PROJECT_DIR

RULES_DIR = PROJECT_DIR / "alerts" / "rules"
METRICS = ("nps", "csat", "ces", "fcr_rate", "repeat_contact_rate", "one_touch_rate")
COMPARISONS = ("previous_month", "previous_year")
DIRECTIONS = ("worse", "better", "up", "down", "any")
SEVERITIES = ("critical", "warning", "info")
FORMATS = ("slack", "json")
FIELDS = {
    "name", "description", "metric", "cut", "values", "comparison", "direction", "significant",
    "min_change", "min_sample", "severity", "send_to",
}  # fmt: skip


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Destination:
    env: str  # the environment variable holding the webhook address
    format: str = "json"


@dataclass(frozen=True)
class Rule:
    name: str
    metric: str
    path: Path
    description: str = ""
    cut: str = "overall"
    values: tuple[str, ...] = ()
    comparison: str = "previous_month"
    direction: str = "worse"
    significant: bool = True
    min_change: float | None = None
    min_sample: int | None = None
    severity: str = "warning"
    send_to: tuple[Destination, ...] = field(default_factory=tuple)


def _choice(path: Path, body: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = str(body.get(key, default)).strip().lower()
    if value not in allowed:
        raise RuleError(f"{path}: {key} is {value!r}; use one of {', '.join(allowed)}")
    return value


def _destinations(path: Path, raw) -> tuple[Destination, ...]:
    if raw in (None, []):
        return ()
    if not isinstance(raw, list):
        raise RuleError(f"{path}: send_to must be a list of {{env: VARIABLE, format: slack|json}}")
    out = []
    for item in raw:
        if isinstance(item, str):
            item = {"env": item}
        env = str(item.get("env", "")).strip() if isinstance(item, dict) else ""
        if "://" in env or not env.replace("_", "").isalnum():
            raise RuleError(
                f"{path}: send_to names {env!r}; give the NAME of an environment variable that "
                "holds the webhook address (addresses never go into rule files)"
            )
        out.append(Destination(env=env, format=_choice(path, item, "format", FORMATS, "json")))
    return tuple(out)


def parse_rule(path: Path) -> Rule:
    try:
        body = yaml.safe_load(Path(path).read_text()) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(body, dict):
        raise RuleError(f"{path}: a rule file holds one mapping (name, metric, cut ...)")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise RuleError(f"{path}: unknown field(s) {', '.join(unknown)}")
    if "metric" not in body:
        raise RuleError(f"{path}: metric is missing; use one of {', '.join(METRICS)}")
    values = body.get("values") or ()
    if isinstance(values, str):
        values = (values,)
    for number in ("min_change", "min_sample"):
        if body.get(number) is not None and not isinstance(body[number], int | float):
            raise RuleError(f"{path}: {number} must be a number, not {body[number]!r}")
    return Rule(
        name=str(body.get("name") or Path(path).stem),
        metric=_choice(path, body, "metric", METRICS, ""),
        path=Path(path),
        description=str(body.get("description", "")).strip(),
        cut=str(body.get("cut", "overall")).strip().lower(),
        values=tuple(str(v).strip().lower() for v in values),
        comparison=_choice(path, body, "comparison", COMPARISONS, "previous_month"),
        direction=_choice(path, body, "direction", DIRECTIONS, "worse"),
        significant=bool(body.get("significant", True)),
        min_change=body.get("min_change"),
        min_sample=body.get("min_sample"),
        severity=_choice(path, body, "severity", SEVERITIES, "warning"),
        send_to=_destinations(path, body.get("send_to")),
    )


def load_rules(rules_dir: Path = RULES_DIR) -> list[Rule]:
    """Every rule file of the folder, sorted by name; a bad file raises RuleError."""
    rules = [parse_rule(p) for p in sorted(Path(rules_dir).glob("*.y*ml"))]
    names = [r.name for r in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RuleError(f"{rules_dir}: rule name(s) used twice: {', '.join(duplicates)}")
    return rules
