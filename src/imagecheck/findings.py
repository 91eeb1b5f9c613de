"""The one result type: a :class:`Finding`, for image and shop rules alike."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import KW_ONLY, dataclass, field

#: A box in original-image pixel coordinates: ``(x0, y0, x1, y1)``, end exclusive.
Box = tuple[int, int, int, int]

#: A measured value or threshold: a number, a short string, or absent.
Value = float | int | str | None

#: The fixed category vocabulary other tools can map findings by, without knowing codes.
CATEGORIES: tuple[str, ...] = (
    "background",
    "centring",
    "fill",
    "text",
    "logo",
    "border",
    "badge",
    "watermark",
    "composition",
    "quality",
    "input",
    "shop",
)


class Severity(enum.IntEnum):
    """How bad a finding is: ``error`` violates the rule, ``warning`` is a likely violation
    a person should look at, ``info`` is not a violation."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Return the severity named ``text`` (``info``, ``warning`` or ``error``)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(str(s) for s in cls)
            raise ValueError(f"unknown severity {text!r}; expected one of {names}") from None


@dataclass(frozen=True)
class Hit:
    """What a rule function yields: the evidence of one finding, before the registry
    stamps it with the rule's code, category and default severity. Everything after
    ``message`` is passed by keyword (``value=``, ``threshold=``...), so numbers cannot swap."""

    message: str
    _: KW_ONLY
    value: Value = None
    threshold: Value = None
    box: Box | None = None
    severity: Severity | None = None
    target: str | None = None
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one target, with the evidence that made it fire.

    ``target`` is ``None`` for a whole image; shop rules name what they judged
    (an order number, a day, a document).
    """

    code: str
    category: str
    severity: Severity
    message: str
    value: Value = None
    threshold: Value = None
    box: Box | None = None
    target: str | None = None
    details: Mapping[str, object] = field(default_factory=dict)


def union_box(boxes: Iterable[Box]) -> Box:
    """The smallest box holding every one of ``boxes`` (at least one)."""
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return (min(x0s), min(y0s), max(x1s), max(y1s))
