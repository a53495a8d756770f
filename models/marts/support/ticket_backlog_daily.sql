-- One row per day, status, group, priority and age bucket with open tickets (grain:
-- backlog_date, status, group_id, priority, age_bucket; '(none)' for a missing group
-- or priority): the tickets whose status at the end of the day (the last instant
-- before the next midnight, UTC) was new, open, pending or on_hold. Days from the
-- first ticket's creation date to the as-of date. age_bucket is the ticket's age at
-- the end of the day: 0-1d, 1-3d, 3-7d, 7-30d or 30d+. Zero rows unless the events
-- carry the optional new_status column.
with

open_segments as (
    {{ support_open_segments() }}
),

tickets as (
    select
        ticket_id,
        created_at
    from {{ ref('stg_ticketing__tickets') }}
),

assignments as (
    select
        ticket_id,
        priority,
        group_id
    from {{ ref('stg_ticketing__ticket_assignments') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

bounds as (
    select
        cast(min(tickets.created_at) as date) as first_day,
        max(as_of.as_of_date) as last_day
    from tickets
    cross join as_of
    where exists (select 1 from open_segments)
),

days as (
    select spine.date_day as backlog_date
    from {{ ref('metricflow_time_spine') }} as spine
    inner join bounds
        on spine.date_day between bounds.first_day and bounds.last_day
),

-- the days at whose end a segment holds (it started before the end of the day and
-- ended at or after it, or runs), the days d with start < d + 1 day <= end: from
-- the date of its start to the date of (its end - 1 day), or to the last day while it
-- runs.
open_spans as (
    select
        open_segments.ticket_id,
        open_segments.status,
        cast(open_segments.segment_start_at as date) as first_day,
        coalesce(
            cast({{ dbt.dateadd('day', -1, 'open_segments.segment_end_at') }} as date),
            bounds.last_day
        ) as last_day
    from open_segments
    cross join bounds
),

-- most segments hold at no day's end (they end the day they start): left out, and the
-- ticket's creation, group and priority read once per span. age_seconds is the ticket's
-- age at the end of the span's first day; it grows by exactly 86400 a day after that.
holding_spans as (
    select
        open_spans.status,
        open_spans.first_day,
        {{ dbt.datediff('open_spans.first_day', 'open_spans.last_day', 'day') }} + 1
            as span_days,
        coalesce(assignments.group_id, '(none)') as group_id,
        coalesce(assignments.priority, '(none)') as priority,
        {{ dbt.datediff(
            'tickets.created_at',
            dbt.dateadd('day', 1, 'cast(open_spans.first_day as timestamp)'),
            'second',
        ) }} as age_seconds
    from open_spans
    inner join tickets
        on open_spans.ticket_id = tickets.ticket_id
    left join assignments
        on open_spans.ticket_id = assignments.ticket_id
    where open_spans.last_day >= open_spans.first_day
),

-- the number of the span's days (from its first) whose end-of-day age is under 1, 3, 7
-- and 30 days: day n has age age_seconds + 86400 n, under k days while
-- n < (86400 k - age_seconds) / 86400 (k = 1, 3, 7, 30)
bucket_days as (
    select
        status,
        group_id,
        priority,
        first_day,
        span_days,
        ceil((1 * 86400 - age_seconds) / 86400.0) as days_under_1d,
        ceil((3 * 86400 - age_seconds) / 86400.0) as days_under_3d,
        ceil((7 * 86400 - age_seconds) / 86400.0) as days_under_7d,
        ceil((30 * 86400 - age_seconds) / 86400.0) as days_under_30d
    from holding_spans
),

bucket_ends as (
    select
        status,
        group_id,
        priority,
        first_day,
        span_days,
        cast(greatest(0, least(span_days, days_under_1d)) as {{ dbt.type_int() }})
            as under_1d,
        cast(greatest(0, least(span_days, days_under_3d)) as {{ dbt.type_int() }})
            as under_3d,
        cast(greatest(0, least(span_days, days_under_7d)) as {{ dbt.type_int() }})
            as under_7d,
        cast(greatest(0, least(span_days, days_under_30d)) as {{ dbt.type_int() }})
            as under_30d
    from bucket_days
),

age_buckets as (
    select
        '0-1d' as age_bucket,
        1 as bucket_order
    union all
    select
        '1-3d' as age_bucket,
        2 as bucket_order
    union all
    select
        '3-7d' as age_bucket,
        3 as bucket_order
    union all
    select
        '7-30d' as age_bucket,
        4 as bucket_order
    union all
    select
        '30d+' as age_bucket,
        5 as bucket_order
),

-- each span split by age bucket: the days [first_day + day_from, first_day + day_to)
bucket_spans as (
    select
        bucket_ends.status,
        bucket_ends.group_id,
        bucket_ends.priority,
        age_buckets.age_bucket,
        bucket_ends.first_day,
        case age_buckets.bucket_order
            when 1 then 0
            when 2 then bucket_ends.under_1d
            when 3 then bucket_ends.under_3d
            when 4 then bucket_ends.under_7d
            else bucket_ends.under_30d
        end as day_from,
        case age_buckets.bucket_order
            when 1 then bucket_ends.under_1d
            when 2 then bucket_ends.under_3d
            when 3 then bucket_ends.under_7d
            when 4 then bucket_ends.under_30d
            else bucket_ends.span_days
        end as day_to
    from bucket_ends
    cross join age_buckets
),

-- the nonempty bucket spans as dates: from start_date to the day before stop_date
bucket_dates as (
    select
        status,
        group_id,
        priority,
        age_bucket,
        cast({{ dbt.dateadd('day', 'day_from', 'first_day') }} as date) as start_date,
        cast({{ dbt.dateadd('day', 'day_to', 'first_day') }} as date) as stop_date
    from bucket_spans
    where day_to > day_from
),

-- +1 on a bucket span's first day, -1 on the day after its last (when that is a day of
-- the report): no range join of spans and days
changes as (
    select
        status,
        group_id,
        priority,
        age_bucket,
        start_date as change_date,
        1 as change
    from bucket_dates
    union all
    select
        bucket_dates.status,
        bucket_dates.group_id,
        bucket_dates.priority,
        bucket_dates.age_bucket,
        bucket_dates.stop_date as change_date,
        -1 as change
    from bucket_dates
    cross join bounds
    where bucket_dates.stop_date <= bounds.last_day
),

daily_changes as (
    select
        status,
        group_id,
        priority,
        age_bucket,
        change_date,
        sum(change) as change
    from changes
    group by status, group_id, priority, age_bucket, change_date
),

cuts as (
    select distinct
        status,
        group_id,
        priority,
        age_bucket
    from daily_changes
),

-- every day of every cut, with the running sum of its changes: the tickets open at the
-- end of that day
running as (
    select
        days.backlog_date,
        cuts.status,
        cuts.group_id,
        cuts.priority,
        cuts.age_bucket,
        sum(coalesce(daily_changes.change, 0)) over (
            partition by cuts.status, cuts.group_id, cuts.priority, cuts.age_bucket
            order by days.backlog_date
            rows between unbounded preceding and current row
        ) as open_tickets
    from cuts
    cross join days
    left join daily_changes
        on cuts.status = daily_changes.status
            and cuts.group_id = daily_changes.group_id
            and cuts.priority = daily_changes.priority
            and cuts.age_bucket = daily_changes.age_bucket
            and days.backlog_date = daily_changes.change_date
),

final as (
    select
        backlog_date,
        status,
        group_id,
        priority,
        age_bucket,
        cast(open_tickets as bigint) as open_tickets
    from running
    where open_tickets > 0
)

select * from final
