{#- Pareto "vital few" flag (docs/metrics.md, hotspots): true when the item is among the
    smallest top-ranked set whose cumulative count reaches `threshold_pct` % of the
    total, i.e. when the items ranked above it hold less than the threshold. Pass whole
    counts: the comparison is in integers (100 * before < threshold * total), so the
    item that brings the cumulative share to exactly the threshold is the last of the
    vital few. False when the total is 0. -#}
{% macro is_vital_few(cumulative, item, total, threshold_pct=80) -%}
    coalesce(
        {{ total }} > 0
        and 100 * ({{ cumulative }} - {{ item }}) < {{ threshold_pct }} * {{ total }},
        false
    )
{%- endmacro %}
