{#- Incremental staging (the base_ models; dbt_project.yml: delete+insert on
    (_batch_id, _source_row) on DuckDB and PostgreSQL, a table on Spark).

    A raw row is judged once, when its batch first arrives, and again only when something
    that decides its verdict changes:
    - its key group: every row of a key is judged together (duplicate_key ranks them), so
      the rows of a key delivered in a new batch bring back the other rows of that key;
    - a parent (`parents`: the base_ model of a table it references or takes values from):
      a parent key staged after this model's last write (a late parent that turns an
      orphan_reference valid, a new version of the parent), or a valid row whose parent is
      gone (a full delivery that drops the parent key).
    A row built earlier but no longer delivered (its key delivered again in a delta, or its
    whole batch replaced by a full delivery) is deleted: written back as a tombstone
    (_staged_at NULL, deleted by the post-hook) while its batch is still delivered, else
    deleted with its whole batch by the model's post-hook staging_delete_gone_batches. A
    full delivery gives every row a new batch, so every row is judged again, exactly as a
    full refresh. A change to a seed, to a base_ model's SQL or
    to a macro they call needs --full-refresh: the main job and `cxw build` do that by
    themselves (their staging guard, lib/staging_guard.py). A plain `dbt build` run by hand
    does not: when a base_ model's columns changed, it stops with an error saying so
    (staging_check_columns); a changed seed or macro it cannot see. -#}

