{#- The body of a support team performance mart (agent_performance, group_performance):
    one row per month and team id (team_column: assignee_id or group_id of
    int_support_ticket_outcomes, published as team_alias) with any activity: tickets solved,
    one-touch, reopened, handoffs and group changes of those tickets, episodes closed and
    first-contact resolutions among them, CSAT answers about the team's tickets, and the
    open backlog at the month's end (as of the as-of date for its month). -#}
{% macro support_team_performance(team_column, team_alias) -%}
with

outcomes as (
    select
        ticket_id,
        {{ team_column }} as team_id,
        is_solved,
        solved_month,
        is_one_touch,
        is_reopened,
        handoffs,
        group_handoffs,
        closed_episode,
        episode_closed_month,
        is_fcr_episode
    from {{ ref('int_support_ticket_outcomes') }}
    where {{ team_column }} is not null
),

responses as (
    select
        ticket_id,
        csat_value,
        submitted_at
    from {{ ref('survey_responses') }}
    where csat_value is not null
        and ticket_id is not null
),

segments as (
    {{ support_open_segments() }}
),

as_of as (
    select
        as_of_date,
        as_of_end_at
    from {{ ref('int_as_of_date') }}
),

solved as (
    select
        solved_month as performance_month,
        team_id,
        count(*) as tickets_solved,
        sum(case when is_one_touch then 1 else 0 end) as one_touch_tickets,
        sum(case when is_reopened then 1 else 0 end) as reopened_tickets,
        sum(handoffs) as handoffs,
        sum(group_handoffs) as group_handoffs
    from outcomes
    where is_solved
    group by solved_month, team_id
),

closed_episodes as (
    select
        episode_closed_month as performance_month,
        team_id,
        count(*) as episodes_closed,
        sum(case when is_fcr_episode then 1 else 0 end) as fcr_episodes
    from outcomes
    where closed_episode
    group by episode_closed_month, team_id
),

csat as (
    select
        cast({{ dbt.date_trunc('month', 'responses.submitted_at') }} as date)
            as performance_month,
        outcomes.team_id,
        count(*) as csat_answers,
        sum(case when responses.csat_value >= 4 then 1 else 0 end) as csat_positive
    from responses
    inner join outcomes
        on responses.ticket_id = outcomes.ticket_id
    group by
        cast({{ dbt.date_trunc('month', 'responses.submitted_at') }} as date),
        outcomes.team_id
),

-- the months of the data window, each with the instant its backlog is counted at
months as (
    select distinct
        cast({{ dbt.date_trunc('month', 'spine.date_day') }} as date) as performance_month
    from {{ ref('metricflow_time_spine') }} as spine
    inner join (
        select
            min(segments.segment_start_at) as first_at,
            max(as_of.as_of_date) as last_day
        from segments
        cross join as_of
    ) as bounds
        on spine.date_day between cast(bounds.first_at as date) and bounds.last_day
),

month_ends as (
    select
        months.performance_month,
        case
            when {{ dbt.dateadd('month', 1, 'cast(months.performance_month as timestamp)') }}
                < as_of.as_of_end_at
                then {{ dbt.dateadd('month', 1, 'cast(months.performance_month as timestamp)') }}
            else as_of.as_of_end_at
        end as month_end_at
    from months
    cross join as_of
),

-- the month ends at which each open segment holds (it started before the month's end
-- and ended at or after it, or runs) are consecutive months: from the month
-- it started in to the month before the one it ended in (the as-of month while it runs
-- or when it ended after the as-of date). Most hold at no month's end (first after last)
-- and are left out before the few others are joined with their months: no range join of
-- every segment with every month.
held as (
    select
        segments.ticket_id,
        cast({{ dbt.date_trunc('month', 'segments.segment_start_at') }} as date)
            as first_month,
        case
            when segments.segment_end_at is null
                or segments.segment_end_at >= as_of.as_of_end_at
                then cast({{ dbt.date_trunc('month', 'as_of.as_of_date') }} as date)
            else cast({{ dbt.dateadd(
                'month', -1, dbt.date_trunc('month', 'segments.segment_end_at')
            ) }} as date)
        end as last_month
    from segments
    cross join as_of
    where segments.segment_start_at < as_of.as_of_end_at
),

backlog as (
    select
        month_ends.performance_month,
        outcomes.team_id,
        count(*) as open_backlog
    from held
    inner join month_ends
        on month_ends.performance_month >= held.first_month
            and month_ends.performance_month <= held.last_month
    inner join outcomes
        on held.ticket_id = outcomes.ticket_id
    where held.first_month <= held.last_month
    group by month_ends.performance_month, outcomes.team_id
),

keys as (
    select performance_month, team_id from solved
    union
    select performance_month, team_id from closed_episodes
    union
    select performance_month, team_id from csat
    union
    select performance_month, team_id from backlog
),

final as (
    select
        keys.performance_month,
        keys.team_id as {{ team_alias }},
        cast(coalesce(solved.tickets_solved, 0) as bigint) as tickets_solved,
        cast(coalesce(solved.one_touch_tickets, 0) as bigint) as one_touch_tickets,
        cast(coalesce(solved.reopened_tickets, 0) as bigint) as reopened_tickets,
        cast(coalesce(solved.handoffs, 0) as bigint) as handoffs,
        cast(coalesce(solved.group_handoffs, 0) as bigint) as group_handoffs,
        case
            when solved.tickets_solved > 0
                then cast(solved.one_touch_tickets as {{ type_double() }}) * 100
                    / solved.tickets_solved
        end as one_touch_rate,
        case
            when solved.tickets_solved > 0
                then cast(solved.reopened_tickets as {{ type_double() }}) * 100
                    / solved.tickets_solved
        end as reopen_rate,
        case
            when solved.tickets_solved > 0
                then cast(solved.handoffs as {{ type_double() }}) / solved.tickets_solved
        end as handoffs_per_ticket,
        cast(coalesce(closed_episodes.episodes_closed, 0) as bigint) as episodes_closed,
        cast(coalesce(closed_episodes.fcr_episodes, 0) as bigint) as fcr_episodes,
        case
            when closed_episodes.episodes_closed > 0
                then cast(closed_episodes.fcr_episodes as {{ type_double() }}) * 100
                    / closed_episodes.episodes_closed
        end as fcr_rate,
        cast(coalesce(csat.csat_answers, 0) as bigint) as csat_answers,
        cast(coalesce(csat.csat_positive, 0) as bigint) as csat_positive,
        case
            when csat.csat_answers > 0
                then cast(csat.csat_positive as {{ type_double() }}) * 100 / csat.csat_answers
        end as csat,
        cast(coalesce(backlog.open_backlog, 0) as bigint) as open_backlog
    from keys
    left join solved
        on keys.performance_month = solved.performance_month
            and keys.team_id = solved.team_id
    left join closed_episodes
        on keys.performance_month = closed_episodes.performance_month
            and keys.team_id = closed_episodes.team_id
    left join csat
        on keys.performance_month = csat.performance_month
            and keys.team_id = csat.team_id
    left join backlog
        on keys.performance_month = backlog.performance_month
            and keys.team_id = backlog.team_id
)

select * from final
{%- endmacro %}
