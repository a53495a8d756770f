{#- Seeds on Spark. dbt-spark's own version binds every value as '<value>' (session
    method): a blank cell becomes the text 'None' (or fails its cast) and a quote breaks the
    statement. Same statements, with the literals written here: blank -> null, text escaped
    for Spark string literals, numbers and booleans bare. Found by dispatch (root project
    first), so nothing calls it by name. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) %}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        {%- set literal = 'null' -%}
                    {%- elif value is boolean -%}
                        {%- set literal = 'true' if value else 'false' -%}
                    {%- elif value is number -%}
                        {%- set literal = value | string -%}
                    {%- else -%}
                        {%- set literal = "'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'" -%}
                    {%- endif -%}
                    cast({{ literal }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                )
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset %}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor %}
    {#- the SQL of the first batch, rendered into the compiled seed file -#}
    {{ return(statements[0]) }}
{% endmacro %}
