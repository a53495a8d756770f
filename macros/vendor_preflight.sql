{#- Run at the start of every dbt invocation (on-run-start): for every system read from a
    vendor (vars crm_source, ticketing_source, survey_source), check that each connector's
    schema holds every table of the vendor's dbt source and, in it, the columns listed in
    the table's `meta.required_columns` (a table with `meta.optional` may be absent). Stops with one line naming the database, schema,
    table and column, instead of a missing-relation error deep in a model. Returns
    `select 1`. -#}
{% macro vendor_preflight() -%}
    {%- if execute -%}
        {%- set vendors = [] -%}
        {%- for system in ['crm', 'ticketing', 'survey'] -%}
            {%- set chosen = var(system ~ '_source', 'contract') -%}
            {%- if chosen != 'contract' and chosen not in vendors -%}
                {%- do vendors.append(chosen) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for vendor in vendors -%}
            {%- set tables = graph.sources.values()
                | selectattr('source_name', 'equalto', vendor) | list -%}
            {%- if tables | length == 0 -%}
                {%- do exceptions.raise_compiler_error(
                    "no adapter for source '" ~ vendor ~ "': set crm_source, "
                    ~ "ticketing_source and survey_source to contract or a vendor of "
                    ~ "models/adapters/ (see docs/sources.md)") -%}
            {%- endif -%}
            {%- for connector in vendor_connectors(vendor) -%}
                {%- for table in tables -%}
                    {%- set relation = adapter.get_relation(
                        database=connector['database'] if target.type != 'spark' else none,
                        schema=connector['schema'],
                        identifier=table.identifier or table.name,
                    ) -%}
                    {%- set where = "vendor schema " ~ connector['schema']
                        ~ " (connector " ~ connector['name'] ~ ", database "
                        ~ connector['database'] ~ ")" -%}
                    {%- if relation is none and table.meta.get('optional') -%}
                        {#- a table some connector versions do not land (meta.optional):
                            the adapter reads it only when present -#}
                    {%- elif relation is none -%}
                        {%- do exceptions.raise_compiler_error(
                            where ~ ": table " ~ connector['schema'] ~ "." ~ table.name
                            ~ " is missing; the " ~ vendor ~ " adapter reads it (set var "
                            ~ vendor ~ "_schema or " ~ vendor ~ "_connectors)") -%}
                    {%- endif -%}
                    {%- set present = [] -%}
                    {%- for column in (adapter.get_columns_in_relation(relation)
                        if relation is not none else []) -%}
                        {%- do present.append(column.name | lower) -%}
                    {%- endfor -%}
                    {%- for column in (table.meta.get('required_columns', [])
                        if relation is not none else []) -%}
                        {%- if column | lower not in present -%}
                            {%- do exceptions.raise_compiler_error(
                                where ~ ": table " ~ connector['schema'] ~ "." ~ table.name
                                ~ " has no column " ~ column ~ "; the " ~ vendor
                                ~ " adapter needs it") -%}
                        {%- endif -%}
                    {%- endfor -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
