-- One row per valid ticket: the optional routing columns of the tickets file (assignee_id,
-- group_id, schedule_id; pseudonymous ids), null when the file does not have them.
with

source as (
    select
        source._batch_id,
        source._source_row,
        {{ optional_column(source('ticketing', 'tickets'), 'assignee_id', 'source') }}
            as assignee_id,
        {{ optional_column(source('ticketing', 'tickets'), 'group_id', 'source') }}
            as group_id,
        {{ optional_column(source('ticketing', 'tickets'), 'schedule_id', 'source') }}
            as schedule_id
    from {{ source('ticketing', 'tickets') }} as source
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
