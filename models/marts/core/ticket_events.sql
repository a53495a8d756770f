-- Incremental on DuckDB and PostgreSQL (delete+insert on ticket_event_id); a table
-- rebuilt in full on Spark, whose default (parquet) tables take neither merge nor delete.
--
-- Every column comes from the event's own row, so an incremental run compares every
-- valid event with the built row and writes the events that are new or differ (an
-- updated row), those created in the lookback window (var incremental_lookback_days
-- before the latest event built), and a tombstone per event that is gone (quarantined or
-- no longer delivered: its ticket_event_id, every other column NULL), which the
-- post-hook deletes. The rows left alone equal a full build's. A change to this model's
-- SQL still needs --full-refresh.
{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='delete+insert',
        unique_key='ticket_event_id',
        on_schema_change='fail',
        post_hook=(
            "{% if is_incremental() %}"
            "delete from {{ this }} where ticket_id is null"
            "{% endif %}"
        ),
    )
}}

{%- set event_columns = [
    'ticket_id',
    'event_type',
    'author_role',
    'channel',
    'created_at',
] %}

with

ticket_events as (
    select
        event_id,
        ticket_id,
        event_type,
        author_role,
        channel,
        created_at
    from {{ ref('stg_ticketing__ticket_events') }}
),

final as (
    select
        ticket_events.event_id as ticket_event_id,
        ticket_events.ticket_id,
        ticket_events.event_type,
        ticket_events.author_role,
        ticket_events.channel,
        ticket_events.created_at
    from ticket_events
)

{%- if is_incremental() %},

built_events as (
    select
        ticket_event_id,
        ticket_id,
        event_type,
        author_role,
        channel,
        created_at
    from {{ this }}
),

lookback as (
    -- late data: events this close to the latest event built are always rewritten
    select
        {{ dbt.dateadd(
            'day',
            -1 * (var('incremental_lookback_days') | int),
            'max(built_events.created_at)'
        ) }} as recompute_from_at
    from built_events
),

gone_events as (
    -- tombstones of the events gone since the last run: delete+insert replaces the
    -- built row, the post-hook deletes the tombstone (ticket_id is never NULL otherwise)
    select
        built_events.ticket_event_id,
        cast(null as {{ dbt.type_string() }}) as ticket_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as author_role,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as timestamp) as created_at
    from built_events
    left join final
        on built_events.ticket_event_id = final.ticket_event_id
    where final.ticket_event_id is null
),

written_events as (
    -- the events new or different since the last run or in the lookback window, and the
    -- tombstones
    select
        final.ticket_event_id,
        final.ticket_id,
        final.event_type,
        final.author_role,
        final.channel,
        final.created_at
    from final
    left join built_events
        on final.ticket_event_id = built_events.ticket_event_id
    cross join lookback
    where built_events.ticket_event_id is null
        or {{ rows_differ('final', 'built_events', event_columns) }}
        or final.created_at >= lookback.recompute_from_at
    union all
    select
        gone_events.ticket_event_id,
        gone_events.ticket_id,
        gone_events.event_type,
        gone_events.author_role,
        gone_events.channel,
        gone_events.created_at
    from gone_events
)

select * from written_events

{%- else %}

select * from final

{%- endif %}
