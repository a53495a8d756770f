"""The parts of a chart around its data: reference lines and areas, axes (formats, ranges,
titles, long category labels) and the Plotly layout, in Evidence's default look."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from report_site.formatting import (
    axis_format,
    column_title,
    format_value,
    number,
    number_or_none,
    plot_text,
    plot_value,
    truthy,
)
from report_site.pages import Component, Ref
from report_site.sandbox import QueryResult

if TYPE_CHECKING:
    from report_site.components import PageRenderer

MAX_LABEL = 40  # characters of a category label on a chart axis

# Evidence's default palette (evidence.config.yaml), so both renderings look alike.
PALETTE = (
    "#236aa4", "#45a1bf", "#a5cdee", "#8dacbf", "#85c7c6",
    "#d2c6ac", "#f4b548", "#8f3d56", "#71b9f4", "#46a485",
)  # fmt: skip
SEMANTIC_COLORS = {
    "positive": "#16a34a",
    "negative": "#dc2626",
    "warning": "#d97706",
    "info": "#0284c7",
    "base-content-muted": "#6b7280",
}


def add_annotations(
    renderer: PageRenderer, c: Component, fig: go.Figure, result: QueryResult
) -> None:
    """The chart's <ReferenceLine> and <ReferenceArea> children."""
    for child in c.children:
        if not isinstance(child, Component):
            continue
        if child.name == "ReferenceLine":
            color = SEMANTIC_COLORS.get(
                str(child.prop("color", "base-content-muted")), child.prop("color")
            )
            dash = {"solid": "solid", "dotted": "dot"}.get(
                str(child.prop("lineType", "dashed")), "dash"
            )
            lines: list[tuple[str, Any, str | None]] = []
            if isinstance(child.prop("data"), Ref):
                ref_data = renderer.data(child)
                label_col = child.prop("label")
                for axis in ("x", "y"):
                    col = child.prop(axis)
                    if col is None:
                        continue
                    col = renderer.column(child, ref_data, col, axis)
                    for row in ref_data.rows:
                        label = (
                            format_value(row[ref_data.index(label_col)])
                            if label_col in ref_data.columns
                            else None
                        )
                        value = row[ref_data.index(col)]
                        if not truthy(child.prop("hideValue", False)):
                            label = (
                                f"{label} {format_value(value)}" if label else format_value(value)
                            )
                        lines.append((axis, value, label))
                    break  # x wins over y, as in Evidence
            else:
                for axis in ("x", "y"):
                    if child.prop(axis) is None:
                        continue
                    value = child.prop(axis)
                    value = number(value) if axis == "y" else value
                    label = child.prop("label")
                    if not truthy(child.prop("hideValue", False)):
                        label = f"{label} ({format_value(value)})" if label else format_value(value)
                    lines.append((axis, value, label))
                    break
            for axis, value, label in lines:
                _reference_line(fig, axis, plot_value(value), label, color, dash)
        elif child.name == "ReferenceArea":
            color = SEMANTIC_COLORS.get(str(child.prop("color", "info")), child.prop("color"))
            if child.prop("xMin") is not None or child.prop("xMax") is not None:
                fig.add_shape(
                    type="rect", xref="x", yref="paper", y0=0, y1=1,
                    x0=child.prop("xMin"), x1=child.prop("xMax"),
                    fillcolor=color, opacity=0.12, line_width=0,
                )  # fmt: skip
            else:
                fig.add_shape(
                    type="rect", xref="paper", yref="y", x0=0, x1=1,
                    y0=number(child.prop("yMin")), y1=number(child.prop("yMax")),
                    fillcolor=color, opacity=0.12, line_width=0,
                )  # fmt: skip
            if child.prop("label"):
                fig.add_annotation(
                    xref="paper", yref="paper", x=0, y=1, showarrow=False,
                    text=plot_text(str(child.prop("label"))), xanchor="left",
                )  # fmt: skip


def _reference_line(
    fig: go.Figure, axis: str, value: Any, label: str | None, color: str, dash: str
) -> None:
    line = {"color": color, "width": 1.3, "dash": dash}
    if axis == "x":
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1, line=line
        )
        if label:
            fig.add_annotation(
                x=value, xref="x", y=1, yref="paper", text=plot_text(label), showarrow=False,
                xanchor="left", yanchor="top", font={"color": color, "size": 11},
            )  # fmt: skip
    else:
        fig.add_shape(
            type="line", xref="paper", yref="y", x0=0, x1=1, y0=value, y1=value, line=line
        )
        if label:
            fig.add_annotation(
                x=1, xref="paper", y=value, yref="y", text=plot_text(label), showarrow=False,
                xanchor="right", yanchor="bottom", font={"color": color, "size": 11},
            )  # fmt: skip


