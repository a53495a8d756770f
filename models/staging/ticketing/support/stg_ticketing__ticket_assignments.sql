-- a table, not a view: a view over a raw table would stop the loaders replacing it
{{ config(materialized='table') }}
-- One row per valid ticket: the optional routing columns of the tickets file
-- (assignee_id, group_id, schedule_id; pseudonymous ids), null when the file does not
-- have them.
with

-- the optional columns, from the rows base_ticketing__tickets reads (the contract's raw
-- table or the vendor adapter's model)
source as (
    {{ ticketing_optional_columns(
        'tickets', ['assignee_id', 'group_id', 'schedule_id']
    ) }}
),

tickets as (
    select
        ticket_id,
        priority,
        _batch_id,
        _source_row
    from {{ ref('stg_ticketing__tickets') }}
),

final as (
    select
        tickets.ticket_id,
        tickets.priority,
        nullif(trim(source.assignee_id), '') as assignee_id,
        nullif(trim(source.group_id), '') as group_id,
        nullif(trim(source.schedule_id), '') as schedule_id
    from tickets
    inner join source
        on tickets._batch_id = source._batch_id
            and tickets._source_row = source._source_row
)

select * from final
