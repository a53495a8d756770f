{#- Generic test: several column rules of one model checked in ONE scan of the model.
    `rules` is a list of mappings, one per column: {column: <name>, not_null: true,
    accepted_values: [...], quote: true, min_value: <n>, max_value: <n>}; give any of the
    rules (accepted_values and the range skip NULLs, as the tests `accepted_values` and
    `within_range` do). `key_column` (optional) names the model's key, returned with each
    failure. Returns one row per failing value and rule: column_name, rule_name (not_null,
    accepted_values or within_range), failing_value (as text) and row_key; fails when any
    row is returned, so the failure count is the number of (row, rule) failures. -#}
{% test column_rules(model, rules, key_column=none) -%}
    {%- set checks = [] -%}
    {%- for rule in rules -%}
        {%- set column = rule['column'] -%}
        {%- if column is none -%}
            {{ exceptions.raise_compiler_error(
                "column_rules on " ~ model ~ ": every rule needs a `column` (rule " ~ loop.index ~ ")") }}
        {%- endif -%}
        {%- set known = ['column', 'not_null', 'accepted_values', 'quote', 'min_value', 'max_value'] -%}
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
    {%- endfor -%}
    {%- if not checks -%}
        {{ exceptions.raise_compiler_error("column_rules on " ~ model ~ ": no rule given") }}
    {%- endif %}

with

flagged as (
    -- the one scan: each row's rule results, only for rows that break at least one rule
    select
        {%- if key_column is not none %}
        cast({{ key_column }} as {{ dbt.type_string() }}) as row_key,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as row_key,
        {%- endif %}
        {%- for check in checks %}
        case when {{ check['condition'] }} then 1 else 0 end as broken_{{ loop.index }},
        cast({{ check['column'] }} as {{ dbt.type_string() }}) as value_{{ loop.index }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
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

failures as (
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
)

select * from failures

{%- endtest %}
