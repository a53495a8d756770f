with

touchpoint_events as (
    select
        account_id,
        journey_stage,
        occurred_at,
        is_irritation
    from {{ ref('touchpoint_events') }}
),

stage_order as (
    select
        'before_purchase' as journey_stage,
        1 as stage_order
    union all
    select
        'purchase' as journey_stage,
        2 as stage_order
    union all
    select
        'after_purchase' as journey_stage,
        3 as stage_order
),

stages as (
    select
        touchpoint_events.account_id,
        touchpoint_events.journey_stage,
        min(touchpoint_events.occurred_at) as entered_at,
        max(touchpoint_events.occurred_at) as last_event_at,
        count(*) as events,
        sum(case when touchpoint_events.is_irritation then 1 else 0 end)
            as negative_events
    from touchpoint_events
    where touchpoint_events.account_id is not null
        and touchpoint_events.journey_stage is not null
    group by
        touchpoint_events.account_id,
        touchpoint_events.journey_stage
),

next_stages as (
    -- the next stage is the one the account entered next, in time (ties: funnel order)
    select
        stages.account_id,
        stages.journey_stage,
        stages.entered_at,
        stages.last_event_at,
        stages.events,
        stages.negative_events,
        lead(stages.journey_stage) over (
            partition by stages.account_id
            order by stages.entered_at, stage_order.stage_order
        ) as next_stage,
        lead(stages.entered_at) over (
            partition by stages.account_id
            order by stages.entered_at, stage_order.stage_order
        ) as next_stage_entered_at
    from stages
    left join stage_order
        on stages.journey_stage = stage_order.journey_stage
),

final as (
    select
        {{ dbt.concat(["next_stages.account_id", "':'", "next_stages.journey_stage"]) }}
            as journey_id,
        next_stages.account_id,
        next_stages.journey_stage,
        next_stages.entered_at,
        next_stages.last_event_at,
        cast(next_stages.events as bigint) as events,
        cast(next_stages.negative_events as bigint) as negative_events,
        100 * cast(next_stages.negative_events as {{ type_double() }})
        / next_stages.events as negative_share,
        next_stages.next_stage,
        next_stages.next_stage_entered_at,
        case
            when next_stages.next_stage_entered_at is not null
                then cast(
                    {{ dbt.datediff(
                        'cast(next_stages.entered_at as date)',
                        'cast(next_stages.next_stage_entered_at as date)',
                        'day'
                    ) }} as integer
                    )
        end as days_to_next_stage
    from next_stages
)

select * from final
