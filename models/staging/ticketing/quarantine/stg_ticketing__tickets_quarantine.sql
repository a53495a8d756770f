-- Rows of ticketing.tickets that break the raw contract, exactly as delivered, with the
-- reason (the first rule broken, in the order of base_ticketing__tickets).
with

source as (
    select * from {{ system_source('ticketing', 'tickets') }}
),

reasons as (
    select
        _source_row,
        _batch_id,
        quarantine_reason
    from {{ ref('base_ticketing__tickets') }}
    where quarantine_reason is not null
),

quarantined as (
    select
        reasons.quarantine_reason,
        source.*
    from source
    inner join reasons
        on source._batch_id = reasons._batch_id
            and source._source_row = reasons._source_row
)

select * from quarantined
