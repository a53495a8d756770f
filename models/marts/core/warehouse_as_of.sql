with

as_of as (
    select
        as_of_date,
        as_of_source,
        latest_event_at
    from {{ ref('int_as_of_date') }}
),

final as (
    select
        as_of.as_of_date,
        as_of.as_of_source,
        as_of.latest_event_at
    from as_of
)

select * from final
