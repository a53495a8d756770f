-- Incremental on DuckDB and PostgreSQL (delete+insert on ticket_event_id); a table
-- rebuilt in full on Spark, whose default (parquet) tables take neither merge nor
-- delete.
--
-- Every column comes from the event's own row, so an incremental run compares every
-- valid event with the built row and writes the events that are new or differ (an
-- updated row), those created in the lookback window (var incremental_lookback_days
-- before the latest event built), and a tombstone per event that is gone (quarantined
-- or no longer delivered: its ticket_event_id, every other column NULL), which the
-- post-hook deletes. The rows left alone equal a full build's. A change to this
-- model's SQL still needs --full-refresh.
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
        {{ event_columns | join(',\n        ') }}
    from {{ this }}
),

lookback as (
    -- late data: events this close to the latest event built are always rewritten
    {{ incremental_lookback('built_events', 'created_at') }}
),

gone_events as (
    -- quarantined or no longer delivered since the last run (ticket_id is never NULL
    -- but in their tombstones)
    select built_events.ticket_event_id
    from built_events
    left join final
        on built_events.ticket_event_id = final.ticket_event_id
    where final.ticket_event_id is null
),

-- the events new or different since the last run or in the lookback window, and the
-- tombstones
written_events as (
    {{ incremental_rows_to_write(
        'final', 'built_events', 'gone_events', 'ticket_event_id', event_columns, 'created_at'
    ) }}
)

select * from written_events

{%- else %}

select * from final

{%- endif %}
