with

touchpoint_events as (
    select
        event_id,
        event_type,
        source_id,
        account_id,
        person_id,
        channel,
        touchpoint_code,
        journey_stage,
        cx_factor,
        valence,
        occurred_at,
        -- simultaneous events keep the order of a purchase: the order, its invoice, a
        -- ticket, a survey response about it
        case event_type
            when 'order' then 1
            when 'invoice' then 2
            when 'ticket' then 3
            when 'survey_response' then 4
        end as event_type_order
    from {{ ref('int_touchpoint_events_unioned') }}
),

sequenced as (
    -- a journey is the account's; an event with no account (an unmatched person's
    -- ticket or response) is in that person's own journey. Ties in occurred_at: event
    -- type (order, invoice, ticket, survey_response), then source_id.
    select
        touchpoint_events.event_id,
        touchpoint_events.event_type,
        touchpoint_events.source_id,
        touchpoint_events.account_id,
        touchpoint_events.person_id,
        touchpoint_events.channel,
        touchpoint_events.touchpoint_code,
        touchpoint_events.journey_stage,
        touchpoint_events.cx_factor,
        touchpoint_events.valence,
        touchpoint_events.occurred_at,
        row_number() over (
            partition by
                touchpoint_events.account_id,
                case
                    when touchpoint_events.account_id is null
                        then touchpoint_events.person_id
                end
            order by
                touchpoint_events.occurred_at,
                touchpoint_events.event_type_order,
                touchpoint_events.source_id
        ) as journey_sequence,
        lag(touchpoint_events.touchpoint_code) over (
            partition by
                touchpoint_events.account_id,
                case
                    when touchpoint_events.account_id is null
                        then touchpoint_events.person_id
                end
            order by
                touchpoint_events.occurred_at,
                touchpoint_events.event_type_order,
                touchpoint_events.source_id
        ) as previous_touchpoint_code,
        lead(touchpoint_events.touchpoint_code) over (
            partition by
                touchpoint_events.account_id,
                case
                    when touchpoint_events.account_id is null
                        then touchpoint_events.person_id
                end
            order by
                touchpoint_events.occurred_at,
                touchpoint_events.event_type_order,
                touchpoint_events.source_id
        ) as next_touchpoint_code
    from touchpoint_events
),

final as (
    select
        sequenced.event_id,
        sequenced.event_type,
        sequenced.source_id,
        sequenced.account_id,
        sequenced.person_id,
        sequenced.channel,
        sequenced.touchpoint_code,
        sequenced.journey_stage,
        sequenced.cx_factor,
        sequenced.valence,
        sequenced.valence = 'negative' as is_irritation,
        sequenced.occurred_at,
        cast(sequenced.occurred_at as date) as occurred_date,
        cast({{ dbt.date_trunc('month', 'sequenced.occurred_at') }} as date)
            as occurred_month,
        cast(sequenced.journey_sequence as bigint) as journey_sequence,
        sequenced.previous_touchpoint_code,
        sequenced.next_touchpoint_code
    from sequenced
)

select * from final
