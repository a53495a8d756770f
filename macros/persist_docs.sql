{#- The descriptions of a model or seed as COMMENTs on DuckDB (persist_docs, dbt_project.yml),
    the same comments as dbt's own macros write, with fewer statements per node. dbt's
    default (default__persist_docs with dbt-duckdb's duckdb__alter_column_comment) runs the
    relation comment as one query, lists the relation's columns twice (DESCRIBE, each call
    through the adapter building a macro context of its own, ~10 ms) and runs the column
    comments as another query: four statements for every model and seed. This runs the
    relation and column comments as one statement, and lists the columns once, in this
    macro's context, or not at all for a table whose contract is enforced: its columns were
    checked against the documented ones when it was created (dbt stops the build
    otherwise), so the documented columns are the table's. The columns commented are dbt's:
    the documented ones present in the relation (names compared as dbt-duckdb does; dbt's
    warning names those that are missing). Overrides dbt's dispatch of `persist_docs` on
    DuckDB only; PostgreSQL and Spark keep dbt's own. -#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
    {%- set statements = [] -%}
    {%- if for_relation and config.persist_relation_docs() and model.description -%}
        {%- do statements.append(alter_relation_comment(relation, model.description)) -%}
    {%- endif -%}
    {%- if for_columns and config.persist_column_docs() and model.columns -%}
        {%- set contract = config.get('contract') -%}
        {%- if contract and contract.enforced and config.get('materialized') == 'table' -%}
            {%- set documented = model.columns -%}
        {%- else -%}
            {#- dbt-duckdb's statement of adapter.get_columns_in_relation -#}
            {%- set described = run_query(
                "select column_name from (describe " ~ relation.render() ~ ")"
            ) -%}
            {%- set existing = described.columns[0].values() | list -%}
            {%- set valid = validate_doc_columns(relation, model.columns, existing) -%}
            {%- set documented = {} -%}
            {%- for column_name in valid if column_name in existing -%}
                {%- do documented.update({column_name: valid[column_name]}) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- for column_name in documented -%}
            {%- set column = documented[column_name] -%}
            {%- set name = adapter.quote(column_name) if column['quote'] else column_name -%}
            {%- do statements.append(
                "comment on column " ~ relation ~ "." ~ name ~ " is "
                ~ duckdb_escape_comment(column['description']) ~ ";"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if statements -%}
        {%- do run_query(statements | map('trim') | join('\n')) -%}
    {%- endif -%}
{%- endmacro %}
