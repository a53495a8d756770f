{#- The person key of the marts: a salted hash, so that no email or contact id leaves
    the warehouse in clear. kind is 'contact' (key = a CRM contact_id) or 'email'
    (key = a normalised email that matches no contact). Same salt and key, same id. -#}
{% macro salted_person_id(kind, key_expression) -%}
    {%- set salt = (var('person_salt') | string) | replace("'", "''") -%}
    {{ dbt.hash(dbt.concat(["'" ~ salt ~ "'", "'" ~ kind ~ ":'", key_expression])) }}
{%- endmacro %}
