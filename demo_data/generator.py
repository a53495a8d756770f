"""Demo data generator: a synthetic landing folder that meets the raw data contract.

`generate()` writes one file per raw table (`<landing>/<system>/<table>.csv` or `.parquet`) with
realistic, messy and partly broken rows, and plants known truths (`PLANTED`) that the warehouse
must rediscover: a billing hotspot concentrated on the top-revenue accounts, and one channel
(`social`) with clearly lower CSAT. Everything is vectorised with numpy / pyarrow (no Python loop
per row) and deterministic for a given seed: the same arguments give byte-identical files.

See docs/demo_data.md for what is generated, the planted truths and the bad-row reasons.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

__all__ = [
    "BAD_ROW_REASONS",
    "CONTRACT",
    "PLANTED",
    "GenerationResult",
    "PlantedTruth",
    "generate",
]

DAY = 86_400.0
HOUR = 3_600.0
MINUTE = 60.0
YEAR = 365.0 * DAY

# --------------------------------------------------------------------------------------------
# The contract: tables, columns in contract order, and the Arrow type each column is written as.
# Timestamps are ISO 8601 *text* in both formats (so offsets and unparseable values survive);
# booleans are booleans, money is decimal(14, 2), answer values are doubles.
# --------------------------------------------------------------------------------------------
_S, _TS, _B, _M, _F = "text", "timestamp", "boolean", "money", "double"
_ARROW = {
    _S: pa.string(),
    _TS: pa.string(),
    _B: pa.bool_(),
    _M: pa.decimal128(14, 2),
    _F: pa.float64(),
}

# fmt: off
CONTRACT: dict[str, list[tuple[str, str]]] = {
    "crm.accounts": [
        ("account_id", _S), ("account_name", _S), ("segment", _S), ("country", _S),
        ("created_at", _TS),
    ],
    "crm.contacts": [
        ("contact_id", _S), ("account_id", _S), ("email", _S), ("full_name", _S), ("phone", _S),
        ("is_billing_contact", _B), ("created_at", _TS),
    ],
    "crm.orders": [
        ("order_id", _S), ("account_id", _S), ("contact_id", _S), ("order_type", _S),
        ("ordered_at", _TS), ("amount", _M), ("currency", _S), ("channel", _S),
    ],
    "crm.invoices": [
        ("invoice_id", _S), ("account_id", _S), ("order_id", _S), ("issued_at", _TS),
        ("due_at", _TS), ("paid_at", _TS), ("amount", _M), ("is_disputed", _B),
    ],
    "ticketing.tickets": [
        ("ticket_id", _S), ("requester_email", _S), ("channel", _S), ("category", _S),
        ("root_cause", _S), ("priority", _S), ("status", _S), ("created_at", _TS),
        ("solved_at", _TS),
    ],
    "ticketing.ticket_events": [
        ("event_id", _S), ("ticket_id", _S), ("event_type", _S), ("author_role", _S),
        ("channel", _S), ("created_at", _TS),
    ],
    "survey.surveys": [
        ("survey_id", _S), ("survey_name", _S), ("survey_kind", _S), ("touchpoint_code", _S),
    ],
    "survey.questions": [
        ("question_id", _S), ("survey_id", _S), ("measure", _S), ("factor", _S),
        ("question_text", _S),
    ],
    "survey.responses": [
        ("response_id", _S), ("survey_id", _S), ("respondent_email", _S), ("ticket_id", _S),
        ("order_id", _S), ("channel", _S), ("submitted_at", _TS),
    ],
    "survey.answers": [
        ("response_id", _S), ("question_id", _S), ("numeric_value", _F), ("text_value", _S),
    ],
}

# Bad-row reasons planted per table (each bad row breaks exactly one rule).
BAD_ROW_REASONS: dict[str, tuple[str, ...]] = {
    "crm.accounts": ("missing_key", "duplicate_key", "invalid_timestamp"),
    "crm.contacts": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "crm.orders": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "crm.invoices": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "ticketing.tickets": ("missing_key", "duplicate_key", "invalid_timestamp"),
    "ticketing.ticket_events": (
        "missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference",
    ),
    "survey.surveys": ("missing_key", "duplicate_key"),
    "survey.questions": ("missing_key", "duplicate_key", "orphan_reference"),
    "survey.responses": ("missing_key", "duplicate_key", "invalid_timestamp", "orphan_reference"),
    "survey.answers": ("missing_key", "duplicate_key", "score_out_of_range", "orphan_reference"),
}

# fmt: on
# Values no engine parses as a timestamp (DuckDB try_cast, the PostgreSQL UDF, Spark):
# impossible months / days / hours, or words. Words that PostgreSQL or DuckDB *do* read
# ('now', 'epoch', 'infinity') are avoided; 'yesterday' is only safe because the loaders demand
# a leading date. Strings CSV readers take for NULL by default ('n/a', 'NA', 'null') are
# avoided too: pyarrow reads them as NULL even when quoted.
_BAD_TIMESTAMPS = (
    "2026-13-45T99:00",
    "yesterday",
    "2026-02-30T10:00:00Z",
    "31/02/2026 25:61",
    "TBD",
    "2026-06-31T08:00:00Z",
    "soon",
)

# --------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------
# fmt: off
SEGMENTS = ("enterprise", "smb", "consumer")
_SEG_P = (0.06, 0.30, 0.64)

# code, weight, phone prefix, company suffix, top-level domain
_COUNTRIES = (
    ("US", 22, "+1", "Inc.", "com"), ("GB", 10, "+44", "Ltd", "co.uk"),
    ("DE", 10, "+49", "GmbH", "de"), ("FR", 7, "+33", "SAS", "fr"),
    ("ES", 8, "+34", "S.L.", "es"), ("IT", 5, "+39", "S.r.l.", "it"),
    ("NL", 4, "+31", "B.V.", "nl"), ("MX", 5, "+52", "S.A. de C.V.", "mx"),
    ("BR", 5, "+55", "Ltda.", "com.br"), ("CA", 4, "+1", "Inc.", "ca"),
    ("AU", 3, "+61", "Pty Ltd", "com.au"), ("SE", 2, "+46", "AB", "se"),
    ("PL", 2, "+48", "sp. z o.o.", "pl"), ("PT", 2, "+351", "Lda.", "pt"),
    ("IE", 2, "+353", "Ltd", "ie"), ("CH", 2, "+41", "AG", "ch"),
    ("AR", 2, "+54", "S.A.", "com.ar"), ("CO", 2, "+57", "S.A.S.", "co"),
    ("CL", 1, "+56", "SpA", "cl"), ("JP", 2, "+81", "K.K.", "jp"),
    ("IN", 2, "+91", "Pvt Ltd", "in"),
)
_COMPANY_PREFIX = (
    ("Northwind", "northwind"), ("Acme", "acme"), ("Globex", "globex"), ("Initech", "initech"),
    ("Umbrella", "umbrella"), ("Stark", "stark"), ("Wayne", "wayne"), ("Tyrell", "tyrell"),
    ("Cyberdyne", "cyberdyne"), ("Hooli", "hooli"), ("Vandelay", "vandelay"),
    ("Aperture", "aperture"), ("Monarch", "monarch"), ("Oceanic", "oceanic"),
    ("Sterling", "sterling"), ("Blue Harbor", "blueharbor"), ("Silver Peak", "silverpeak"),
    ("Red Mesa", "redmesa"), ("Nordlicht", "nordlicht"), ("Sol y Mar", "solymar"),
    ("Rivière", "riviere"), ("Kaiser", "kaiser"), ("Atlas", "atlas"), ("Orion", "orion"),
    ("Zenith", "zenith"), ("Meridian", "meridian"), ("Quantum", "quantum"),
    ("Pinecrest", "pinecrest"), ("Lumen", "lumen"), ("Andes", "andes"), ("Fjord", "fjord"),
    ("Sakura", "sakura"), ("Ganges", "ganges"), ("Bravo", "bravo"), ("Halcyon", "halcyon"),
)
_COMPANY_CORE = (
    ("Logistics", "logistics"), ("Foods", "foods"), ("Health", "health"),
    ("Energy", "energy"), ("Retail", "retail"), ("Software", "software"),
    ("Manufacturing", "mfg"), ("Media", "media"), ("Travel", "travel"),
    ("Insurance", "insurance"), ("Telecom", "telecom"), ("Consulting", "consulting"),
    ("Construction", "construction"), ("Pharma", "pharma"), ("Textiles", "textiles"),
    ("Automotive", "auto"), ("Analytics", "analytics"), ("Hotels", "hotels"),
)
# Names with commas, quotes, ampersands and accents exercise CSV quoting and UTF-8.
_QUIRKY_COMPANIES = (
    "Smith, Jones & Co", 'The "Best" Widgets Ltd', "Café Olé, S.L.", "Müller & Söhne GmbH",
    "O'Brien Brothers", "Ñandú Servicios, S.A.", "Østergaard ApS", "Łódź Tech sp. z o.o.",
)
_FIRST = (
    ("James", "james"), ("Mary", "mary"), ("John", "john"), ("Patricia", "patricia"),
    ("Robert", "robert"), ("Jennifer", "jennifer"), ("Michael", "michael"), ("Linda", "linda"),
    ("David", "david"), ("Elizabeth", "elizabeth"), ("María", "maria"), ("José", "jose"),
    ("Lucía", "lucia"), ("Javier", "javier"), ("Sofía", "sofia"), ("Carmen", "carmen"),
    ("Pedro", "pedro"), ("Ana", "ana"), ("Jürgen", "juergen"), ("Lena", "lena"),
    ("Lukas", "lukas"), ("Anna", "anna"), ("Felix", "felix"), ("Émilie", "emilie"),
    ("Léa", "lea"), ("Hugo", "hugo"), ("Chloé", "chloe"), ("Luca", "luca"),
    ("Giulia", "giulia"), ("Marco", "marco"), ("Francesca", "francesca"), ("João", "joao"),
    ("Beatriz", "beatriz"), ("Thiago", "thiago"), ("Sven", "sven"), ("Ingrid", "ingrid"),
    ("Søren", "soren"), ("Aoife", "aoife"), ("Siobhán", "siobhan"), ("Zoë", "zoe"),
    ("Priya", "priya"), ("Arjun", "arjun"), ("Yuki", "yuki"), ("Haruto", "haruto"),
    ("Wei", "wei"), ("Mei", "mei"), ("Olga", "olga"), ("Piotr", "piotr"),
    ("Agnieszka", "agnieszka"), ("Fatima", "fatima"), ("Omar", "omar"), ("Aisha", "aisha"),
    ("Noah", "noah"), ("Emma", "emma"), ("Liam", "liam"), ("Olivia", "olivia"),
    ("Ethan", "ethan"), ("Ava", "ava"), ("Mateo", "mateo"), ("Valentina", "valentina"),
)
_LAST = (
    ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"),
    ("Jones", "jones"), ("Miller", "miller"), ("Davis", "davis"), ("García", "garcia"),
    ("Rodríguez", "rodriguez"), ("Martínez", "martinez"), ("López", "lopez"),
    ("González", "gonzalez"), ("Pérez", "perez"), ("Müller", "mueller"), ("Schmidt", "schmidt"),
    ("Schneider", "schneider"), ("Fischer", "fischer"), ("Weber", "weber"),
    ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"),
    ("Lefèvre", "lefevre"), ("Rossi", "rossi"), ("Russo", "russo"), ("Ferrari", "ferrari"),
    ("Silva", "silva"), ("Santos", "santos"), ("Oliveira", "oliveira"),
    ("Andersson", "andersson"), ("Johansson", "johansson"), ("Nielsen", "nielsen"),
    ("Kowalski", "kowalski"), ("Nowak", "nowak"), ("O'Brien", "obrien"), ("Murphy", "murphy"),
    ("Kelly", "kelly"), ("Tanaka", "tanaka"), ("Suzuki", "suzuki"), ("Sato", "sato"),
    ("Patel", "patel"), ("Sharma", "sharma"), ("Singh", "singh"), ("Kim", "kim"),
    ("Lee", "lee"), ("Chen", "chen"), ("Wang", "wang"), ("Nguyen", "nguyen"),
    ("van der Berg", "vanderberg"), ("de Jong", "dejong"), ("Novák", "novak"),
    ("Yılmaz", "yilmaz"), ("Haddad", "haddad"), ("Costa", "costa"), ("Ramírez", "ramirez"),
)
_FREEMAIL = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "gmx.de",
             "hotmail.es", "orange.fr")

# Canonical channels (contract table) and the raw codes written for each, with weights.
# Variants in case and surrounding spaces are deliberate: staging must trim + lower-case.
CHANNELS = ("phone", "email", "chat", "social", "web", "store", "partner", "unknown")
_RAW_CHANNELS: dict[str, tuple[tuple[str, float], ...]] = {
    "phone": (("phone", 40), ("Phone", 12), (" Phone", 4), ("PHONE", 3), ("voice", 10),
              ("call", 14), ("Call", 4), ("ivr", 10), ("IVR", 3)),
    "email": (("email", 45), ("Email", 10), ("E-Mail", 8), ("e-mail", 10), ("EMAIL", 4),
              ("mail", 12), (" email ", 4), ("Mail", 7)),
    "chat": (("chat", 30), ("Chat", 8), ("live_chat", 20), ("Live_Chat", 4), ("whatsapp", 13),
             ("WhatsApp", 12), ("sms", 9), ("SMS", 4)),
    "social": (("twitter", 20), ("Twitter", 5), ("x", 12), ("X", 4), ("facebook", 18),
               ("Facebook", 7), ("instagram", 12), ("Instagram", 5), ("social", 14),
               (" Social", 3)),
    "web": (("web", 28), ("Web", 6), ("web_form", 20), ("Web_Form", 4), (" web", 4),
            ("portal", 15), ("Portal", 5), ("app", 15), ("APP", 3)),
    "store": (("store", 40), ("Store", 10), ("branch", 25), ("in_person", 20),
              ("In_Person", 5)),
    "partner": (("partner", 50), ("Partner", 10), ("reseller", 33), ("Reseller", 7)),
    "unknown": (("fax", 60), ("Fax", 10), ("telex", 30)),
}
_CH = {c: i for i, c in enumerate(CHANNELS)}
_RAW_VOCAB = pa.array([code for c in CHANNELS for code, _ in _RAW_CHANNELS[c]])
_RAW_OFFSET = np.cumsum([0] + [len(_RAW_CHANNELS[c]) for c in CHANNELS])[:-1]
_RAW_CUM = [
    np.cumsum([w for _, w in _RAW_CHANNELS[c]]) / sum(w for _, w in _RAW_CHANNELS[c])
    for c in CHANNELS
]

CATEGORIES = (
    "pre_sales", "billing", "invoice_dispute", "contract", "renewal", "onboarding", "delivery",
    "product_defect", "how_to", "account_access", "cancellation", "other",
)
_CAT = {c: i for i, c in enumerate(CATEGORIES)}
CATEGORY_TOUCHPOINT = {
    "pre_sales": "sales_inquiry", "contract": "contract_signing", "onboarding": "onboarding",
    "delivery": "delivery", "product_defect": "product_use", "how_to": "product_use",
    "account_access": "support", "other": "support", "billing": "billing",
    "invoice_dispute": "billing", "renewal": "renewal", "cancellation": "cancellation",
}
_BILLING_CATS = np.array([_CAT["billing"], _CAT["invoice_dispute"]])
# background ticket mix: people who use the product vs people who pay
_CAT_P_USER = (4, 6, 2, 2, 3, 7, 10, 17, 23, 12, 2, 12)
_CAT_P_PAYER = (6, 18, 5, 8, 10, 6, 7, 9, 11, 8, 3, 9)
_ROOT_CAUSES = {
    "pre_sales": (("pricing_unclear", 5), ("product_information", 5)),
    "billing": (("billing_system_error", 5), ("pricing_unclear", 3), ("payment_processing", 3),
                ("customer_error", 2)),
    "invoice_dispute": (("billing_system_error", 5), ("contract_terms", 3),
                        ("pricing_unclear", 2), ("duplicate_charge", 3)),
    "contract": (("contract_terms", 6), ("process_delay", 4)),
    "renewal": (("pricing_unclear", 4), ("contract_terms", 3), ("process_delay", 3)),
    "onboarding": (("documentation_gap", 4), ("process_delay", 4), ("product_defect", 2)),
    "delivery": (("logistics_partner", 6), ("process_delay", 3), ("stock_shortage", 2)),
    "product_defect": (("product_defect", 7), ("third_party", 2), ("configuration", 3)),
    "how_to": (("documentation_gap", 5), ("customer_error", 3), ("usability", 4)),
    "account_access": (("customer_error", 5), ("authentication_system", 4), ("usability", 2)),
    "cancellation": (("pricing_unclear", 3), ("product_defect", 2), ("competitor_offer", 3),
                     ("service_quality", 3)),
    "other": (("other", 6), ("customer_error", 3)),
}
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "solved", "closed")
EVENT_TYPES = ("public_reply", "internal_note", "status_change", "reopened", "solved")
AUTHOR_ROLES = ("agent", "customer", "system")
ORDER_TYPES = ("new", "renewal", "upgrade", "one_off")
FACTORS = ("product_service", "interaction", "brand")

# Surveys: id, name, kind, touchpoint, measures in question order.
_TICKET_SURVEYS = (
    ("SRV-TKT-SALES", "After contact: sales inquiry", "sales_inquiry"),
    ("SRV-TKT-CONTRACT", "After contact: contract", "contract_signing"),
    ("SRV-TKT-ONBOARD", "After contact: onboarding", "onboarding"),
    ("SRV-TKT-DELIVERY", "After contact: delivery", "delivery"),
    ("SRV-TKT-PRODUCT", "After contact: product use", "product_use"),
    ("SRV-TKT-SUPPORT", "After contact: support", "support"),
    ("SRV-TKT-BILLING", "After contact: billing", "billing"),
    ("SRV-TKT-RENEWAL", "After contact: renewal", "renewal"),
    ("SRV-TKT-CANCEL", "After contact: cancellation", "cancellation"),
)
_TP_TICKET_SURVEY = {tp: i for i, (_, _, tp) in enumerate(_TICKET_SURVEYS)}
_REL_QUESTIONS = (
    ("nps", None, "How likely are you to recommend us to a friend or colleague?"),
    ("importance", "product_service",
     "How important is the quality of our products and services to you?"),
    ("performance", "product_service",
     "How would you rate the quality of our products and services?"),
    ("importance", "interaction",
     "How important is it that our people are easy to reach and helpful?"),
    ("performance", "interaction",
     "How easy to reach and helpful have our people been?"),
    ("importance", "brand", "How important is it that you can trust the brand you buy from?"),
    ("performance", "brand", "How much do you trust our brand?"),
    ("comment", None, "What is the main reason for your score?"),
)
_TICKET_QUESTIONS = (
    ("csat", None, "How satisfied are you with how we handled your request?"),
    ("ces", None, "How easy was it to get your request resolved?"),
    ("comment", None, "Anything we could have done better?"),
)
_ORDER_QUESTIONS = (
    ("csat", None, "How satisfied are you with your {what}?"),
    ("comment", None, "Tell us more about your {what}."),
)
_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "importance": (1, 5),
           "performance": (1, 5)}
_OFF_SCALE = {"nps": (11, -1, 12), "csat": (0, 6, 9), "ces": (9, 0, 8),
              "importance": (6, 0), "performance": (0, 6)}

# Comments by valence; commas, quotes and accents exercise quoting and UTF-8.
_COMMENTS = {
    "positive": (
        "Great service, thank you!", "Quick and friendly - solved on the first call.",
        "Muy buena atención, gracias.", "Très satisfait du suivi.",
        'The agent was "super" helpful.', "Easy to order, fast delivery.",
        "Everything worked as promised.", "Sehr guter Service!",
    ),
    "neutral": (
        "OK overall.", "Fine, but it took a while.", "Average experience, nothing special.",
        "Es correcto, sin más.", "Could be faster.", "No complaints, no praise.",
    ),
    "negative": (
        "Had to contact you three times, still not fixed.", "Demasiado tiempo de espera.",
        "Nobody answers, I'm considering leaving.", "Zu langsam, sehr enttäuscht.",
        "Support passed me from one person to the next.", "The product keeps failing.",
    ),
    "billing": (
        'Invoice was wrong again, the "credit note" never arrived.',
        "Charged twice, nobody answers.",
        "Billing is a mess: wrong amounts, late corrections.", "Factura incorrecta otra vez.",
        "Still waiting for the corrected invoice, third time asking.",
    ),
}


# fmt: on
# --------------------------------------------------------------------------------------------
# Planted truths
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlantedTruth:
    """What the demo data is built to show; tests of the warehouse assert these are found.

    Readable as attributes (`PLANTED.hotspot_touchpoint`) or like a dict (`PLANTED["..."]`).
    """

    # (1) the billing hotspot
    hotspot_touchpoint: str = "billing"
    hotspot_ticket_categories: tuple[str, ...] = ("billing", "invoice_dispute")
    hotspot_irritations: tuple[str, ...] = (
        "invoice is_disputed = true",
        "invoice unpaid more than 30 days after due_at as of the end date",
        "billing / invoice_dispute ticket reopened or a repeat contact (same person, same "
        "category, within 7 days)",
        "billing survey response with csat 1-2 or ces 1-3",
    )
    # share of accounts made 'billing-irritated': 5 % below the 75th revenue percentile,
    # rising linearly to 65 % at the 95th percentile and above
    irritated_share_low: float = 0.05
    irritated_share_high: float = 0.65
    irritated_rank_from: float = 0.75
    irritated_rank_to: float = 0.95
    dispute_rate_irritated: float = 0.25
    dispute_rate_other: float = 0.02
    late_rate_irritated: float = 0.35
    late_rate_other: float = 0.08
    unpaid_rate_irritated: float = 0.08
    unpaid_rate_other: float = 0.012
    billing_chain_rate_irritated: float = 0.45
    billing_reopen_rate_irritated: float = 0.30
    # (2) the low-CSAT channel
    low_csat_channel: str = "social"
    low_csat_raw_codes: tuple[str, ...] = ("social", "twitter", "x", "facebook", "instagram")
    low_csat_raw_values: tuple[str, ...] = tuple(c for c, _ in _RAW_CHANNELS["social"])
    low_csat_target: float = 0.55  # share of csat answers >= 4 through the social channel
    other_csat_target: float = 0.80  # ... through every other channel
    # survey structure
    driver_factor_order: tuple[str, ...] = ("product_service", "interaction", "brand")
    positive_gap_factor: str = "interaction"
    # messy inputs
    unknown_channel_codes: tuple[str, ...] = ("fax", "telex")
    unknown_channel_raw_values: tuple[str, ...] = tuple(c for c, _ in _RAW_CHANNELS["unknown"])
    unmatched_email_share: float = 0.03
    repeat_window_days: int = 7
    as_of_is_end_date: bool = True
    raw_channel_codes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {c: tuple(v for v, _ in _RAW_CHANNELS[c]) for c in CHANNELS}
    )
    bad_row_reasons: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(BAD_ROW_REASONS)
    )
    bad_timestamp_values: tuple[str, ...] = _BAD_TIMESTAMPS

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def keys(self) -> list[str]:
        return list(asdict(self))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PLANTED = PlantedTruth()


class GenerationResult(dict):
    """Rows written per 'system.table' (the object *is* that dict), plus details.

    - `rows`: {'crm.accounts': 20040, ...} rows in each file, bad rows included
    - `bad_rows`: {'crm.accounts': {'missing_key': 14, ...}, ...} planted bad rows per reason
    - `seconds`: wall time of the whole call, writing included
    - `files`: the paths written, `as_of_date`: the date of the latest valid event
    """

    def __init__(
        self,
        rows: dict[str, int],
        bad_rows: dict[str, dict[str, int]],
        seconds: float,
        files: list[Path],
        as_of_date: date,
    ) -> None:
        super().__init__(rows)
        self.rows = dict(rows)
        self.bad_rows = bad_rows
        self.seconds = seconds
        self.files = files
        self.as_of_date = as_of_date

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_minute(self) -> float:
        return 60.0 * self.total_rows / self.seconds if self.seconds > 0 else float("inf")


# --------------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------------
def _epoch(d: date) -> float:
    return datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()


def _minus_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + (d.month - 1) - months, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _groups(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Owner index and position within the owner for `counts[i]` children of each owner."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(owner.size) - starts[owner]


def _pick(rng: np.random.Generator, weights: tuple[float, ...], size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(p.size, size=size, p=p / p.sum())


def _strings(vocab: tuple[str, ...] | list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(list(vocab), pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width=width, padding="0"), "")


def _nullable(arr: pa.Array, valid: np.ndarray) -> pa.Array:
    if valid.all():
        return arr
    return pc.if_else(pa.array(valid), arr, pa.scalar(None, arr.type))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _raw_channels(rng: np.random.Generator, canon: np.ndarray) -> pa.Array:
    """A raw channel code (with case / space variants) for every canonical channel index."""
    u = rng.random(canon.size)
    out = np.zeros(canon.size, dtype=np.int64)
    for c in range(len(CHANNELS)):
        m = canon == c
        if m.any():
            k = np.searchsorted(_RAW_CUM[c], u[m], side="right")
            out[m] = _RAW_OFFSET[c] + np.minimum(k, len(_RAW_CUM[c]) - 1)
    return _RAW_VOCAB.take(pa.array(out))


def _channel_mix(rng: np.random.Generator, size: int, weights: dict[str, float]) -> np.ndarray:
    p = np.array([weights.get(c, 0.0) for c in CHANNELS], dtype=float)
    return rng.choice(len(CHANNELS), size=size, p=p / p.sum())


def _email_variants(
    rng: np.random.Generator, emails: pa.Array, p_case: float, p_space: float
) -> pa.Array:
    """The same address, differing only by case or surrounding spaces for a share of rows."""
    n = len(emails)
    u = rng.random(n)
    style = np.zeros(n, dtype=np.int8)
    style[u < p_case * 0.6] = 1
    style[(u >= p_case * 0.6) & (u < p_case)] = 2
    style[(u >= p_case) & (u < p_case + p_space * 0.5)] = 3
    style[(u >= p_case + p_space * 0.5) & (u < p_case + p_space)] = 4
    return pc.choose(
        pa.array(style),
        emails,
        pc.utf8_title(emails),
        pc.utf8_upper(emails),
        _join(" ", emails),
        _join(emails, "  "),
    )


def _timestamps(
    rng: np.random.Generator, secs: np.ndarray, valid: np.ndarray | None = None
) -> pa.Array:
    """ISO 8601 text: ~70 % with 'Z', ~27 % without offset (UTC), ~3 % with +02:00 / -05:00
    (the local wall time of the same instant, so UTC conversion is exercised)."""
    secs = np.asarray(secs, dtype=float)
    n = secs.size
    if valid is None:
        valid = np.ones(n, dtype=bool)
    u = rng.random(n)
    style = np.where(u < 0.70, 0, np.where(u < 0.97, 1, np.where(u < 0.985, 2, 3)))
    shift = np.array([0.0, 0.0, 2 * HOUR, -5 * HOUR])[style]
    local = np.where(valid, np.floor(secs) + shift, 0).astype(np.int64)
    ts = pa.array(local, pa.int64(), mask=~valid).cast(pa.timestamp("s"))
    text = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%S")
    suffix = _strings(("Z", "", "+02:00", "-05:00"), style)
    return _join(text, suffix)


def _money(cents: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """decimal(14, 2) straight from integer cents (exact, no float rounding)."""
    cents = np.asarray(cents, dtype=np.int64)
    raw = np.empty((cents.size, 2), dtype=np.int64)
    raw[:, 0] = cents
    raw[:, 1] = cents >> 63
    arr = pa.Array.from_buffers(pa.decimal128(14, 2), cents.size, [None, pa.py_buffer(raw)])
    return arr if valid is None else _nullable(arr, valid)


def _rank01(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    rank = np.empty(x.size, dtype=float)
    rank[order] = (np.arange(x.size) + 0.5) / max(x.size, 1)
    return rank


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, size: int):
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------
_STAGES = (
    "accounts",
    "contacts",
    "orders",
    "invoices",
    "tickets",
    "events",
    "surveys",
    "text",
    "bad",
)


class _Generator:
    """Builds every table as numpy arrays, then as Arrow tables in contract column order."""

    def __init__(self, accounts: int, seed: int, end_date: date, months: int) -> None:
        seqs = np.random.SeedSequence(seed).spawn(len(_STAGES))
        self.rngs = {name: np.random.default_rng(s) for name, s in zip(_STAGES, seqs, strict=True)}
        self.n = accounts
        self.end_date = end_date
        self.end_day = _epoch(end_date)
        self.end = self.end_day + DAY - 1.0  # the last second of end_date, UTC
        self.start = _epoch(_minus_months(end_date, months))
        self.tables: dict[str, pa.Table] = {}
        # numpy-side facts kept for later stages and for the bad rows
        self.answer_measure: np.ndarray | None = None

    # ---------------------------------------------------------------- crm.accounts
    def accounts(self) -> None:
        r, n = self.rngs["accounts"], self.n
        seg = _pick(r, _SEG_P, n)
        country = _pick(r, tuple(c[1] for c in _COUNTRIES), n)
        in_window = r.random(n) < 0.30
        span = max(self.end - 30 * DAY - self.start, DAY)
        created = np.where(
            in_window,
            self.start + r.random(n) * span,
            self.start - HOUR - r.random(n) * 6 * YEAR,
        )
        # latent yearly spend: heavy-tailed, enterprise highest
        median = np.array([45_000.0, 4_000.0, 300.0])[seg]
        sigma = np.array([0.9, 0.8, 0.7])[seg]
        value = median * np.exp(sigma * r.standard_normal(n))
        rank = _rank01(value)
        p = PLANTED
        p_irr = p.irritated_share_low + (p.irritated_share_high - p.irritated_share_low) * np.clip(
            (rank - p.irritated_rank_from) / (p.irritated_rank_to - p.irritated_rank_from), 0, 1
        )
        irritated = r.random(n) < p_irr
        churns = r.random(n) < 0.10
        churn_at = self.start + 60 * DAY + r.random(n) * max(self.end - self.start - 60 * DAY, DAY)
        churn_at = np.maximum(churn_at, created + 90 * DAY)
        churn_at = np.where(churns & (churn_at < self.end), churn_at, np.inf)

        pre = r.integers(len(_COMPANY_PREFIX), size=n)
        core = r.integers(len(_COMPANY_CORE), size=n)
        quirky = r.random(n) < 0.02
        quirk = r.integers(len(_QUIRKY_COMPANIES), size=n)
        suffix = _strings([c[3] for c in _COUNTRIES], country)
        company = _join(
            _strings([x[0] for x in _COMPANY_PREFIX], pre),
            " ",
            _strings([x[0] for x in _COMPANY_CORE], core),
            " ",
            suffix,
        )
        company = pc.if_else(pa.array(quirky), _strings(_QUIRKY_COMPANIES, quirk), company)
        domain = _join(
            _strings([x[1] for x in _COMPANY_PREFIX], pre),
            "-",
            _strings([x[1] for x in _COMPANY_CORE], core),
            ".",
            _strings([c[4] for c in _COUNTRIES], country),
        )
        self.a = dict(
            seg=seg,
            country=country,
            created=created,
            value=value,
            rank=rank,
            irritated=irritated,
            churn=churn_at,
            company=company,
            domain=domain,
        )

    # ---------------------------------------------------------------- crm.contacts
    def contacts(self) -> None:
        r, a, n = self.rngs["contacts"], self.a, self.n
        seg = a["seg"]
        count = np.where(
            seg == 0,
            5 + r.poisson(9, n),
            np.where(seg == 1, 2 + r.poisson(3, n), 1 + (r.random(n) < 0.45)),
        )
        acc, k = _groups(count)
        m = acc.size
        first = np.cumsum(count) - count  # the first contact of each account (a payer)
        billing = (k == 0) | ((seg[acc] == 0) & (k == 1)) | (r.random(m) < 0.03)
        acc_created = a["created"][acc]
        created = np.where(
            k == 0,
            acc_created + r.random(m) * 2 * DAY,
            acc_created + r.random(m) * np.maximum(self.end - DAY - acc_created, HOUR),
        )
        created = np.minimum(created, self.end - HOUR)
        fi = r.integers(len(_FIRST), size=m)
        li = r.integers(len(_LAST), size=m)
        full_name = _join(
            _strings([x[0] for x in _FIRST], fi), " ", _strings([x[0] for x in _LAST], li)
        )
        company_domain = a["domain"].take(pa.array(acc))
        free = _strings(_FREEMAIL, r.integers(len(_FREEMAIL), size=m))
        domain = pc.if_else(pa.array(seg[acc] == 2), free, company_domain)
        # unique by construction: the contact number is part of the local part
        email = _join(
            _strings([x[1] for x in _FIRST], fi),
            ".",
            _strings([x[1] for x in _LAST], li),
            pa.array(np.arange(1, m + 1)).cast(pa.string()),
            "@",
            domain,
        )
        has_phone = r.random(m) < 0.65
        phone = _join(
            _strings([c[2] for c in _COUNTRIES], a["country"][acc]),
            " ",
            pa.array(r.integers(200_000_000, 999_999_999, size=m)).cast(pa.string()),
        )
        self.c = dict(
            acc=acc,
            k=k,
            first=first,
            count=count,
            billing=billing,
            created=created,
            email=email,
            full_name=full_name,
        )
        # consumer accounts are named after their first contact
        consumer_name = full_name.take(pa.array(first))
        account_name = pc.if_else(pa.array(seg == 2), consumer_name, a["company"])

        rt = self.rngs["text"]
        self.tables["crm.accounts"] = self._table(
            "crm.accounts",
            {
                "account_id": _ids("ACC-", np.arange(1, n + 1), 6),
                "account_name": account_name,
                "segment": _strings(SEGMENTS, seg),
                "country": _strings([c[0] for c in _COUNTRIES], a["country"]),
                "created_at": _timestamps(rt, a["created"]),
            },
        )
        self.tables["crm.contacts"] = self._table(
            "crm.contacts",
            {
                "contact_id": _ids("CON-", np.arange(1, m + 1), 7),
                "account_id": _ids("ACC-", acc + 1, 6),
                "email": _email_variants(rt, email, 0.04, 0.0),
                "full_name": full_name,
                "phone": _nullable(phone, has_phone),
                "is_billing_contact": pa.array(billing),
                "created_at": _timestamps(rt, created),
            },
        )

    def _payer(self, r: np.random.Generator, acc: np.ndarray, at: np.ndarray) -> np.ndarray:
        """A billing contact of each account (enterprise accounts have two) existing at `at`."""
        c = self.c
        second = (self.a["seg"][acc] == 0) & (r.random(acc.size) < 0.4)
        pick = c["first"][acc] + second.astype(np.int64)
        return np.where(c["created"][pick] <= at, pick, c["first"][acc])

    def _any_contact(self, r: np.random.Generator, acc: np.ndarray, at: np.ndarray) -> np.ndarray:
        """A random contact of each account that exists at time `at` (else its first payer)."""
        c = self.c
        pick = c["first"][acc] + np.floor(r.random(acc.size) * c["count"][acc]).astype(np.int64)
        return np.where(c["created"][pick] <= at, pick, c["first"][acc])

    # ---------------------------------------------------------------- crm.orders
    def orders(self) -> None:
        r, a = self.rngs["orders"], self.a
        seg, created, value = a["seg"], a["created"], a["value"]
        limit = np.minimum(self.end, a["churn"])
        # new contracts of accounts created inside the window
        new_acc = np.flatnonzero(created >= self.start)
        new_t = created[new_acc] + (0.1 + r.random(new_acc.size) * 4.9) * DAY
        new_amt = value[new_acc] * r.uniform(0.85, 1.10, new_acc.size)
        # yearly renewals on the anniversary of the account
        j0 = np.maximum(1, np.ceil((self.start - created) / YEAR)).astype(np.int64)
        j1 = np.floor((limit - created) / YEAR).astype(np.int64)
        ren_acc, pos = _groups(np.clip(j1 - j0 + 1, 0, None))
        j = j0[ren_acc] + pos
        ren_t = created[ren_acc] + j * YEAR + r.random(ren_acc.size) * 2 * DAY
        ren_amt = (
            value[ren_acc]
            * 1.03 ** np.minimum(j, 10)
            * np.exp(0.08 * r.standard_normal(ren_acc.size))
        )
        # upgrades and one-off purchases while the account is active in the window
        a0 = np.maximum(self.start, created)
        years = np.clip(limit - a0, 0, None) / YEAR
        up_acc, _ = _groups(r.poisson(np.array([0.5, 0.35, 0.08])[seg] * years))
        up_t = a0[up_acc] + r.random(up_acc.size) * (limit - a0)[up_acc]
        up_amt = value[up_acc] * r.uniform(0.1, 0.4, up_acc.size)
        one_acc, _ = _groups(r.poisson(np.array([2.5, 1.5, 1.2])[seg] * years))
        one_t = a0[one_acc] + r.random(one_acc.size) * (limit - a0)[one_acc]
        one_amt = np.maximum(value[one_acc] * _lognormal(r, 0.06, 0.8, one_acc.size), 5.0)

        acc = np.concatenate([new_acc, ren_acc, up_acc, one_acc])
        otype = np.concatenate(
            [
                np.full(new_acc.size, 0),
                np.full(ren_acc.size, 1),
                np.full(up_acc.size, 2),
                np.full(one_acc.size, 3),
            ]
        )
        t = np.concatenate([new_t, ren_t, up_t, one_t])
        amt = np.concatenate([new_amt, ren_amt, up_amt, one_amt])
        keep = t <= self.end
        acc, otype, t, amt = acc[keep], otype[keep], t[keep], amt[keep]
        contact = np.where(otype == 3, self._any_contact(r, acc, t), self._payer(r, acc, t))
        contact = np.where(self.c["created"][contact] <= t, contact, self.c["first"][acc])
        contact = np.where((otype == 3) & (r.random(acc.size) < 0.08), -1, contact)
        contact = np.where((otype == 1) & (r.random(acc.size) < 0.03), -1, contact)
        canon = np.where(
            seg[acc] == 2,
            _channel_mix(
                r,
                acc.size,
                {
                    "web": 45,
                    "store": 20,
                    "phone": 10,
                    "chat": 10,
                    "social": 6,
                    "email": 6,
                    "partner": 3,
                    "unknown": 0.2,
                },
            ),
            _channel_mix(
                r,
                acc.size,
                {
                    "partner": 22,
                    "email": 22,
                    "phone": 20,
                    "web": 22,
                    "store": 5,
                    "chat": 5,
                    "social": 4,
                    "unknown": 0.2,
                },
            ),
        )
        # refunds: a negative one_off some days after a few one-off purchases
        ref = np.flatnonzero((otype == 3) & (r.random(acc.size) < 0.03))
        ref_t = t[ref] + (2 + r.random(ref.size) * 28) * DAY
        ref = ref[ref_t <= self.end]
        ref_t = ref_t[ref_t <= self.end]
        ref_amt = -amt[ref] * np.where(r.random(ref.size) < 0.7, 1.0, 0.5)
        acc = np.concatenate([acc, acc[ref]])
        otype = np.concatenate([otype, otype[ref]])
        t = np.concatenate([t, ref_t])
        cents = np.round(np.concatenate([amt, ref_amt]) * 100).astype(np.int64)
        contact = np.concatenate([contact, contact[ref]])
        canon = np.concatenate([canon, canon[ref]])
        order = np.argsort(t, kind="stable")
        acc, otype, t, cents, contact, canon = (
            x[order] for x in (acc, otype, t, cents, contact, canon)
        )
        self.o = dict(acc=acc, type=otype, t=t, cents=cents, contact=contact, canon=canon)
        m = acc.size
        self.tables["crm.orders"] = self._table(
            "crm.orders",
            {
                "order_id": _ids("ORD-", np.arange(1, m + 1), 7),
                "account_id": _ids("ACC-", acc + 1, 6),
                "contact_id": _nullable(_ids("CON-", contact + 1, 7), contact >= 0),
                "order_type": _strings(ORDER_TYPES, otype),
                "ordered_at": _timestamps(self.rngs["text"], t),
                "amount": _money(cents),
                "currency": pa.array(np.full(m, "EUR")),
                "channel": _raw_channels(r, canon),
            },
        )

    # ---------------------------------------------------------------- crm.invoices
    def invoices(self) -> None:
        r, a, o = self.rngs["invoices"], self.a, self.o
        seg = a["seg"]
        paying = np.flatnonzero(o["cents"] > 0)  # refunds are credited, not invoiced
        big = (seg[o["acc"][paying]] == 0) & (o["type"][paying] <= 1)
        parts = np.where(big & (r.random(paying.size) < 0.5), 4, 1)
        owner, inst = _groups(parts)
        order_idx = paying[owner]
        issued = o["t"][order_idx] + r.random(owner.size) * 2 * DAY + inst * 91 * DAY
        base = o["cents"][order_idx] // parts[owner]
        cents = np.where(
            inst == parts[owner] - 1, o["cents"][order_idx] - base * (parts[owner] - 1), base
        )
        acc = o["acc"][order_idx]
        # a few invoices without an order (fees, adjustments)
        extra = max(int(round(0.02 * owner.size)), 0)
        x_acc = r.integers(self.n, size=extra)
        x_from = np.maximum(self.start, a["created"][x_acc])
        x_issued = x_from + r.random(extra) * np.maximum(self.end - x_from, HOUR)
        x_cents = np.round(r.uniform(25, 300, extra) * 100).astype(np.int64)
        acc = np.concatenate([acc, x_acc])
        order_idx = np.concatenate([order_idx, np.full(extra, -1)])
        issued = np.concatenate([issued, x_issued])
        cents = np.concatenate([cents, x_cents])
        keep = issued <= self.end
        acc, order_idx, issued, cents = acc[keep], order_idx[keep], issued[keep], cents[keep]
        m = acc.size
        terms = (
            np.where(
                seg[acc] == 0, np.where(r.random(m) < 0.5, 45, 60), np.where(seg[acc] == 1, 30, 14)
            )
            * DAY
        )
        due = issued + terms
        p = PLANTED
        irr = a["irritated"][acc]
        disputed = r.random(m) < np.where(irr, p.dispute_rate_irritated, p.dispute_rate_other)
        p_unpaid = np.where(
            disputed, 0.30, np.where(irr, p.unpaid_rate_irritated, p.unpaid_rate_other)
        )
        p_late = np.where(
            disputed,
            0.55,
            np.where(irr, p.late_rate_irritated, np.where(seg[acc] == 2, 0.03, p.late_rate_other)),
        )
        u = r.random(m)
        unpaid = u < p_unpaid
        late = ~unpaid & (u < p_unpaid + p_late)
        paid = np.where(
            late, due + _lognormal(r, 20 * DAY, 0.7, m), issued + r.uniform(0.05, 0.95, m) * terms
        )
        paid_ok = ~unpaid & (paid <= self.end)
        order = np.argsort(issued, kind="stable")
        acc, order_idx, issued, cents, due, paid, paid_ok, disputed = (
            x[order] for x in (acc, order_idx, issued, cents, due, paid, paid_ok, disputed)
        )
        self.i = dict(acc=acc, issued=issued, disputed=disputed)
        rt = self.rngs["text"]
        self.tables["crm.invoices"] = self._table(
            "crm.invoices",
            {
                "invoice_id": _ids("INV-", np.arange(1, m + 1), 7),
                "account_id": _ids("ACC-", acc + 1, 6),
                "order_id": _nullable(_ids("ORD-", order_idx + 1, 7), order_idx >= 0),
                "issued_at": _timestamps(rt, issued),
                "due_at": _timestamps(rt, due),
                "paid_at": _timestamps(rt, paid, paid_ok),
                "amount": _money(cents),
                "is_disputed": pa.array(disputed),
            },
        )

    # ---------------------------------------------------------------- ticketing
    def tickets(self) -> None:
        r, a, c = self.rngs["tickets"], self.a, self.c
        seg = a["seg"]
        p = PLANTED
        # (a) background episodes of every contact while it and its account are active
        c_acc = c["acc"]
        active_from = np.maximum(self.start, c["created"])
        active_to = np.minimum(self.end, a["churn"][c_acc] + 14 * DAY)
        years = np.clip(active_to - active_from, 0, None) / YEAR
        rate = np.array([0.7, 1.0, 0.9])[seg[c_acc]]
        bg_contact, _ = _groups(r.poisson(rate * years))
        bg_t = (
            active_from[bg_contact]
            + r.random(bg_contact.size) * (active_to - active_from)[bg_contact]
        )
        payer = c["billing"][bg_contact]
        bg_cat = np.where(
            payer, _pick(r, _CAT_P_PAYER, bg_contact.size), _pick(r, _CAT_P_USER, bg_contact.size)
        )
        # (b) disputed invoices raise an invoice_dispute episode
        inv = self.i
        d_idx = np.flatnonzero(inv["disputed"] & (r.random(inv["disputed"].size) < 0.6))
        d_acc = inv["acc"][d_idx]
        d_t = inv["issued"][d_idx] + (1 + r.random(d_idx.size) * 24) * DAY
        d_contact = self._payer(r, d_acc, d_t)
        d_cat = np.full(d_idx.size, _CAT["invoice_dispute"])
        # (c) billing-irritated accounts call about billing again and again
        irr_acc = np.flatnonzero(a["irritated"])
        a0 = np.maximum(self.start, a["created"][irr_acc])
        a1 = np.minimum(self.end, a["churn"][irr_acc])
        x_owner, _ = _groups(r.poisson(0.8 * np.clip(a1 - a0, 0, None) / YEAR))
        x_acc = irr_acc[x_owner]
        x_t = a0[x_owner] + r.random(x_owner.size) * (a1 - a0)[x_owner]
        x_contact = self._payer(r, x_acc, x_t)
        x_cat = np.where(r.random(x_acc.size) < 0.7, _CAT["billing"], _CAT["invoice_dispute"])
        # (d) churning accounts cancel; (e) new accounts ask before buying; (f) and onboard
        ch_acc = np.flatnonzero(np.isfinite(a["churn"]) & (r.random(self.n) < 0.7))
        ch_t = a["churn"][ch_acc] - (1 + r.random(ch_acc.size) * 19) * DAY
        ch_contact = self._payer(r, ch_acc, ch_t)
        new_acc = np.flatnonzero(a["created"] >= self.start)
        ps_acc = new_acc[r.random(new_acc.size) < 0.4]
        ps_t = a["created"][ps_acc] - (1 + r.random(ps_acc.size) * 29) * DAY
        ob_acc = new_acc[r.random(new_acc.size) < 0.5]
        ob_t = a["created"][ob_acc] + (3 + r.random(ob_acc.size) * 37) * DAY
        # (g) one ticket on the end date itself, so the as-of date is the end date
        anchor = np.array([int(r.integers(c_acc.size))])
        anchor_t = np.array([self.end_day + (6 + r.random() * 10) * HOUR])

        person = np.concatenate(
            [
                bg_contact,
                d_contact,
                x_contact,
                ch_contact,
                c["first"][ps_acc],
                c["first"][ob_acc],
                anchor,
            ]
        )
        start = np.concatenate([bg_t, d_t, x_t, ch_t, ps_t, ob_t, anchor_t])
        cat = np.concatenate(
            [
                bg_cat,
                d_cat,
                x_cat,
                np.full(ch_acc.size, _CAT["cancellation"]),
                np.full(ps_acc.size, _CAT["pre_sales"]),
                np.full(ob_acc.size, _CAT["onboarding"]),
                np.full(1, _CAT["how_to"]),
            ]
        )
        keep = (start >= self.start) & (start <= self.end)
        person, start, cat = person[keep], start[keep], cat[keep]
        e = person.size
        acc = c_acc[person]
        hot = a["irritated"][acc] & np.isin(cat, _BILLING_CATS)
        billing_cat = np.isin(cat, _BILLING_CATS)
        # ~3 % of episodes come from an address that matches no contact
        unmatched = r.random(e) < p.unmatched_email_share
        pool = max(int(0.6 * unmatched.sum()), 1)
        stranger = r.integers(pool, size=e)
        # repeat contacts: chains of 2-4 tickets of one person and one category, each within
        # 7 days of the previous one
        p_chain = np.where(hot, p.billing_chain_rate_irritated, np.where(billing_cat, 0.12, 0.05))
        extra = np.where(r.random(e) < p_chain, 1 + _pick(r, (5, 3, 2), e), 0)
        ep, pos = _groups(1 + extra)
        gap = np.where(pos > 0, (0.05 + r.random(ep.size) * 6.75) * DAY, 0.0)
        csum = np.cumsum(gap)
        first_of_episode = np.cumsum(1 + extra) - (1 + extra)
        created = start[ep] + csum - csum[first_of_episode][ep]
        keep = created <= self.end
        ep, pos, created = ep[keep], pos[keep], created[keep]
        order = np.lexsort((pos, ep, created))
        ep, pos, created = ep[order], pos[order], created[order]
        n = ep.size
        t_cat, t_hot, t_acc = cat[ep], hot[ep], acc[ep]
        # channel: people mostly stay with the channel they started the episode on
        ep_canon = _channel_mix(
            r,
            e,
            {
                "email": 28,
                "phone": 20,
                "chat": 17,
                "web": 12,
                "social": 14,
                "store": 4,
                "partner": 4,
                "unknown": 0.3,
            },
        )
        other = _channel_mix(
            r,
            n,
            {
                "email": 28,
                "phone": 20,
                "chat": 17,
                "web": 12,
                "social": 14,
                "store": 4,
                "partner": 4,
                "unknown": 0.3,
            },
        )
        canon = np.where(r.random(n) < 0.8, ep_canon[ep], other)
        # requester email: the contact's address in some case / space variant, or a stranger's
        rq = self.rngs["text"]
        contact_email = pc.utf8_lower(c["email"].take(pa.array(person[ep])))
        fi = stranger[ep] % len(_FIRST)
        li = (stranger[ep] // len(_FIRST)) % len(_LAST)
        stranger_email = _join(
            _strings([x[1] for x in _FIRST], fi),
            "_",
            _strings([x[1] for x in _LAST], li),
            pa.array(stranger[ep] + 1).cast(pa.string()),
            "@",
            _strings(_FREEMAIL, stranger[ep] % len(_FREEMAIL)),
        )
        norm_email = pc.if_else(pa.array(unmatched[ep]), stranger_email, contact_email)
        # priority, timing
        prio = np.where(
            t_hot,
            _pick(r, (5, 40, 35, 20), n),
            np.where(
                t_cat == _CAT["product_defect"],
                _pick(r, (10, 45, 30, 15), n),
                _pick(r, (22, 55, 17, 6), n),
            ),
        )
        fast = np.isin(canon, [_CH["chat"], _CH["phone"]])
        frt = _lognormal(r, np.array([480.0, 180.0, 45.0, 15.0])[prio], 1.0, n) * MINUTE
        frt = np.where(fast, frt * 0.15, frt) + MINUTE
        slow = np.ones(n)
        slow[np.isin(t_cat, _BILLING_CATS)] = 2.5
        slow[t_cat == _CAT["contract"]] = 2.0
        slow[t_cat == _CAT["delivery"]] = 1.5
        slow[t_hot] *= 1.5
        res = _lognormal(r, np.array([48.0, 24.0, 10.0, 5.0])[prio] * slow, 1.0, n) * HOUR
        res = np.maximum(res, frt + 5 * MINUTE)
        res[r.random(n) < 0.004] = np.inf  # a small backlog that never gets solved
        first_reply = created + frt
        solved1 = created + res
        p_reopen = np.where(
            t_hot,
            p.billing_reopen_rate_irritated,
            np.where(np.isin(t_cat, _BILLING_CATS), 0.10, 0.04),
        )
        reopen_t = solved1 + (0.1 + r.random(n) * 4.9) * DAY
        reply2 = reopen_t + frt * r.uniform(0.3, 1.0, n)
        solved2 = reply2 + res * r.uniform(0.2, 0.8, n)
        # reopened only when the second solve happened by the end date (so a ticket with a
        # solved event is always solved / closed and solved_at is its last solved event)
        reopened = (r.random(n) < p_reopen) & (solved2 <= self.end)
        is_solved = solved1 <= self.end
        solved_at = np.where(reopened, solved2, solved1)
        closed = is_solved & (self.end - solved_at > 4 * DAY) & (r.random(n) < 0.92)
        status = np.where(
            closed,
            4,
            np.where(
                is_solved,
                3,
                np.where(first_reply > self.end, 0, np.where(r.random(n) < 0.45, 2, 1)),
            ),
        )
        root = self._root_causes(r, t_cat)
        root_ok = r.random(n) >= np.where(is_solved, 0.22, 0.7)
        self.t = dict(
            ep=ep,
            pos=pos,
            created=created,
            cat=t_cat,
            hot=t_hot,
            acc=t_acc,
            canon=canon,
            norm_email=norm_email,
            reopened=reopened,
            is_solved=is_solved,
            solved_at=solved_at,
            unmatched=unmatched[ep],
            person=person[ep],
        )
        raw_channel = _raw_channels(r, canon)
        self.t["raw_channel"] = raw_channel
        self.tables["ticketing.tickets"] = self._table(
            "ticketing.tickets",
            {
                "ticket_id": _ids("TKT-", np.arange(1, n + 1), 7),
                "requester_email": _email_variants(rq, norm_email, 0.08, 0.03),
                "channel": raw_channel,
                "category": _strings(CATEGORIES, t_cat),
                "root_cause": _nullable(root, root_ok),
                "priority": _strings(PRIORITIES, prio),
                "status": _strings(STATUSES, status),
                "created_at": _timestamps(rq, created),
                "solved_at": _timestamps(rq, solved_at, is_solved),
            },
        )
        self._events(
            created,
            first_reply,
            solved1,
            reopened,
            reopen_t,
            reply2,
            solved2,
            is_solved,
            closed,
            solved_at,
            t_hot,
            canon,
            raw_channel,
        )

    def _root_causes(self, r: np.random.Generator, cat: np.ndarray) -> pa.Array:
        vocab: list[str] = []
        idx = np.zeros(cat.size, dtype=np.int64)
        u = r.random(cat.size)
        for ci, name in enumerate(CATEGORIES):
            causes = _ROOT_CAUSES[name]
            cum = np.cumsum([w for _, w in causes]) / sum(w for _, w in causes)
            m = cat == ci
            k = np.minimum(np.searchsorted(cum, u[m], side="right"), len(causes) - 1)
            idx[m] = len(vocab) + k
            vocab.extend(x for x, _ in causes)
        return _strings(vocab, idx)

    def _events(
        self,
        created,
        first_reply,
        solved1,
        reopened,
        reopen_t,
        reply2,
        solved2,
        is_solved,
        closed,
        solved_at,
        hot,
        canon,
        raw_channel,
    ) -> None:
        r = self.rngs["events"]
        n = created.size
        tix = np.arange(n)
        parts: list[tuple[np.ndarray, np.ndarray, int, int, int]] = []

        def add(mask: np.ndarray, t: np.ndarray, etype: str, role: str, seq: int) -> None:
            m = mask & (t <= self.end)
            parts.append((tix[m], t[m], EVENT_TYPES.index(etype), AUTHOR_ROLES.index(role), seq))

        everyone = np.ones(n, dtype=bool)
        add(everyone, created, "public_reply", "customer", 0)
        add(
            everyone,
            created + np.minimum((first_reply - created) * 0.5, (1 + r.random(n) * 29) * MINUTE),
            "status_change",
            "system",
            1,
        )
        note = r.random(n) < 0.35
        add(note, created + (first_reply - created) * r.random(n), "internal_note", "agent", 2)
        add(everyone, first_reply, "public_reply", "agent", 3)
        # back-and-forth between the first reply and the (first) solve
        until = np.where(np.isfinite(solved1), solved1, first_reply + 10 * DAY)
        x_owner, _ = _groups(r.poisson(np.where(hot, 1.5, 0.6)))
        lo, hi = first_reply[x_owner], until[x_owner]
        t_c = lo + (hi - lo) * r.random(x_owner.size)
        t_a = t_c + (hi - t_c) * r.random(x_owner.size)
        for t, role, seq in ((t_c, "customer", 4), (t_a, "agent", 5)):
            m = t <= self.end
            parts.append(
                (x_owner[m], t[m], EVENT_TYPES.index("public_reply"), AUTHOR_ROLES.index(role), seq)
            )
        add(is_solved, solved1, "solved", "agent", 6)
        add(reopened, reopen_t, "reopened", "customer", 7)
        add(reopened, reply2, "public_reply", "agent", 8)
        add(reopened, solved2, "solved", "agent", 9)
        add(closed, solved_at + 4 * DAY, "status_change", "system", 10)

        ticket = np.concatenate([x[0] for x in parts])
        t = np.concatenate([x[1] for x in parts])
        etype = np.concatenate([np.full(x[0].size, x[2]) for x in parts])
        role = np.concatenate([np.full(x[0].size, x[3]) for x in parts])
        seq = np.concatenate([np.full(x[0].size, x[4]) for x in parts])
        order = np.lexsort((seq, t, ticket))
        ticket, t, etype, role = ticket[order], t[order], etype[order], role[order]
        m = ticket.size
        # customers sometimes answer by e-mail; everything else stays on the ticket's channel
        by_mail = (role == AUTHOR_ROLES.index("customer")) & (r.random(m) < 0.1)
        mail = _raw_channels(r, np.full(m, _CH["email"]))
        channel = pc.if_else(pa.array(by_mail), mail, raw_channel.take(pa.array(ticket)))
        self.tables["ticketing.ticket_events"] = self._table(
            "ticketing.ticket_events",
            {
                "event_id": _ids("EVT-", np.arange(1, m + 1), 8),
                "ticket_id": _ids("TKT-", ticket + 1, 7),
                "event_type": _strings(EVENT_TYPES, etype),
                "author_role": _strings(AUTHOR_ROLES, role),
                "channel": channel,
                "created_at": _timestamps(self.rngs["text"], t),
            },
        )

    # ---------------------------------------------------------------- survey
    def surveys(self) -> None:
        r, a, c, t, o = self.rngs["surveys"], self.a, self.c, self.t, self.o
        p = PLANTED
        rt = self.rngs["text"]
        # --- surveys and questions
        surveys = [("SRV-REL", "Relationship NPS (quarterly)", "relationship", None)]
        surveys += [(sid, name, "transactional", tp) for sid, name, tp in _TICKET_SURVEYS]
        surveys += [
            ("SRV-ORD-PURCHASE", "After purchase", "transactional", "purchase"),
            ("SRV-ORD-RENEWAL", "After renewal", "transactional", "renewal"),
        ]
        q_rows: list[tuple[str, str, str, str | None, str]] = []
        q_index: dict[tuple[str, str], int] = {}  # (survey, measure-or-measure:factor) -> row

        def add_q(sid: str, measure: str, factor: str | None, text: str) -> None:
            q_index[(sid, measure if factor is None else f"{measure}:{factor}")] = len(q_rows)
            q_rows.append((f"QST-{len(q_rows) + 1:03d}", sid, measure, factor, text))

        for measure, factor, text in _REL_QUESTIONS:
            add_q("SRV-REL", measure, factor, text)
        for sid, _, _ in _TICKET_SURVEYS:
            for measure, factor, text in _TICKET_QUESTIONS:
                add_q(sid, measure, factor, text)
        for sid, what in (("SRV-ORD-PURCHASE", "purchase"), ("SRV-ORD-RENEWAL", "renewal")):
            for measure, factor, text in _ORDER_QUESTIONS:
                add_q(sid, measure, factor, text.format(what=what))
        self.tables["survey.surveys"] = self._table(
            "survey.surveys",
            {
                "survey_id": pa.array([s[0] for s in surveys]),
                "survey_name": pa.array([s[1] for s in surveys]),
                "survey_kind": pa.array([s[2] for s in surveys]),
                "touchpoint_code": pa.array([s[3] for s in surveys], pa.string()),
            },
        )
        q_measure = [q[2] for q in q_rows]
        self.tables["survey.questions"] = self._table(
            "survey.questions",
            {
                "question_id": pa.array([q[0] for q in q_rows]),
                "survey_id": pa.array([q[1] for q in q_rows]),
                "measure": pa.array(q_measure),
                "factor": pa.array([q[3] for q in q_rows], pa.string()),
                "question_text": pa.array([q[4] for q in q_rows]),
            },
        )
        survey_ids = [s[0] for s in surveys]

        # --- relationship waves: every ~quarter a sample of current contacts answers
        waves = np.arange(self.start + 30 * DAY, self.end - 7 * DAY, 91 * DAY)
        rel_person, rel_t = [], []
        for w in waves:  # one iteration per wave, vectorised over contacts
            m = (c["created"] < w) & (a["churn"][c["acc"]] > w) & (r.random(c["acc"].size) < 0.1)
            who = np.flatnonzero(m)
            rel_person.append(who)
            rel_t.append(w + np.minimum(_lognormal(r, 2 * DAY, 1.0, who.size), 20 * DAY))
        rel_person_a = np.concatenate(rel_person) if rel_person else np.zeros(0, np.int64)
        rel_t_a = np.concatenate(rel_t) if rel_t else np.zeros(0)
        rel_ok = rel_t_a <= self.end
        rel_person_a, rel_t_a = rel_person_a[rel_ok], rel_t_a[rel_ok]
        nr = rel_person_a.size
        rel_acc = c["acc"][rel_person_a]
        z = r.standard_normal(nr) - 0.6 * a["irritated"][rel_acc]
        nps = np.clip(np.round(7.7 + 2.1 * z + 0.8 * r.standard_normal(nr)), 0, 10)
        perf = {
            "product_service": (3.8, 0.75, 0.6),
            "interaction": (3.2, 0.50, 0.8),
            "brand": (3.7, 0.25, 0.8),
        }
        imp = {"product_service": (4.2, 0.7), "interaction": (4.5, 0.6), "brand": (3.4, 0.9)}
        rel_values: dict[str, np.ndarray] = {"nps": nps}
        for f in FACTORS:
            mu, b, s = perf[f]
            rel_values[f"performance:{f}"] = np.clip(
                np.round(mu + b * z + s * r.standard_normal(nr)), 1, 5
            )
            mu, s = imp[f]
            rel_values[f"importance:{f}"] = np.clip(np.round(mu + s * r.standard_normal(nr)), 1, 5)
        rel_canon = _channel_mix(
            r, nr, {"email": 55, "web": 28, "chat": 8, "phone": 4, "social": 3, "unknown": 0.2}
        )

        # --- after tickets: the survey of the ticket's touchpoint
        solved = np.flatnonzero(t["is_solved"] & (r.random(t["is_solved"].size) < 0.22))
        tk_t = t["solved_at"][solved] + np.minimum(
            _lognormal(r, 6 * HOUR, 1.2, solved.size), 14 * DAY
        )
        solved, tk_t = solved[tk_t <= self.end], tk_t[tk_t <= self.end]
        nt = solved.size
        same = r.random(nt)
        tk_canon = np.where(
            same < 0.65, t["canon"][solved], np.where(same < 0.9, _CH["email"], _CH["web"])
        )
        tp_of_cat = np.array([_TP_TICKET_SURVEY[CATEGORY_TOUCHPOINT[x]] for x in CATEGORIES])
        tk_survey = 1 + tp_of_cat[t["cat"][solved]]
        negative_ticket = t["reopened"][solved] | (t["pos"][solved] > 0)
        tk_adjust = (
            -0.20 * negative_ticket
            - 0.08 * np.isin(t["cat"][solved], _BILLING_CATS)
            - 0.10 * t["hot"][solved]
        )
        tk_csat = self._csat(r, tk_canon, tk_adjust)
        tk_ces = self._ces(r, tk_csat)

        # --- after orders: purchase (new / upgrade / one-off) and renewal
        pos_orders = np.flatnonzero(o["cents"] > 0)
        rate = np.where(o["type"][pos_orders] == 3, 0.10, 0.22)
        od = pos_orders[r.random(pos_orders.size) < rate]
        od_t = o["t"][od] + (1 + r.random(od.size) * 9) * DAY
        od, od_t = od[od_t <= self.end], od_t[od_t <= self.end]
        no = od.size
        same = r.random(no)
        od_canon = np.where(
            same < 0.5, o["canon"][od], np.where(same < 0.85, _CH["email"], _CH["web"])
        )
        od_survey = np.where(
            o["type"][od] == 1,
            survey_ids.index("SRV-ORD-RENEWAL"),
            survey_ids.index("SRV-ORD-PURCHASE"),
        )
        od_person = o["contact"][od]
        od_person = np.where(od_person >= 0, od_person, c["first"][o["acc"][od]])
        od_csat = self._csat(r, od_canon, np.full(no, 0.02))

        # --- responses: relationship, ticket and order responses, sorted by time
        first_ascii = pa.array([x[1] for x in _FIRST])
        last_ascii = pa.array([x[1] for x in _LAST])

        def strangers(k: int) -> pa.Array:
            sid = r.integers(1_000_000, size=k)
            return _join(
                first_ascii.take(pa.array(sid % len(_FIRST))),
                "_",
                last_ascii.take(pa.array((sid // 7) % len(_LAST))),
                pa.array(900_000 + sid).cast(pa.string()),
                "@",
                _strings(_FREEMAIL, sid % len(_FREEMAIL)),
            )

        def people(person: np.ndarray) -> pa.Array:
            """The contact's address (lower-cased), a stranger's for ~3 %."""
            norm = pc.utf8_lower(c["email"].take(pa.array(person)))
            stranger = r.random(person.size) < p.unmatched_email_share
            return pc.if_else(pa.array(stranger), strangers(person.size), norm)

        norm = pa.concat_arrays(
            [people(rel_person_a), t["norm_email"].take(pa.array(solved)), people(od_person)]
        )
        survey = np.concatenate([np.zeros(nr, np.int64), tk_survey, od_survey])
        sub_t = np.concatenate([rel_t_a, tk_t, od_t])
        canon = np.concatenate([rel_canon, tk_canon, od_canon])
        kind = np.concatenate(
            [np.zeros(nr, np.int8), np.ones(nt, np.int8), np.full(no, 2, np.int8)]
        )
        local = np.concatenate([np.arange(nr), np.arange(nt), np.arange(no)])
        ticket_ref = np.concatenate([np.full(nr, -1), solved, np.full(no, -1)])
        order_ref = np.concatenate([np.full(nr + nt, -1), od])
        order = np.argsort(sub_t, kind="stable")
        survey, sub_t, canon, kind, local, ticket_ref, order_ref = (
            x[order] for x in (survey, sub_t, canon, kind, local, ticket_ref, order_ref)
        )
        norm = norm.take(pa.array(order))
        n_resp = survey.size
        resp_ids = _ids("RSP-", np.arange(1, n_resp + 1), 7)
        self.tables["survey.responses"] = self._table(
            "survey.responses",
            {
                "response_id": resp_ids,
                "survey_id": _strings(survey_ids, survey),
                "respondent_email": _email_variants(rt, norm, 0.08, 0.03),
                "ticket_id": _nullable(_ids("TKT-", ticket_ref + 1, 7), ticket_ref >= 0),
                "order_id": _nullable(_ids("ORD-", order_ref + 1, 7), order_ref >= 0),
                "channel": _raw_channels(r, canon),
                "submitted_at": _timestamps(rt, sub_t),
            },
        )

        # --- answers: one row per (response, question); a comment row only when written
        rpos = np.arange(n_resp)
        rel_r, tk_r, od_r = rpos[kind == 0], rpos[kind == 1], rpos[kind == 2]
        rel_l, tk_l, od_l = local[kind == 0], local[kind == 1], local[kind == 2]
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

        def put(resp, qrow, val, slot, text_idx=None) -> None:
            k = resp.size
            parts.append(
                (
                    resp,
                    np.broadcast_to(np.asarray(qrow, np.int64), (k,)),
                    np.asarray(val, float),
                    np.full(k, slot),
                    np.full(k, -1) if text_idx is None else text_idx,
                )
            )

        for slot, (measure, factor, _) in enumerate(_REL_QUESTIONS[:-1]):
            key = measure if factor is None else f"{measure}:{factor}"
            put(rel_r, q_index[("SRV-REL", key)], rel_values[key][rel_l], slot)
        tk_sv = survey[kind == 1] - 1  # ticket surveys follow the relationship survey
        q_of = {
            m: np.array([q_index[(s[0], m)] for s in _TICKET_SURVEYS])
            for m in ("csat", "ces", "comment")
        }
        put(tk_r, q_of["csat"][tk_sv], tk_csat[tk_l], 0)
        put(tk_r, q_of["ces"][tk_sv], tk_ces[tk_l], 1)
        renewal = survey[kind == 2] == survey_ids.index("SRV-ORD-RENEWAL")
        od_q = {
            m: np.where(renewal, q_index[("SRV-ORD-RENEWAL", m)], q_index[("SRV-ORD-PURCHASE", m)])
            for m in ("csat", "comment")
        }
        put(od_r, od_q["csat"], od_csat[od_l], 0)

        def valence(score: np.ndarray, good: float, bad: float) -> np.ndarray:
            return np.where(score >= good, 0, np.where(score <= bad, 2, 1))

        com_resp = np.concatenate([rel_r, tk_r, od_r])
        com_q = np.concatenate(
            [
                np.full(rel_r.size, q_index[("SRV-REL", "comment")]),
                q_of["comment"][tk_sv],
                od_q["comment"],
            ]
        )
        com_val = np.concatenate(
            [valence(nps[rel_l], 9, 6), valence(tk_csat[tk_l], 4, 2), valence(od_csat[od_l], 4, 2)]
        )
        com_bill = np.concatenate(
            [
                np.zeros(rel_r.size, bool),
                np.isin(t["cat"][solved[tk_l]], _BILLING_CATS),
                np.zeros(od_r.size, bool),
            ]
        )
        writes = r.random(com_resp.size) < np.where(com_val == 2, 0.45, 0.2)
        com_resp, com_q, com_val, com_bill = (
            x[writes] for x in (com_resp, com_q, com_val, com_bill)
        )
        texts = self._comments(r, com_val, com_bill)
        put(com_resp, com_q, np.full(com_resp.size, np.nan), 9, np.arange(com_resp.size))

        resp, qrow, val, slot, tix = (np.concatenate([x[i] for x in parts]) for i in range(5))
        order = np.lexsort((slot, resp))
        resp, qrow, val, tix = resp[order], qrow[order], val[order], tix[order]
        is_comment = tix >= 0
        text_value = (
            _nullable(texts.take(pa.array(np.maximum(tix, 0))), is_comment)
            if texts.__len__()
            else pa.nulls(resp.size, pa.string())
        )
        self.answer_measure = np.array(q_measure, dtype=object)[qrow]
        self.tables["survey.answers"] = self._table(
            "survey.answers",
            {
                "response_id": resp_ids.take(pa.array(resp)),
                "question_id": pa.array([q[0] for q in q_rows]).take(pa.array(qrow)),
                "numeric_value": pa.array(
                    np.where(is_comment, 0.0, val), pa.float64(), mask=is_comment
                ),
                "text_value": text_value,
            },
        )

    def _csat(self, r: np.random.Generator, canon: np.ndarray, adjust: np.ndarray) -> np.ndarray:
        """CSAT 1-5. P(4-5) starts at 0.84 (0.62 through social: the planted channel) and is
        lowered by `adjust` (reopened / repeat tickets, billing); observed ~80 % vs ~55 %."""
        base = np.where(canon == _CH["social"], 0.62, 0.84)
        good = r.random(canon.size) < np.clip(base + adjust, 0.05, 0.98)
        hi = np.where(r.random(canon.size) < 0.55, 5, 4)
        lo = 1 + _pick(r, (3, 3, 4), canon.size)
        return np.where(good, hi, lo).astype(float)

    def _ces(self, r: np.random.Generator, csat: np.ndarray) -> np.ndarray:
        """CES 1-7 (7 = very easy), following CSAT with noise."""
        return np.clip(np.round(1.4 * csat - 0.2 + 1.0 * r.standard_normal(csat.size)), 1, 7)

    def _comments(
        self, r: np.random.Generator, valence: np.ndarray, billing: np.ndarray
    ) -> pa.Array:
        groups = ("positive", "neutral", "negative", "billing")
        vocab, offsets = [], []
        for g in groups:
            offsets.append(len(vocab))
            vocab.extend(_COMMENTS[g])
        g = np.where((valence == 2) & billing, 3, valence)
        sizes = np.array([len(_COMMENTS[x]) for x in groups])
        idx = np.array(offsets)[g] + np.floor(r.random(g.size) * sizes[g]).astype(np.int64)
        return _strings(vocab, idx)

    # ---------------------------------------------------------------- assembly
    def _table(self, name: str, columns: dict[str, pa.Array]) -> pa.Table:
        spec = CONTRACT[name]
        assert list(columns) == [c for c, _ in spec], name
        arrays = [columns[c].cast(_ARROW[kind]) for c, kind in spec]
        return pa.Table.from_arrays(arrays, schema=_schema(name))

    def as_of(self) -> date:
        return self.end_date


def _schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(c, _ARROW[kind]) for c, kind in CONTRACT[name]])


# --------------------------------------------------------------------------------------------
# Bad rows
# --------------------------------------------------------------------------------------------
# fmt: off
_KEYS = {
    "crm.accounts": ("account_id", "ACC-", 6),
    "crm.contacts": ("contact_id", "CON-", 7),
    "crm.orders": ("order_id", "ORD-", 7),
    "crm.invoices": ("invoice_id", "INV-", 7),
    "ticketing.tickets": ("ticket_id", "TKT-", 7),
    "ticketing.ticket_events": ("event_id", "EVT-", 8),
    "survey.surveys": ("survey_id", "SRV-X", 4),
    "survey.questions": ("question_id", "QST-", 3),
    "survey.responses": ("response_id", "RSP-", 7),
}
_TIMESTAMP_COLUMN = {
    "crm.accounts": "created_at", "crm.contacts": "created_at", "crm.orders": "ordered_at",
    "crm.invoices": "issued_at", "ticketing.tickets": "created_at",
    "ticketing.ticket_events": "created_at", "survey.responses": "submitted_at",
}
# column -> (prefix, width) of the ids it points at; the unknown ids never exist
_REFERENCE = {
    "crm.contacts": [("account_id", "ACC-", 6)],
    "crm.orders": [("account_id", "ACC-", 6)],
    "crm.invoices": [("account_id", "ACC-", 6)],
    "ticketing.ticket_events": [("ticket_id", "TKT-", 7)],
    "survey.questions": [("survey_id", "SRV-X", 4)],
    "survey.responses": [("survey_id", "SRV-X", 4)],
    "survey.answers": [("response_id", "RSP-", 7), ("question_id", "QST-", 3)],
}


# fmt: on
def _split(total: int, k: int) -> list[int]:
    return [total // k + (1 if i < total % k else 0) for i in range(k)]


def _with_column(tbl: pa.Table, name: str, values: pa.Array) -> pa.Table:
    i = tbl.schema.get_field_index(name)
    return tbl.set_column(i, tbl.schema.field(i), values.cast(tbl.schema.field(i).type))


def _plant_bad_rows(
    name: str,
    tbl: pa.Table,
    share: float,
    r: np.random.Generator,
    measure: np.ndarray | None = None,
) -> tuple[pa.Table, dict[str, int]]:
    """Add (or, for off-scale scores, alter) rows so that ~`share` of the table's rows break
    exactly one contract rule each. Bad rows get fresh keys that nothing references, so no
    valid row depends on a bad one; a duplicate is an exact copy placed after its original."""
    reasons = BAD_ROW_REASONS[name]
    counts = dict.fromkeys(reasons, 0)
    n = tbl.num_rows
    if share <= 0 or n == 0:
        return tbl, counts
    total = int(round(share * n / (1.0 - share)))
    for reason, k in zip(reasons, _split(total, len(reasons)), strict=True):
        counts[reason] = k
    if name == "survey.answers":
        counts["score_out_of_range"] = min(
            counts["score_out_of_range"], int((measure != "comment").sum())
        )
    counts["duplicate_key"] = min(counts["duplicate_key"], n)

    altered = np.zeros(n, dtype=bool)
    if counts.get("score_out_of_range"):
        numeric = np.flatnonzero(measure != "comment")
        hit = np.sort(r.choice(numeric, counts["score_out_of_range"], replace=False))
        vals = tbl.column("numeric_value").to_numpy(zero_copy_only=False).copy()
        for mname, options in _OFF_SCALE.items():  # loop over measures, not rows
            m = measure[hit] == mname
            vals[hit[m]] = np.array(options, dtype=float)[r.integers(len(options), size=m.sum())]
        altered[hit] = True
        tbl = _with_column(tbl, "numeric_value", pa.array(vals, pa.float64(), mask=np.isnan(vals)))

    pieces: list[pa.Table] = []
    positions: list[np.ndarray] = []
    fresh = n + 1  # next unused key number in the table's own id scheme
    key_spec = _KEYS.get(name)

    def fresh_keys(k: int) -> pa.Array:
        nonlocal fresh
        prefix, width = key_spec[1], key_spec[2]
        out = _ids(prefix, np.arange(fresh, fresh + k), width)
        fresh += k
        return out

    def templates(k: int) -> tuple[pa.Table, np.ndarray]:
        idx = np.sort(r.integers(n, size=k))
        return tbl.take(pa.array(idx)), idx

    for reason in reasons:
        k = counts[reason]
        if k == 0 or reason == "score_out_of_range":
            continue
        if reason == "duplicate_key":
            pool = np.flatnonzero(~altered)
            idx = np.sort(r.choice(pool, min(k, pool.size), replace=False))
            pieces.append(tbl.take(pa.array(idx)))
            positions.append(idx + 0.5 + r.random(idx.size) * (n - idx - 0.5))
            continue
        rows, _ = templates(k)
        if reason == "missing_key":
            if key_spec is None:  # answers: one half of the composite key is missing
                col = np.where(np.arange(k) % 2 == 0, 0, 1)
                for ci, cname in enumerate(("response_id", "question_id")):
                    rows = _with_column(
                        rows, cname, _nullable(rows.column(cname).combine_chunks(), col != ci)
                    )
            else:
                rows = _with_column(rows, key_spec[0], pa.nulls(k, pa.string()))
        elif reason == "invalid_timestamp":
            rows = _with_column(rows, key_spec[0], fresh_keys(k))
            bad = _strings(_BAD_TIMESTAMPS, r.integers(len(_BAD_TIMESTAMPS), size=k))
            rows = _with_column(rows, _TIMESTAMP_COLUMN[name], bad)
        elif reason == "orphan_reference":
            if key_spec is not None:
                rows = _with_column(rows, key_spec[0], fresh_keys(k))
            refs = _REFERENCE[name]
            which = np.arange(k) % len(refs)
            for ri, (col, prefix, width) in enumerate(refs):
                ghost = _ids(prefix, 9_000_000 + r.integers(1_000_000, size=k), width)
                current = rows.column(col).combine_chunks()
                rows = _with_column(rows, col, pc.if_else(pa.array(which == ri), ghost, current))
        pieces.append(rows)
        positions.append(r.random(k) * n)
    if not pieces:
        return tbl, counts
    out = pa.concat_tables([tbl, *pieces])
    pos = np.concatenate([np.arange(n, dtype=float), *positions])
    return out.take(pa.array(np.argsort(pos, kind="stable"))), counts


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def generate(
    landing_dir: str | Path,
    *,
    accounts: int = 20_000,
    seed: int = 42,
    file_format: Literal["csv", "parquet"] = "csv",
    bad_row_share: float = 0.002,
    end_date: date = date(2026, 10, 31),
    months: int = 24,
    progress: Callable[[str], None] | None = None,
) -> GenerationResult:
    """Writes <landing_dir>/<system>/<table>.<ext> for every table of the raw contract; returns
    rows written per 'system.table'.

    The result is a `GenerationResult`: a dict of rows per table that also carries
    `.bad_rows` (planted bad rows per table and reason), `.seconds` and `.as_of_date`.
    Same arguments -> byte-identical files. A file of the same table in the other format is
    removed, so a landing folder never holds both.
    """
    t0 = time.perf_counter()
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    if not 0 <= bad_row_share < 0.5:
        raise ValueError("bad_row_share must be in [0, 0.5)")
    if months < 1:
        raise ValueError("months must be at least 1")
    say = progress or (lambda _msg: None)
    landing = Path(landing_dir)

    g = _Generator(accounts, seed, end_date, months)
    say(f"generating {accounts} accounts, seed {seed}, {months} months up to {end_date}")
    g.accounts()
    g.contacts()
    g.orders()
    g.invoices()
    say("crm tables built")
    g.tickets()
    say("ticketing tables built")
    g.surveys()
    say("survey tables built")

    rows: dict[str, int] = {}
    bad: dict[str, dict[str, int]] = {}
    files: list[Path] = []
    r_bad = g.rngs["bad"]
    ext = "csv" if file_format == "csv" else "parquet"
    other = "parquet" if ext == "csv" else "csv"
    for name in CONTRACT:
        tbl = g.tables[name]
        measure = g.answer_measure if name == "survey.answers" else None
        tbl, bad[name] = _plant_bad_rows(name, tbl, bad_row_share, r_bad, measure)
        system, table = name.split(".")
        folder = landing / system
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{table}.{ext}"
        stale = folder / f"{table}.{other}"
        if stale.exists():
            stale.unlink()
        if ext == "csv":
            pacsv.write_csv(
                tbl, path, pacsv.WriteOptions(include_header=True, quoting_style="needed")
            )
        else:
            pq.write_table(tbl, path, compression="zstd")
        rows[name] = tbl.num_rows
        files.append(path)
        say(f"{system}/{table}.{ext}: {tbl.num_rows} rows ({sum(bad[name].values())} bad)")
    seconds = time.perf_counter() - t0
    result = GenerationResult(rows, bad, seconds, files, g.as_of())
    say(f"{result.total_rows} rows in {seconds:.1f} s ({result.rows_per_minute:,.0f} rows/min)")
    return result
