{#- The end of an incremental fact, after its CTE `final` (the rows a full build gives):
    on a full build `select * from final`; on an incremental run (delete+insert on `key`)
    the rows to write, from the CTEs
    - `built_rows` (`key` and `columns` of {{ this }}) and `lookback` (macro
      incremental_lookback on `time_column`), unless the model passes `built`, the name of
      its own CTE of the built rows, and has defined `lookback` itself;
    - `gone_rows`: the keys built but no longer in `final` (quarantined or no longer
      delivered), unless the model passes `gone`, the name of its own CTE of those keys
      (column `key`);
    - `written_rows`: macro incremental_rows_to_write (new, changed or recent rows and a
      tombstone per gone key, which the model's post-hook deletes).
    Starts with the comma that continues the model's `with` list when incremental. -#}
{% macro incremental_fact_rows(key, columns, time_column, built=none, gone=none) -%}
{%- if is_incremental() -%}
,
{%- if built is none %}

built_rows as (
    select
        {{ key }},
        {{ columns | join(',\n        ') }}
    from {{ this }}
),

lookback as (
    -- late data: rows this close to the latest row built are always rewritten
    {{ incremental_lookback('built_rows', time_column) }}
),
{%- endif %}
{%- if gone is none %}

gone_rows as (
    select built_rows.{{ key }}
    from built_rows
    left join final
        on built_rows.{{ key }} = final.{{ key }}
    where final.{{ key }} is null
),
{%- endif %}

written_rows as (
    {{ incremental_rows_to_write(
        'final', built or 'built_rows', gone or 'gone_rows', key, columns, time_column
    ) }}
)

select * from written_rows
{%- else %}

select * from final
{%- endif %}
{%- endmacro %}
