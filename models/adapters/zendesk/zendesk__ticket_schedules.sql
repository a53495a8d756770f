{{ config(enabled=var('ticketing_source') == 'zendesk') }}
-- One row per Zendesk ticket with a `ticket_schedule` row: the schedule it was on when
-- it was created (the latest ticket_schedule row at or before the ticket's created_at;
-- when every row is later, as when Zendesk stamps it a moment after the creation, the
-- earliest). Feeds tickets.schedule_id. Empty when ticket_schedule is not landed.
with

ticket as (
    {{ vendor_union('zendesk', 'ticket', ['id', 'created_at']) }}
),

ticket_schedule as (
    {{ vendor_union('zendesk', 'ticket_schedule', [
        'ticket_id', 'schedule_id', 'created_at',
    ], [], optional_table=true) }}
),

candidates as (
    select
        {{ vendor_id('zendesk', 'ticket_schedule.ticket_id') }} as ticket_id,
        {{ vendor_id('zendesk', 'ticket_schedule.schedule_id') }} as schedule_id,
        cast(ticket_schedule.created_at as {{ dbt.type_timestamp() }}) as scheduled_at,
        cast(ticket_schedule.created_at as {{ dbt.type_timestamp() }})
        <= cast(ticket.created_at as {{ dbt.type_timestamp() }}) as is_at_or_before
    from ticket_schedule
    inner join ticket
        on ticket_schedule._connector = ticket._connector
            and cast(ticket_schedule.ticket_id as {{ dbt.type_bigint() }})
            = cast(ticket.id as {{ dbt.type_bigint() }})
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.ticket_id
            order by
                case when candidates.is_at_or_before then 0 else 1 end asc,
                case
                    when candidates.is_at_or_before then candidates.scheduled_at
                end desc,
                candidates.scheduled_at asc,
                candidates.schedule_id asc
        ) as schedule_rank
    from candidates
),

final as (
    select
        ticket_id,
        schedule_id,
        scheduled_at
    from ranked
    where schedule_rank = 1
)

select * from final
