-- Raw rows are counted through the staging base_ models, which hold every delivered row
-- (marts never read sources). A raw row is (_batch_id, _source_row): a delta delivery
-- merges rows of several files into one raw table. Counting distinct rows there keeps
-- a join that duplicates rows in staging from passing for extra raw rows: it shows as
-- not conserved.
{#- the raw tables of the contract (ingest/contract.py), and for each layer the model
    that holds its rows: every delivered row (base_), the valid ones (stg_) and the
    quarantined ones (the quarantine model) -#}
{%- set raw_tables = [
    ('crm', 'accounts'),
    ('crm', 'contacts'),
    ('crm', 'orders'),
    ('crm', 'invoices'),
    ('ticketing', 'tickets'),
    ('ticketing', 'ticket_events'),
    ('survey', 'surveys'),
    ('survey', 'questions'),
    ('survey', 'responses'),
    ('survey', 'answers'),
] %}
{%- set layers = [
    ('delivered', 'base_', ''),
    ('staged', 'stg_', ''),
    ('quarantined', 'stg_', '_quarantine'),
] %}
with
{% for layer, prefix, suffix in layers %}
{%- for system, table in raw_tables %}
{{ layer }}_{{ system }}_{{ table }} as (
    select
        _batch_id,
        _source_row
    from {{ ref(prefix ~ system ~ '__' ~ table ~ suffix) }}
),
{% endfor %}
{%- endfor %}
raw_tables as (
    {%- for system, table in raw_tables %}
    select '{{ system }}.{{ table }}' as table_name
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{% for layer, prefix, suffix in layers %}
{{ layer }}_rows as (
    {%- for system, table in raw_tables %}
    {%- set rows = layer ~ '_' ~ system ~ '_' ~ table %}
    select
        '{{ system }}.{{ table }}' as table_name,
        {{ rows }}._batch_id,
        {{ rows }}._source_row
    from {{ rows }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{% endfor %}
distinct_delivered_rows as (
    select distinct
        delivered_rows.table_name,
        delivered_rows._batch_id,
        delivered_rows._source_row
    from delivered_rows
),

delivered_counts as (
    select
        distinct_delivered_rows.table_name,
        count(*) as raw_rows
    from distinct_delivered_rows
    group by distinct_delivered_rows.table_name
),

staged_counts as (
    select
        staged_rows.table_name,
        count(*) as staged_rows
    from staged_rows
    group by staged_rows.table_name
),

quarantined_counts as (
    select
        quarantined_rows.table_name,
        count(*) as quarantined_rows
    from quarantined_rows
    group by quarantined_rows.table_name
),

counted as (
    select
        raw_tables.table_name,
        coalesce(delivered_counts.raw_rows, 0) as raw_rows,
        coalesce(staged_counts.staged_rows, 0) as staged_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows
    from raw_tables
    left join delivered_counts
        on raw_tables.table_name = delivered_counts.table_name
    left join staged_counts
        on raw_tables.table_name = staged_counts.table_name
    left join quarantined_counts
        on raw_tables.table_name = quarantined_counts.table_name
),

final as (
    select
        counted.table_name,
        cast(counted.raw_rows as bigint) as raw_rows,
        cast(counted.staged_rows as bigint) as staged_rows,
        cast(counted.quarantined_rows as bigint) as quarantined_rows,
        counted.raw_rows = counted.staged_rows + counted.quarantined_rows
            as is_conserved
    from counted
)

select * from final
