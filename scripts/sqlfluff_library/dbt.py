"""dbt's cross-database macros (`dbt.dateadd`, `dbt.type_string()` ...) for sqlfluff's jinja
templater: each renders the SQL dbt-duckdb would, so that sqlfluff lints the model as DuckDB
runs it without compiling the dbt project (see [tool.sqlfluff] in pyproject.toml)."""

from __future__ import annotations


def dateadd(datepart: str, interval: object, from_date_or_timestamp: str) -> str:
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"


def date_spine(datepart: str, start_date: str, end_date: str) -> str:
    return (
        f"select cast(unnest(generate_series({start_date}, {end_date}, interval 1 {datepart}))"
        f" as date) as date_{datepart}"
    )


def concat(fields: list[str]) -> str:
    return f"concat({', '.join(fields)})"


def hash(field: str) -> str:  # noqa: A001 (dbt's name)
    return f"md5(cast({field} as varchar))"


def safe_cast(field: str, type: str) -> str:  # noqa: A002 (dbt's name)
    return f"try_cast({field} as {type})"


def type_string() -> str:
    return "varchar"


def type_float() -> str:
    return "float"


def type_timestamp() -> str:
    return "timestamp"


def type_int() -> str:
    return "integer"


def type_bigint() -> str:
    return "bigint"


def split_part(string_text: str, delimiter_text: str, part_number: int) -> str:
    return f"split_part({string_text}, {delimiter_text}, {part_number})"
