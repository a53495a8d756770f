{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per Zendesk table that feeds a raw contract table, per connector: the rows it
-- holds (vendor_row_conservation checks each is staged, excluded or quarantined).
{%- set feeds = [
    ('ticket', 'ticketing.tickets'),
    ('ticket_comment', 'ticketing.ticket_events'),
    ('ticket_field_history', 'ticketing.ticket_events'),
] %}
with

{% for table_name, contract_table in feeds %}
{{ table_name }}_rows as (
    {{ vendor_union('zendesk', table_name, []) }}
),

{% endfor -%}
counted as (
    {%- for table_name, contract_table in feeds %}
    select
        'zendesk' as vendor,
        {{ dbt.concat(["_connector", "'." ~ table_name ~ "'"]) }} as vendor_table,
        '{{ contract_table }}' as contract_table,
        cast(count(*) as bigint) as vendor_rows
    from {{ table_name }}_rows
    group by _connector
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from counted
