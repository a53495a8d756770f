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
{{ config(**incremental_fact_config('ticket_event_id', tombstone_column='ticket_id')) }}

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

{{ incremental_fact_rows('ticket_event_id', event_columns, 'created_at') }}
