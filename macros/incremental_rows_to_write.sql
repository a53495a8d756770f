{#- What an incremental run of a fact writes (delete+insert on `key`): a `select ...
    union all select ...` for a CTE, with the columns `key` then `columns`, of
    - the rows of `rows` (the CTE of the freshly computed rows) that are new, differ
      from the built row in one of `columns` (macro rows_differ), or whose `time_column`
      is in the lookback window (CTE `lookback`, macro incremental_lookback);
    - a tombstone per key of `gone` (a CTE of the keys built but no longer delivered):
      its key and every other column NULL, typed as in `rows` (the left join of a gone
      key to `rows` never matches). delete+insert replaces the built row; the model's
      post-hook deletes the tombstone by a column that is never NULL otherwise.
    `built` is the CTE of the rows already built ({{ this }}). -#}
{% macro incremental_rows_to_write(rows, built, gone, key, columns, time_column) -%}
    select
        {{ rows }}.{{ key }},
        {%- for column in columns %}
        {{ rows }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ rows }}
    left join {{ built }}
        on {{ rows }}.{{ key }} = {{ built }}.{{ key }}
    cross join lookback
    where {{ built }}.{{ key }} is null
        or {{ rows_differ(rows, built, columns) }}
        or {{ rows }}.{{ time_column }} >= lookback.recompute_from_at
    union all
    select
        {{ gone }}.{{ key }},
        {%- for column in columns %}
        {{ rows }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ gone }}
    left join {{ rows }}
        on {{ gone }}.{{ key }} = {{ rows }}.{{ key }}
{%- endmacro %}
