{#- The lookback of an incremental fact (var incremental_lookback_days): a one-row
    `select` of `recompute_from_at`, that many days before the latest `time_column` of
    `built` (the CTE of the rows already built), for the CTE `lookback`. Rows at or after
    it are rewritten on every run even when unchanged (late data). -#}
{% macro incremental_lookback(built, time_column) -%}
    select
        {{ dbt.dateadd(
            'day',
            -1 * (var('incremental_lookback_days') | int),
            'max(' ~ built ~ '.' ~ time_column ~ ')'
        ) }} as recompute_from_at
    from {{ built }}
{%- endmacro %}