def apply_layout(
    c: Component,
    fig: go.Figure,
    result: QueryResult,
    x: str,
    layers: list[dict],
    kind: str,
    swap: bool,
) -> None:
    has_y2 = any(layer["axis"] == "y2" for layer in layers)
    height = int(c.prop("chartAreaHeight", 220)) + 110
    value_axis: dict[str, Any] = {
        "gridcolor": "#e5e7eb",
        "zeroline": True,
        "zerolinecolor": "#d1d5db",
        "automargin": True,
        **axis_format(c.prop("yFmt")),
    }
    category_axis: dict[str, Any] = {
        "automargin": True,
        "showgrid": False,
        **axis_format(c.prop("xFmt")),
    }
    if c.prop("yMin") is not None or c.prop("yMax") is not None:
        bounds = [number_or_none(c.prop("yMin")), number_or_none(c.prop("yMax"))]
        value_axis["range"] = _fill_range(bounds, _axis_values(fig, "y", swap))
        value_axis["autorange"] = False
    title_y = c.prop("yAxisTitle")
    if title_y:
        first_y = layers[0]["ys"][0] if layers and layers[0]["ys"] else ""
        value_axis["title"] = {
            "text": plot_text(
                column_title(first_y) if title_y is True or title_y == "true" else str(title_y)
            )
        }
    title_x = c.prop("xAxisTitle")
    if title_x:
        category_axis["title"] = {
            "text": plot_text(
                column_title(x) if title_x is True or title_x == "true" else str(title_x)
            )
        }
    if kind == "scatter" and c.name == "ScatterPlot":
        for axis, lo, hi in ((category_axis, "xMin", "xMax"), (value_axis, "yMin", "yMax")):
            if c.prop(lo) is not None and c.prop(hi) is not None:
                axis["range"] = [number(c.prop(lo)), number(c.prop(hi))]
                axis["autorange"] = False
        category_axis["showgrid"] = True
        category_axis["gridcolor"] = "#e5e7eb"
    if (
        kind == "bar"
        and not result.is_numeric(x)
        and not result.types[result.index(x)].startswith(("DATE", "TIMESTAMP"))
    ):
        category_axis["type"] = "category"
        # long labels are cut on the axis (the full text stays in the hover)
        categories = list(
            dict.fromkeys(v for trace in fig.data for v in (trace.y if swap else trace.x) or ())
        )
        if any(isinstance(v, str) and len(v) > MAX_LABEL for v in categories):
            category_axis["tickmode"] = "array"
            category_axis["tickvals"] = categories
            category_axis["ticktext"] = [_shorten(v) for v in categories]
    layout: dict[str, Any] = {
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {
            "family": "Inter, system-ui, -apple-system, Segoe UI, sans-serif",
            "size": 12,
            "color": "#374151",
        },
        "showlegend": truthy(c.prop("legend", len(fig.data) > 1)),
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "xanchor": "left",
        },
        "hovermode": "closest" if kind == "scatter" else "x unified",
        "template": "none",
    }
    bar_type = str(c.prop("type", "stacked"))
    layout["barmode"] = "group" if bar_type == "grouped" else "stack"
    if bar_type == "stacked100":
        layout["barnorm"] = "percent"
        value_axis["ticksuffix"] = "%"
    if swap:
        category_axis["autorange"] = "reversed"
        layout["xaxis"], layout["yaxis"] = value_axis, category_axis
    else:
        layout["xaxis"], layout["yaxis"] = category_axis, value_axis
    if has_y2:
        y2: dict[str, Any] = {
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "zeroline": False,
            "automargin": True,
            "tickmode": "auto",  # its own ticks, not the primary axis's grid
            **axis_format(c.prop("y2Fmt")),
        }
        y2_range = [number_or_none(c.prop("y2Min")), number_or_none(c.prop("y2Max"))]
        # set from the data: Plotly leaves no headroom above a secondary axis's line
        y2["range"] = _fill_range(y2_range, _axis_values(fig, "y2", False))
        y2["autorange"] = False
        if c.prop("y2AxisTitle"):
            y2["title"] = {"text": plot_text(str(c.prop("y2AxisTitle")))}
        layout["yaxis2"] = y2
    fig.update_layout(**layout)


def _axis_values(fig: go.Figure, axis: str, swap: bool) -> list[float]:
    """The values plotted against the value axis ``axis`` ('y' or 'y2')."""
    values = []
    for trace in fig.data:
        if (getattr(trace, "yaxis", None) or "y") != axis:
            continue
        data = trace.x if swap and axis == "y" else trace.y
        values.extend(float(v) for v in data or () if isinstance(v, int | float))
    return values


def _fill_range(bounds: list[float | None], values: list[float]) -> list[float]:
    """Complete a value axis range from the data where a bound is not fixed, with headroom."""
    low, high = bounds
    if low is not None and high is not None:
        return [low, high]
    data_low = min([*values, 0.0])
    data_high = max([*values, 0.0])
    pad = 0.05 * (
        (high if high is not None else data_high) - (low if low is not None else data_low)
    )
    return [
        low if low is not None else data_low - (pad if data_low < 0 else 0),
        high if high is not None else data_high + pad,
    ]


def _shorten(label: Any) -> Any:
    """Cut an (already escaped) axis label, without cutting an HTML entity in two."""
    if not isinstance(label, str) or len(label) <= MAX_LABEL:
        return label
    cut = label[: MAX_LABEL - 1]
    amp = cut.rfind("&")
    if amp >= 0 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"
