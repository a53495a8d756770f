"""The planted truths: what the demo data is built to show, as one frozen record (`PLANTED`).

The world and the source-system modules read their rates from here, and tests of the warehouse
assert that the marts rediscover them (docs/demo_data.md has the measured figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from demo_data.bad_rows import BAD_ROW_REASONS, BAD_TIMESTAMPS
from demo_data.vocab import CHANNELS, RAW_CHANNELS


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
    low_csat_raw_values: tuple[str, ...] = tuple(c for c, _ in RAW_CHANNELS["social"])
    low_csat_target: float = 0.55  # share of csat answers >= 4 through the social channel
    other_csat_target: float = 0.80  # ... through every other channel
    # (3) a real drop and a noise move in the last month of the window (alerts, issue 18):
    # CSAT of answers given through `csat_drop_channel` falls hard (P(4-5) lowered by
    # `csat_drop`), while `csat_wobble_channel` moves a little, well inside its interval
    csat_drop_channel: str = "email"
    csat_drop: float = 0.40
    csat_wobble_channel: str = "web"
    csat_wobble: float = 0.02
    # survey structure
    driver_factor_order: tuple[str, ...] = ("product_service", "interaction", "brand")
    positive_gap_factor: str = "interaction"
    # messy inputs
    unknown_channel_codes: tuple[str, ...] = ("fax", "telex")
    unknown_channel_raw_values: tuple[str, ...] = tuple(c for c, _ in RAW_CHANNELS["unknown"])
    unmatched_email_share: float = 0.03
    repeat_window_days: int = 7
    as_of_is_end_date: bool = True
    raw_channel_codes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {c: tuple(v for v, _ in RAW_CHANNELS[c]) for c in CHANNELS}
    )
    bad_row_reasons: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(BAD_ROW_REASONS)
    )
    bad_timestamp_values: tuple[str, ...] = BAD_TIMESTAMPS

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def keys(self) -> list[str]:
        return list(asdict(self))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PLANTED = PlantedTruth()
