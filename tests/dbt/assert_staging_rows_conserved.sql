-- Row conservation (docs/contract.md, "Bad input"): for every raw table, raw rows = rows
-- of the stg_ view + rows of its quarantine table. Catches rows dropped or fanned out
-- by a staging join (e.g. a duplicated code in a mapping seed). Returns the tables that
-- break it.
-- Dagster shows this test as a check of `stg_crm__accounts` (the first table it checks;
-- a check must sit on a model the test reads).
{{ config(meta={'dagster': {'ref': {'name': 'stg_crm__accounts'}}}) }}
{%- set tables = [
    ('crm', 'accounts'), ('crm', 'contacts'), ('crm', 'orders'), ('crm', 'invoices'),
    ('ticketing', 'tickets'), ('ticketing', 'ticket_events'),
    ('survey', 'surveys'), ('survey', 'questions'), ('survey', 'responses'),
    ('survey', 'answers'),
] %}
with

row_counts as (
    {% for system, table in tables -%}
        select
            '{{ system }}.{{ table }}' as table_name,
            (
                select count(*) from
                {%- if var(system ~ '_source') == 'contract' %} {{ source(system, table) }}
                {%- else %} {{ ref(var(system ~ '_source') ~ '__' ~ table) }}
                {%- endif %}
            ) as raw_rows,
            (
                select count(*) from {{ ref('stg_' ~ system ~ '__' ~ table) }}
            ) as staged_rows,
            (
                select count(*)
                from {{ ref('stg_' ~ system ~ '__' ~ table ~ '_quarantine') }}
            ) as quarantined_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

not_conserved as (
    select
        table_name,
        raw_rows,
        staged_rows,
        quarantined_rows
    from row_counts
    where raw_rows != staged_rows + quarantined_rows
)

select * from not_conserved
