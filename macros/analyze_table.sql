{#- Planner statistics for a table dbt has just written (a post-hook of every model and
    seed, dbt_project.yml). PostgreSQL plans a query from its tables' statistics, and a
    new table has none until autovacuum reaches it, a minute or more later: the next
    model is then planned as if its inputs were almost empty (nested loops through views
    of views), which made one model of a 150-account build take 94 s instead of 0.1 s.
    Returns `analyze <table>` on PostgreSQL; nothing for a view, nor on DuckDB and Spark,
    which plan these queries well without. Dispatched (`cx_warehouse` namespace). -#}
{% macro analyze_table() -%}
    {{ return(adapter.dispatch('analyze_table', 'cx_warehouse')()) }}
{%- endmacro %}

{% macro default__analyze_table() -%}
{%- endmacro %}

{% macro postgres__analyze_table() -%}
    {%- if model.config.materialized in ('table', 'incremental', 'seed') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
