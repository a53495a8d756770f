"""Charts: `<LineChart>`, `<BarChart>`, `<AreaChart>`, `<ScatterPlot>` and `<Chart>` with
`<Line>` / `<Bar>` / `<Area>` / `<Scatter>` layers, drawn as Plotly figures (series, colours,
secondary axis); their axes, reference lines and layout are in `report_site.chart_layout`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
from markupsafe import Markup

from report_site.chart_layout import PALETTE, SEMANTIC_COLORS, add_annotations, apply_layout
from report_site.formatting import (
    column_title,
    format_value,
    number,
    plot_text,
    plot_value,
    truthy,
)
from report_site.pages import Component
from report_site.sandbox import QueryResult

if TYPE_CHECKING:
    from report_site.components import PageRenderer


class ChartRenderer:
    """Draws the chart components of one page; ``renderer`` resolves data and columns, and
    counts the charts (a page with charts carries Plotly's JavaScript)."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer

    def render(self, c: Component) -> Markup:
        result = self.renderer.data(c)
        x = self.renderer.column(c, result, c.prop("x", result.columns[0]), "x")
        series = c.prop("series")
        if series is not None:
            series = self.renderer.column(c, result, series, "series")
        layers = self._layers(c, result, x, series)
        empty = self.renderer.empty(c, result)
        if empty is not None:
            return empty
        rows = list(result.rows)
        kind = {"LineChart": "line", "BarChart": "bar", "AreaChart": "area"}.get(c.name, "scatter")
        if c.name == "Chart":
            kind = layers[0]["kind"] if layers else "line"
        xi = result.index(x)
        x_numeric_or_date = result.is_numeric(x) or result.types[xi].startswith(
            ("DATE", "TIMESTAMP")
        )
        if truthy(c.prop("sort", True)):
            if kind == "bar" and not x_numeric_or_date and layers and layers[0]["ys"]:
                totals: dict[Any, float] = {}
                yi = result.index(layers[0]["ys"][0])
                for row in rows:
                    totals[row[xi]] = totals.get(row[xi], 0.0) + number(row[yi])
                rows.sort(key=lambda r: -totals[r[xi]])
            elif x_numeric_or_date:
                rows.sort(key=lambda r: (r[xi] is None, r[xi] if r[xi] is not None else 0))
        swap = truthy(c.prop("swapXY", False))
        fig = go.Figure()
        palette = c.prop("colorPalette") or list(PALETTE)
        series_colors = c.prop("seriesColors") or {}
        color_index = 0
        for layer in layers:
            for ycol in layer["ys"]:
                groups = _group(
                    rows,
                    result.index(layer["series"]) if layer["series"] else None,
                    c.prop("seriesOrder") or (),
                )
                for group_value, group_rows in groups:
                    name = layer.get("name")
                    if group_value is not _NO_GROUP:
                        label = format_value(group_value)
                        name = label if len(layer["ys"]) == 1 else f"{label} – {column_title(ycol)}"
                    name = name or column_title(ycol)
                    color = (
                        layer.get("color")
                        or series_colors.get(name)
                        or (series_colors.get(ycol) if group_value is _NO_GROUP else None)
                        or palette[color_index % len(palette)]
                    )
                    color = SEMANTIC_COLORS.get(color, color)
                    color_index += 1
                    fig.add_trace(
                        self._trace(c, layer, result, group_rows, x, ycol, name, color, swap)
                    )
        add_annotations(self.renderer, c, fig, result)
        apply_layout(c, fig, result, x, layers, kind, swap)
        self.renderer.charts += 1
        div_id = f"chart-{self.renderer.page.slug}-{self.renderer.charts}"
        figure_html = fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=div_id,
            config={"displayModeBar": False, "responsive": True},
        )
        return self.renderer.macros.chart(
            title=c.prop("title"),
            subtitle=c.prop("subtitle"),
            figure=Markup(figure_html),
            kind=kind,
        )

    def _layers(self, c: Component, result: QueryResult, x: str, series: str | None) -> list[dict]:
        if c.name == "Chart":
            layers = []
            for child in c.children:
                if not isinstance(child, Component) or child.name in (
                    "ReferenceLine",
                    "ReferenceArea",
                ):
                    continue
                kinds = {"Line": "line", "Bar": "bar", "Area": "area", "Scatter": "scatter"}
                if child.name not in kinds:
                    raise self.renderer.fail(child, "not supported inside <Chart>")
                ys = self.renderer.columns(child, result, child.prop("y", c.prop("y")), "y")
                child_series = child.prop("series", series)
                if child_series is not None:
                    child_series = self.renderer.column(child, result, child_series, "series")
                layers.append(
                    {
                        "kind": kinds[child.name],
                        "ys": ys,
                        "series": child_series,
                        "axis": "y",
                        "name": child.prop("name"),
                        "color": child.prop("lineColor") or child.prop("fillColor"),
                        "props": child.props,
                    }
                )
            if not layers:
                raise self.renderer.fail(
                    c, "<Chart> needs at least one <Line>, <Bar>, <Area> or <Scatter>"
                )
            return layers
        kind = {
            "LineChart": "line",
            "BarChart": "bar",
            "AreaChart": "area",
            "ScatterPlot": "scatter",
        }[c.name]
        y2 = self.renderer.columns(c, result, c.prop("y2"), "y2")
        ys = self.renderer.columns(c, result, c.prop("y"), "y")
        if not ys:
            taken = {x, series, *y2}
            ys = [col for col in result.columns if col not in taken and result.is_numeric(col)]
        if not ys:
            raise self.renderer.fail(c, f"query '{result.name}' has no numeric column for y")
        layers = [
            {
                "kind": kind,
                "ys": ys,
                "series": series,
                "axis": "y",
                "name": None,
                "color": c.prop("fillColor") or c.prop("lineColor"),
                "props": c.props,
            }
        ]
        if y2:
            default = "line" if kind == "line" else "bar"
            layers.append(
                {
                    "kind": str(c.prop("y2SeriesType", default)),
                    "ys": y2,
                    "series": None,
                    "axis": "y2",
                    "name": None,
                    "color": None,
                    "props": c.props,
                }
            )
        return layers

    def _trace(
        self,
        c: Component,
        layer: dict,
        result: QueryResult,
        rows: list[tuple],
        x: str,
        ycol: str,
        name: str,
        color: str,
        swap: bool,
    ) -> go.BaseTraceType:
        xs = [plot_value(r[result.index(x)]) for r in rows]
        ys = [plot_value(r[result.index(ycol)]) for r in rows]
        props = layer["props"]
        common = {"name": plot_text(name), "legendgroup": plot_text(name)}
        if layer["axis"] == "y2":
            common["yaxis"] = "y2"
        kind = layer["kind"]
        if kind == "bar":
            bar = go.Bar(
                x=ys if swap else xs,
                y=xs if swap else ys,
                orientation="h" if swap else "v",
                marker={"color": color, "opacity": float(props.get("fillOpacity", 1))},
                **common,
            )
            if truthy(c.prop("labels", False)):
                fmt = c.prop("labelFmt") or c.prop("yFmt")
                bar.text = [format_value(v, fmt) for v in ys]
                bar.textposition = "auto"
            return bar
        line_type = {"dashed": "dash", "dotted": "dot"}.get(
            str(props.get("lineType", "solid")), "solid"
        )
        line = {"color": color, "width": float(props.get("lineWidth", 2)), "dash": line_type}
        if kind == "scatter":
            tooltip = c.prop("tooltipTitle")
            text = None
            if tooltip:
                tooltip = self.renderer.column(c, result, tooltip, "tooltipTitle")
                text = [plot_text(format_value(r[result.index(tooltip)])) for r in rows]
            return go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                marker={
                    "color": color,
                    "size": float(props.get("pointSize", 10)),
                    "opacity": float(props.get("opacity", 0.8)),
                },
                hovertext=text,
                **common,
            )
        markers = truthy(props.get("markers", False)) or len(xs) == 1
        trace = go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers" if markers else "lines",
            line=line,
            connectgaps=str(props.get("handleMissing", "gap")) == "connect",
            **common,
        )
        if kind == "area":
            trace.stackgroup = "one" if layer["series"] or len(layer["ys"]) > 1 else None
            trace.fill = "tonexty" if trace.stackgroup else "tozeroy"
        return trace


_NO_GROUP = object()


def _group(
    rows: list[tuple], index: int | None, order: Sequence[Any] = ()
) -> list[tuple[Any, list[tuple]]]:
    """Rows by series value, in Evidence's seriesOrder, then in order of appearance."""
    if index is None:
        return [(_NO_GROUP, rows)]
    groups: dict[Any, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[index], []).append(row)
    rank = {value: i for i, value in enumerate(order)}
    return sorted(groups.items(), key=lambda item: rank.get(item[0], len(rank)))
