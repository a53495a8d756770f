{#- Generic test: a model's key and several column rules checked in ONE query, one dbt node.
    Arguments (every one optional, at least one check needed):
    - `key_columns`: the model's primary key. Each key column not null (unless
      `key_not_null: false`), and no two rows share the key: duplicates are counted among the
      rows whose key columns are all non-null (for one column exactly dbt's `unique` +
      `not_null`); with `key_not_null: false`, among all rows, NULLs comparing equal (as
      `unique_combination_of_columns`).
    - `unique_keys`: other column combinations that must be unique; each a list of columns or
      {columns: [...], where: <condition on the model's rows>}; NULLs compare equal.
    - `rules`: a list of mappings, one per column: {column: <name>, not_null: true,
      accepted_values: [...], quote: true, min_value: <n>, max_value: <n>,
      relationships: {to: ref('<parent>'), field: <column>}} (accepted_values, the range and
      relationships skip NULLs, as the tests `accepted_values`, `within_range` and
      `relationships` do).
    - `key_column`: a key to name each failing row by when `key_columns` is not given.
    The rules and the key's not-null are one scan of the model (left-joined to the distinct
    values of each relationships parent); each unique combination is one group-by.
    Returns one row per failure: column_name (the column, or the key's columns joined by
    ", "), rule_name (not_null, accepted_values, within_range, relationships or unique),
    failing_value (as text; for unique, the duplicated combination) and row_key (the failing
    row's key as text, the parts of a composite key joined by " | ", NULL shown as null; for
    a duplicated primary key, that key); fails when any row is returned, so the failure count
    is the number of (row, rule) failures plus the number of duplicated combinations. -#}
{% test column_rules(model, rules=[], key_column=none, key_columns=none, key_not_null=true, unique_keys=[]) -%}
    {%- set known = [
        'column', 'not_null', 'accepted_values', 'quote', 'min_value', 'max_value', 'relationships',
    ] -%}
    {%- set checks = [] -%}
    {%- set parents = [] -%}
    {%- set combinations = [] -%}
    {%- if key_columns is not none -%}
        {%- if key_columns is string or key_columns | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "column_rules on " ~ model ~ ": `key_columns` must be a list of column names") }}
        {%- endif -%}
        {%- do combinations.append({
            'columns': key_columns,
            'where': none,
            'is_key': true,
        }) -%}
        {%- if key_not_null -%}
            {%- for column in key_columns -%}
                {%- do checks.append({
                    'column': column,
                    'rule': 'not_null',
                    'condition': column ~ ' is null',
                }) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- for unique_key in unique_keys -%}
        {%- if unique_key is mapping -%}
            {%- do combinations.append({
                'columns': unique_key['columns'],
                'where': unique_key.get('where'),
                'is_key': false,
            }) -%}
        {%- else -%}
            {%- do combinations.append({'columns': unique_key, 'where': none, 'is_key': false}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for rule in rules -%}
        {%- set column = rule['column'] -%}
        {%- if column is none -%}
            {{ exceptions.raise_compiler_error(
                "column_rules on " ~ model ~ ": every rule needs a `column` (rule " ~ loop.index ~ ")") }}
        {%- endif -%}
        {%- for name in rule -%}
            {%- if name not in known -%}
                {{ exceptions.raise_compiler_error(
                    "column_rules on " ~ model ~ ", column " ~ column ~ ": unknown rule `" ~ name
                    ~ "` (known: " ~ known | join(', ') ~ ")") }}
            {%- endif -%}
        {%- endfor -%}
        {%- if rule.get('not_null', false) -%}
            {%- do checks.append({
                'column': column,
                'rule': 'not_null',
                'condition': column ~ ' is null',
            }) -%}
        {%- endif -%}
        {%- if rule.get('accepted_values') is not none -%}
            {%- set quoted = [] -%}
            {%- for value in rule['accepted_values'] -%}
                {%- if rule.get('quote', true) -%}
                    {%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
                {%- else -%}
                    {%- do quoted.append(value | string) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do checks.append({
                'column': column,
                'rule': 'accepted_values',
                'condition': column ~ ' is not null and ' ~ column ~ ' not in (' ~ quoted | join(', ') ~ ')',
            }) -%}
        {%- endif -%}
        {%- set bounds = [] -%}
        {%- if rule.get('min_value') is not none -%}
            {%- do bounds.append(column ~ ' < ' ~ rule['min_value']) -%}
        {%- endif -%}
        {%- if rule.get('max_value') is not none -%}
            {%- do bounds.append(column ~ ' > ' ~ rule['max_value']) -%}
        {%- endif -%}
        {%- if bounds -%}
            {%- do checks.append({
                'column': column,
                'rule': 'within_range',
                'condition': column ~ ' is not null and (' ~ bounds | join(' or ') ~ ')',
            }) -%}
        {%- endif -%}
        {%- if rule.get('relationships') is not none -%}
            {%- set reference = rule['relationships'] -%}
            {%- if reference.get('to') is none or reference.get('field') is none -%}
                {{ exceptions.raise_compiler_error(
                    "column_rules on " ~ model ~ ", column " ~ column
                    ~ ": `relationships` needs `to` and `field`") }}
            {%- endif -%}
            {%- set parent_value = 'parent_value_' ~ (parents | length + 1) -%}
            {%- do parents.append({
                'column': column,
                'to': reference['to'],
                'field': reference['field'],
                'alias': 'parent_' ~ (parents | length + 1),
                'value': parent_value,
            }) -%}
            {%- do checks.append({
                'column': column,
                'rule': 'relationships',
                'condition': column ~ ' is not null and ' ~ parent_value ~ ' is null',
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not checks and not combinations -%}
        {{ exceptions.raise_compiler_error("column_rules on " ~ model ~ ": no rule given") }}
    {%- endif -%}
    {%- set row_key_columns = key_columns if key_columns is not none
        else ([key_column] if key_column is not none else []) -%}
    {%- set failure_parts = [] %}

with

{%- for parent in parents %}

{{ parent['alias'] }} as (
    -- the distinct values of the parent's field (rows of the model are not multiplied)
    select distinct {{ parent['field'] }} as {{ parent['value'] }}
    from {{ parent['to'] }}
),
{%- endfor %}
{%- if checks %}

flagged as (
    -- the one scan: each row's rule results, only for rows that break at least one rule
    select
        {{ column_rules_key_text(row_key_columns) }} as row_key,
        {%- for check in checks %}
        case when {{ check['condition'] }} then 1 else 0 end as broken_{{ loop.index }},
        cast({{ check['column'] }} as {{ dbt.type_string() }}) as value_{{ loop.index }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
    {%- for parent in parents %}
    left join {{ parent['alias'] }}
        on {{ parent['column'] }} = {{ parent['alias'] }}.{{ parent['value'] }}
    {%- endfor %}
    where
        {%- for check in checks %}
        {% if not loop.first %}or {% endif %}({{ check['condition'] }})
        {%- endfor %}
),

rule_list as (
    {%- for check in checks %}
    select
        {{ loop.index }} as rule_index,
        '{{ check["column"] }}' as column_name,
        '{{ check["rule"] }}' as rule_name
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

rule_failures as (
    select
        rule_list.column_name,
        rule_list.rule_name,
        case rule_list.rule_index
            {%- for check in checks %}
            when {{ loop.index }} then flagged.value_{{ loop.index }}
            {%- endfor %}
        end as failing_value,
        flagged.row_key
    from flagged
    cross join rule_list
    where
        case rule_list.rule_index
            {%- for check in checks %}
            when {{ loop.index }} then flagged.broken_{{ loop.index }}
            {%- endfor %}
        end = 1
),
{%- do failure_parts.append('rule_failures') %}
{%- endif %}
{%- for combination in combinations %}
    {%- set columns = combination['columns'] %}
    {%- set conditions = [] %}
    {%- if combination['is_key'] and key_not_null %}
        {%- for column in columns %}
            {%- do conditions.append(column ~ ' is not null') %}
        {%- endfor %}
    {%- endif %}
    {%- if combination['where'] is not none %}
        {%- do conditions.append('(' ~ combination['where'] ~ ')') %}
    {%- endif %}

duplicated_{{ loop.index }} as (
    -- {{ 'the primary key' if combination['is_key'] else 'a unique combination' }}: one row per value held by more than one row
    select
        '{{ columns | join(", ") }}' as column_name,
        'unique' as rule_name,
        {{ column_rules_key_text(columns) }} as failing_value,
        {% if combination['is_key'] -%}
        {{ column_rules_key_text(columns) }}
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as row_key
    from {{ model }}
    {%- if conditions %}
    where {{ conditions | join(' and ') }}
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
),
{%- do failure_parts.append('duplicated_' ~ loop.index) %}
{%- endfor %}

failures as (
    {%- for part in failure_parts %}
    select
        column_name,
        rule_name,
        failing_value,
        row_key
    from {{ part }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from failures

{%- endtest %}


{#- The text of a (possibly composite) key: one column cast to text (NULL stays NULL); several
    joined by " | ", a NULL part shown as `null`; no column: a NULL text. -#}
{% macro column_rules_key_text(columns) -%}
    {%- if columns | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif columns | length == 1 -%}
        cast({{ columns[0] }} as {{ dbt.type_string() }})
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in columns -%}
            {%- if not loop.first -%}{%- do parts.append("' | '") -%}{%- endif -%}
            {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'null')") -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}
