{#- The text every engine accepts as a timestamp (a regular expression, anchored): ISO 8601
    `YYYY-MM-DD`, optionally `T` or a space, `hh:mm[:ss[.ffffff]]` and an offset (`Z`, `+hh`,
    `+hhmm`, `+hh:mm`). Each engine's parser accepts other forms too (time zone names,
    single-digit months, `24:00`, leap seconds, lower-case `t`/`z`) and they disagree on
    them; gating on one pattern makes try_cast_timestamp give the same answer everywhere.
    Impossible dates that match (February 30) are left to the parser, which rejects them on
    every engine. No backslashes, so it is the same literal in every SQL dialect.
    The one rule for "parseable timestamp": the DuckDB loader reads this pattern from this
    file (ingest/timestamps.py) to create raw_meta.is_timestamp(), which the raw Great
    Expectations suites call, so the raw gate and staging agree on every value. Keep the
    macro body a single literal without quotes. -#}
{% macro iso_timestamp_pattern() -%}
    ^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$
{%- endmacro %}
