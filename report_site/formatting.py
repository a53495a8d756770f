"""Formatting values the way Evidence shows them: its built-in format names (`num0`, `pct1`,
`usd0k` ...), simple Excel-style formats (`#,##0.0"%"`), date formats, column titles; and the
same formats as Plotly axis settings, plus the few conversions charts need (values and text
for Plotly, numbers and booleans from component props)."""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from report_site.errors import ReportError

_NAMED_FMT = re.compile(r"^(num|pct|usd|eur|gbp)(\d)?(k|m|b)?$")
_EXCEL_FMT = re.compile(
    r'^(?P<pre>"[^"]*")?(?P<int>[#,]*0)(?:\.(?P<dec>0+))?(?P<pct>%)?(?P<post>"[^"]*")?$'
)
_CURRENCY = {"usd": "$", "eur": "€", "gbp": "£"}
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}
_DATE_FMT = {
    "yyyy-mm-dd": "%Y-%m-%d",
    "mmm yyyy": "%b %Y",
    "mmm yy": "%b %y",
    "mmm": "%b",
    "yyyy": "%Y",
    "longdate": "%B %-d, %Y",
    "mmm d, yyyy": "%b %-d, %Y",
}


def format_value(value: Any, fmt: str | None = None) -> str:
    """Format one value for display the way Evidence would (close enough for a report)."""
    if value is None:
        return "–"
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "–"
    if isinstance(value, bool):  # words, not code: a reader sees "yes" / "no"
        return "yes" if value else "no"
    if fmt:
        if fmt == "id":
            return str(value)
        if fmt in _DATE_FMT:
            if isinstance(value, date):
                return value.strftime(_DATE_FMT[fmt])
            return str(value)
        if isinstance(value, int | float | Decimal):
            return _format_number(float(value), fmt)
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _format_number(v: float, fmt: str) -> str:
    named = _NAMED_FMT.match(fmt)
    if named:
        kind, digits, scale = named.groups()
        if kind == "pct":
            return f"{v * 100:,.{int(digits or 0)}f}%"
        suffix = ""
        if scale:
            v /= _SCALE[scale]
            suffix = scale
        decimals = int(digits) if digits is not None else (0 if kind == "num" or scale else 2)
        text = f"{abs(v):,.{decimals}f}{suffix}"
        sign = "-" if v < 0 and float(text.rstrip("kmb").replace(",", "") or 0) != 0 else ""
        return f"{sign}{_CURRENCY.get(kind, '')}{text}"
    excel = _EXCEL_FMT.match(fmt)
    if excel:
        decimals = len(excel.group("dec") or "")
        if excel.group("pct"):
            v *= 100
        grouping = "," if "," in excel.group("int") else ""
        text = f"{v:{grouping}.{decimals}f}"
        pre = (excel.group("pre") or '""')[1:-1]
        post = (excel.group("post") or '""')[1:-1] + ("%" if excel.group("pct") else "")
        return f"{pre}{text}{post}"
    raise ReportError(f"format {fmt!r} is not supported by the renderer")


def axis_format(fmt: str | None) -> dict[str, str]:
    """Plotly axis settings for an Evidence format name."""
    if not fmt:
        return {}
    if fmt in _DATE_FMT:
        return {
            "tickformat": _DATE_FMT[fmt].replace("%-d", "%e"),
            "hoverformat": _DATE_FMT[fmt].replace("%-d", "%e"),
        }
    named = _NAMED_FMT.match(fmt)
    if named:
        kind, digits, scale = named.groups()
        if kind == "pct":
            f = f",.{int(digits or 0)}%"
            return {"tickformat": f, "hoverformat": f}
        f = "~s" if scale else f",.{int(digits) if digits is not None else 0}f"
        return {"tickformat": f, "hoverformat": f, "tickprefix": _CURRENCY.get(kind, "")}
    excel = _EXCEL_FMT.match(fmt)
    if excel:
        f = f",.{len(excel.group('dec') or '')}f"
        out = {"tickformat": f, "hoverformat": f}
        if excel.group("pct"):
            out = {"tickformat": f[:-1] + "%", "hoverformat": f[:-1] + "%"}
        out["tickprefix"] = (excel.group("pre") or '""')[1:-1]
        out["ticksuffix"] = (excel.group("post") or '""')[1:-1]
        return out
    raise ReportError(f"format {fmt!r} is not supported by the renderer")


# Abbreviations a column name holds in lower case, shown as readers know them.
ABBREVIATIONS = {"fcr": "FCR", "nps": "NPS", "csat": "CSAT", "ces": "CES", "cx": "CX", "id": "ID"}


def column_title(column: str) -> str:
    """A column name in words, sentence case: `fcr_rate` -> `FCR rate`, `revenue_12m` ->
    `Revenue 12m`, `customers_affected` -> `Customers affected` (Evidence's own title case
    would say `Fcr Rate`; pages that need a different text set a title)."""
    words = [ABBREVIATIONS.get(w.lower(), w) for w in column.replace("_", " ").split()]
    if words and not words[0].isupper():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def truthy(value: Any) -> bool:
    """A component prop as a boolean (`"false"`, `"0"`, `"no"` and `""` are false)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def number(value: Any) -> float:
    """A component prop as a number (None is 0)."""
    if value is None:
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ReportError(f"{value!r} is not a number") from None


def number_or_none(value: Any) -> float | None:
    return None if value is None else number(value)


def plot_text(text: str) -> str:
    """Plotly renders a few HTML tags in labels; data must show as text, never as markup."""
    return html.escape(text, quote=False)


def plot_value(value: Any) -> Any:
    """A query value as Plotly takes it (text escaped, NaN as a gap, dates in ISO form)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return plot_text(value)
    return value
