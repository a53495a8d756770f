"""The raw data contract (docs/contract.md) as data.

One place that names every raw table and column, so that the loader, the demo generator and
the tests agree. The contract is an interface: change it only by adding optional columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text | timestamp | date | decimal | boolean
    required: bool = True  # the column must be present in the file (values may still be null)


@dataclass(frozen=True)
class Table:
    system: str
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def qualified(self) -> str:
        """`system.table`, as used in messages and summaries."""
        return f"{self.system}.{self.name}"

    @property
    def raw_schema(self) -> str:
        return f"raw_{self.system}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _t(system: str, name: str, key: tuple[str, ...], *cols: tuple) -> Table:
    return Table(system, name, key, tuple(Column(*c) for c in cols))


TABLES: tuple[Table, ...] = (
    _t(
        "crm",
        "accounts",
        ("account_id",),
        ("account_id", "text"),
        ("account_name", "text"),
        ("segment", "text"),
        ("country", "text"),
        ("created_at", "timestamp"),
    ),
    _t(
        "crm",
        "contacts",
        ("contact_id",),
        ("contact_id", "text"),
        ("account_id", "text"),
        ("email", "text"),
        ("full_name", "text"),
        ("phone", "text", False),
        ("is_billing_contact", "boolean"),
        ("created_at", "timestamp"),
    ),
    _t(
        "crm",
        "orders",
        ("order_id",),
        ("order_id", "text"),
        ("account_id", "text"),
        ("contact_id", "text"),
        ("order_type", "text"),
        ("ordered_at", "timestamp"),
        ("amount", "decimal"),
        ("currency", "text"),
        ("channel", "text"),
    ),
    _t(
        "crm",
        "invoices",
        ("invoice_id",),
        ("invoice_id", "text"),
        ("account_id", "text"),
        ("order_id", "text"),
        ("issued_at", "timestamp"),
        ("due_at", "timestamp"),
        ("paid_at", "timestamp"),
        ("amount", "decimal"),
        ("is_disputed", "boolean"),
    ),
    _t(
        "ticketing",
        "tickets",
        ("ticket_id",),
        ("ticket_id", "text"),
        ("requester_email", "text"),
        ("channel", "text"),
        ("category", "text"),
        ("root_cause", "text"),
        ("priority", "text"),
        ("status", "text"),
        ("created_at", "timestamp"),
        ("solved_at", "timestamp"),
    ),
    _t(
        "ticketing",
        "ticket_events",
        ("event_id",),
        ("event_id", "text"),
        ("ticket_id", "text"),
        ("event_type", "text"),
        ("author_role", "text"),
        ("channel", "text"),
        ("created_at", "timestamp"),
    ),
    _t(
        "survey",
        "surveys",
        ("survey_id",),
        ("survey_id", "text"),
        ("survey_name", "text"),
        ("survey_kind", "text"),
        ("touchpoint_code", "text"),
    ),
    _t(
        "survey",
        "questions",
        ("question_id",),
        ("question_id", "text"),
        ("survey_id", "text"),
        ("measure", "text"),
        ("factor", "text"),
        ("question_text", "text"),
    ),
    _t(
        "survey",
        "responses",
        ("response_id",),
        ("response_id", "text"),
        ("survey_id", "text"),
        ("respondent_email", "text"),
        ("ticket_id", "text"),
        ("order_id", "text"),
        ("channel", "text"),
        ("submitted_at", "timestamp"),
    ),
    _t(
        "survey",
        "answers",
        ("response_id", "question_id"),
        ("response_id", "text"),
        ("question_id", "text"),
        ("numeric_value", "decimal"),
        ("text_value", "text"),
    ),
)

# Optional support-operations tables (issue 16). Kept out of TABLES so that a delivery without
# them is exactly as before; dbt reads them through the optional_source macro, which gives zero
# rows when the raw table does not exist. schedules: one row per weekly business-hour interval
# (weekday 0 = Monday .. 6 = Sunday, local 'HH:MM' times in the IANA time_zone, end_time may be
# '24:00'); a schedule that changes gets new rows with a later valid_from date.
OPTIONAL_TABLES: tuple[Table, ...] = (
    _t(
        "ticketing",
        "schedules",
        ("schedule_id", "valid_from", "weekday", "start_time"),
        ("schedule_id", "text"),
        ("time_zone", "text"),
        ("weekday", "decimal"),
        ("start_time", "text"),
        ("end_time", "text"),
        ("valid_from", "date"),
    ),
    _t(
        "ticketing",
        "holidays",
        ("schedule_id", "holiday_date"),
        ("schedule_id", "text"),
        ("holiday_date", "date"),
        ("name", "text", False),
    ),
    _t(
        "ticketing",
        "sla_policies",
        ("policy_id", "metric"),
        ("policy_id", "text"),
        ("priority", "text"),
        ("tier", "text", False),
        ("metric", "text"),  # first_reply | next_reply | requester_wait | agent_work | resolution
        ("target_minutes", "decimal"),
        ("in_business_hours", "boolean"),
    ),
)

# Optional columns of contract tables (issue 16): read when the file has them (the loader keeps
# extra columns), NULL otherwise (dbt macro optional_column). Ids are pseudonymous.
OPTIONAL_COLUMNS: dict[str, tuple[Column, ...]] = {
    "ticketing.tickets": (
        Column("assignee_id", "text", False),
        Column("group_id", "text", False),
        Column("schedule_id", "text", False),
    ),
    "ticketing.ticket_events": (
        Column("author_id", "text", False),
        Column("new_status", "text", False),  # the status a status_change event sets
    ),
}

SYSTEMS: tuple[str, ...] = ("crm", "ticketing", "survey")
FILE_FORMATS: tuple[str, ...] = ("csv", "parquet")


def table(qualified: str) -> Table:
    """Look a table up by `system.table`."""
    for t in (*TABLES, *OPTIONAL_TABLES):
        if t.qualified == qualified:
            return t
    raise KeyError(f"no raw table {qualified!r} in the contract")