{#- Whether this run of a base_ model is incremental: is_incremental(), and the built table
    already has `_staged_at` (a table built before staging was incremental has not: that run
    judges every row again, and on_schema_change adds the column). -#}
{% macro staging_is_incremental() -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- elif not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set built = adapter.get_columns_in_relation(this) | map(attribute='name') -%}
    {{ return('_staged_at' in built | map('lower') | list) }}
{%- endmacro %}

{#- When this run staged a row (run_started_at): parents compare it with a child's last
    write. -#}
{% macro staged_at() -%}
{%- if run_started_at is defined -%}
    {%- set started = run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") -%}
{%- else -%}
    {%- set started = "1970-01-01 00:00:00" -%}  {#- the SQL linter's templater -#}
{%- endif -%}
cast('{{ started }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The CTEs (each followed by a comma) that an incremental base_ model puts before its
    `source` CTE: `staging_batches` (the batches already built), `staging_affected_keys`
    (the keys, as trimmed in this model's `key` column, whose rows are judged again) and
    `staging_source_batches`. `source_relation` is the raw relation (system_source),
    `key_expression` the trimmed key in it; `parents` a list of
    {'column': the child's column (trimmed, as built), 'model': the parent base_ model,
    'key': its key column}. The model must declare `-- depends_on:` every parent model. -#}
{% macro staging_changes(source_relation, key, key_expression, parents=[]) -%}
staging_batches as (
    select distinct _batch_id from {{ this }}
),

staging_watermark as (
    -- the last time this model wrote a row: parents staged later are new to it
    select max(_staged_at) as staged_at from {{ this }}
),

staging_new_keys as (
    select distinct {{ key_expression }} as staged_key
    from {{ source_relation }} as delivered
    where not exists (
        select 1
        from staging_batches
        where staging_batches._batch_id = delivered._batch_id
    )
),
{%- for parent in parents %}

staging_parent_{{ loop.index }} as (
    -- the keys of {{ parent.model }} staged after this model's last write
    select distinct parent_rows.{{ parent.key }} as parent_key
    from {{ ref(parent.model) }} as parent_rows
    cross join staging_watermark
    where parent_rows._staged_at > staging_watermark.staged_at
        or staging_watermark.staged_at is null
),

staging_lost_parent_{{ loop.index }} as (
    -- built rows judged valid whose parent key is no longer a valid row
    select built.{{ key }} as staged_key
    from {{ this }} as built
    where built.quarantine_reason is null
        and built.{{ parent.column }} is not null
        and not exists (
            select 1
            from {{ ref(parent.model) }} as parent_rows
            where parent_rows.quarantine_reason is null
                and parent_rows.{{ parent.key }} = built.{{ parent.column }}
        )
),
{%- endfor %}

staging_affected_keys as (
    select staged_key from staging_new_keys
    {%- for parent in parents %}
    union
    select built.{{ key }} as staged_key
    from {{ this }} as built
    inner join staging_parent_{{ loop.index }}
        on built.{{ parent.column }} = staging_parent_{{ loop.index }}.parent_key
    union
    select staged_key from staging_lost_parent_{{ loop.index }}
    {%- endfor %}
),

staging_source_batches as (
    select distinct _batch_id from {{ source_relation }}
),
{%- endmacro %}

{#- The `where` condition on the raw rows (alias `delivered`) that an incremental run
    judges: a new batch, or an affected key (macro staging_changes). -#}
{% macro staging_rows_to_judge(key_expression) -%}
    not exists (
        select 1
        from staging_batches
        where staging_batches._batch_id = delivered._batch_id
    )
    or {{ key_expression }} in (
        select staging_affected_keys.staged_key
        from staging_affected_keys
        where staging_affected_keys.staged_key is not null
    )
{%- endmacro %}

{#- Stop an incremental run of a base_ model whose columns (as its YAML describes
    them) are not the built table's: a column added to the model cannot be computed for
    the rows staged before (a raw row is judged once), and the tombstones would not line
    up with the new rows. Only a full refresh judges every row with the new columns. (The
    base_ models' on_schema_change, append_new_columns, adds a new column with NULL for
    the old rows; it is reached only when the table lacks _staged_at, built before
    staging was incremental: a run that judges every row again.) `built`: the built
    table's columns. -#}
{% macro staging_check_columns(built) -%}
{%- if model is defined -%}  {#- not in the SQL linter's templater -#}
{%- set described = (model.columns or {}).keys() | map('lower') | list -%}
{%- set have = built | map(attribute='name') | map('lower') | list -%}
{%- set added = described | reject('in', have) | list if have else [] -%}
{%- set gone = have | reject('in', described) | list if described else [] -%}
{%- set said = (['lacks ' ~ added | join(', ')] if added else [])
    + (['still has ' ~ gone | join(', ')] if gone else []) -%}
{%- if said -%}
    {{ exceptions.raise_compiler_error(
        model.name ~ ': the columns of the model (as its YAML describes them) '
        ~ 'changed since its table ' ~ this ~ ' was built (the table '
        ~ said | join(' and ')
        ~ '): the rows staged before cannot be staged incrementally; run with '
        ~ '--full-refresh (the main job and `cxw build` do this by themselves)'
    ) }}
{%- endif -%}
{%- endif -%}
{%- endmacro %}

{#- `select * from <final>`, and in an incremental run also the tombstones: the built
    rows of an affected key, in a batch still delivered, that are not delivered any more,
    with _staged_at NULL (the post-hook deletes them). The rows of a batch no longer
    delivered at all (every row of a table after a full delivery) are not written back:
    the model's post-hook staging_delete_gone_batches deletes them in place, which spares
    writing (and deleting again) as many tombstones as the table has rows. -#}
{% macro staging_select(final, source_relation, key) -%}
select * from {{ final }}
{%- if staging_is_incremental() %}
{%- set built_columns = adapter.get_columns_in_relation(this) if execute else [] %}
{%- do staging_check_columns(built_columns) %}
union all
select
    {%- for column in built_columns %}
    {%- if column.name | lower == '_staged_at' %}
    cast(null as {{ dbt.type_timestamp() }}) as _staged_at{{ ',' if not loop.last }}
    {%- else %}
    built.{{ adapter.quote(column.name) }}{{ ',' if not loop.last }}
    {%- endif %}
    {%- else %}
    built.*
    {%- endfor %}
from {{ this }} as built
where built.{{ key }} in (
    select staging_affected_keys.staged_key
    from staging_affected_keys
    where staging_affected_keys.staged_key is not null
)
and exists (
    select 1
    from staging_source_batches
    where staging_source_batches._batch_id = built._batch_id
)
and not exists (
    select 1
    from {{ source_relation }} as delivered
    where delivered._batch_id = built._batch_id
        and delivered._source_row = built._source_row
)
{%- endif %}
{%- endmacro %}

{#- The post-hook of every incremental base_ model (set in its config): delete the built
    rows of the batches no longer delivered in `system`.`table_name` (system_source), e.g.
    every row built before a full delivery of the table. They are the rows no longer
    delivered whose batch is gone: staging_select writes no tombstone for them. -#}
{% macro staging_delete_gone_batches(system, table_name) -%}
{%- if is_incremental() -%}
delete from {{ this }} as built
where not exists (
    select 1
    from {{ system_source(system, table_name) }} as delivered
    where delivered._batch_id = built._batch_id
)
{%- endif -%}
{%- endmacro %}
