"""Plain records the shop readers produce and the shop rules read.

Every time is timezone-aware; naive input times are China time
(:data:`~imagecheck.shop.defaults.CHINA_TZ`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from imagecheck.findings import Hit
from imagecheck.i18n import Message, join, msg, term


class ShopInputError(ValueError):
    """A shop input that cannot be used at all (missing file or column, empty file...).

    The message names the file and, where they apply, the row and column.
    """


@dataclass(frozen=True)
class RowProblem:
    """Why one CSV row could not be used. ``row`` counts like a spreadsheet: header = 1."""

    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        return str(self.message)

    @property
    def message(self) -> Message:
        """Where and why, in words (translated where shown)."""
        if self.column:
            return msg("row {row}, column {column}: {reason}", row=self.row, column=self.column,
                       reason=self.reason)
        return msg("row {row}: {reason}", row=self.row, reason=self.reason)


@dataclass(frozen=True)
class InputSummary:
    """What was read from one input file."""

    kind: str
    file: str
    encoding: str
    rows_read: int
    unusable: tuple[RowProblem, ...] = ()

    @property
    def rows_unusable(self) -> int:
        """How many rows could not be used."""
        return len(self.unusable)

    def unusable_hit(self, noun: str, consequence: str) -> Hit:
        """The evidence that rows of this file could not be used: how many, the first few
        problems (file, row, column, why) and what follows (``consequence``)."""
        shown = join([p.message for p in self.unusable[:5]], "; ")
        more = msg(" (+{n} more)", n=self.rows_unusable - 5) if self.rows_unusable > 5 else ""
        return Hit(
            msg("{n} of {total} {noun} rows could not be used and {consequence}: {rows}{more}",
                n=self.rows_unusable, total=self.rows_read, noun=term(noun),
                consequence=consequence, rows=shown, more=more),
            value=self.rows_unusable,
            threshold=0,
            target=self.file,
            details={"rows": [str(p) for p in self.unusable]},
        )


@dataclass(frozen=True)
class ChatMessage:
    """One message of a customer-service chat log."""

    user: str
    time: datetime
    sender: str  # "buyer", "agent" (a person) or "auto" (auto-reply / bot)
    text: str
    row: int


@dataclass(frozen=True)
class Order:
    """One order of an order export."""

    order_id: str
    province: str | None
    address: str
    paid_at: datetime | None
    ship_deadline: datetime | None
    shipped_at: datetime | None
    tracking_no: str
    row: int


@dataclass(frozen=True)
class TrackingEvent:
    """One event of a carrier's tracking history."""

    tracking_no: str
    time: datetime
    description: str
    location: str
    row: int


@dataclass(frozen=True)
class Violation:
    """One violation record from the back-end's 违规管理 page."""

    date: date
    kind: str  # "counterfeit", "quality" or "other"
    points: float | None
    serious: bool
    confirmed: bool
    account: str
    description: str


@dataclass(frozen=True)
class KuaishouInfo:
    """The ``[kuaishou]`` section of a shop profile. ``None`` means "not given"."""

    status: str | None
    live_cart: bool | None
    profile_entrance: bool | None
    shop_type: str | None  # "enterprise", "individual" or "personal"
    main_category: str | None
    star_rating: float | None
    return_rate: float | None
    category_return_rate: float | None
    negative_review_rate: float | None
    market_negative_review_rate: float | None
    violations: tuple[Violation, ...] | None
    entity_violations: tuple[Violation, ...] | None
    individual_categories: tuple[str, ...]
    application_date: date | None


@dataclass(frozen=True)
class Document:
    """One store-opening document listed in the ``[pdd.documents]`` table."""

    key: str
    file: str | None  # as written in the profile
    path: Path | None  # resolved against the profile's folder
    kind: str | None  # trademark only: "registration" or "application"
    expires: date | None
    permanent: bool


@dataclass(frozen=True)
class PddInfo:
    """The ``[pdd]`` section of a shop profile, with documented defaults filled in."""

    store_type: str | None
    documents: Mapping[str, Document]
    required_documents: tuple[str, ...]
    deposit_yuan: float | None
    regions: Mapping[str, str]
    auto_reply_markers: tuple[str, ...]
    departure_keywords: tuple[str, ...]
    hub_keywords: tuple[str, ...]
    delivery_keywords: tuple[str, ...]


@dataclass(frozen=True)
class ShopProfile:
    """A parsed shop profile file."""

    path: Path
    name: str
    kuaishou: KuaishouInfo | None
    pdd: PddInfo | None
    pdd_settings: PddInfo  # ``pdd`` if given, else the defaults (the CSV checks need them)


@dataclass(frozen=True)
class ShopData:
    """Everything the shop rules judge: the subject of every shop rule
    (:class:`~imagecheck.rules.registry.ShopRule`).

    ``chats``, ``orders`` and ``tracking`` are ``None`` when that input was not given.
    """

    profile: ShopProfile
    now: datetime
    chats: tuple[ChatMessage, ...] | None = None
    orders: tuple[Order, ...] | None = None
    tracking: tuple[TrackingEvent, ...] | None = None
    inputs: Mapping[str, InputSummary] = field(default_factory=dict)
    #: Facts several rules share (e.g. the consulting user-days), computed once per setting.
    memo: dict[tuple[str, float], Any] = field(default_factory=dict, compare=False, repr=False)
