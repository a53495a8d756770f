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

SYSTEMS: tuple[str, ...] = ("crm", "ticketing", "survey")
FILE_FORMATS: tuple[str, ...] = ("csv", "parquet")


def table(qualified: str) -> Table:
    """Look a table up by `system.table`."""
    for t in TABLES:
        if t.qualified == qualified:
            return t
    raise KeyError(f"no raw table {qualified!r} in the contract")
