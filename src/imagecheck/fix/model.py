"""What ``imagecheck fix`` did to one image, as plain data for the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from imagecheck.i18n import N_

#: The corrections, in the order they are applied, with the rule codes each answers (the
#: names are marked for the catalog: text reports show them translated).
CORRECTIONS: dict[str, tuple[str, ...]] = {
    N_("colour-mode"): (),
    N_("srgb"): (),
    N_("exif-orientation"): ("IN004",),
    N_("flatten-transparency"): ("IN002",),
    N_("crop-border"): ("OV401",),
    N_("remove-overlay"): ("OV411", "OV412", "TX309", "OV431", "TX301", "TX302", "LG303",
                           "LG305", "LG306"),
    N_("whiten-background"): ("BG101",),
    N_("cut-out"): ("BG101",),
    N_("recanvas"): ("FR201", "FR202", "IQ501", "IQ502", "IQ503", "IQ506"),
    N_("encode"): ("IQ504",),
}


@dataclass(frozen=True)
class Correction:
    """One correction applied: its name (a key of :data:`CORRECTIONS`), the rule codes
    it answers on this image, and its parameters (boxes, colours, sizes, quality)."""

    name: str
    codes: tuple[str, ...]
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FixOptions:
    """Choices for ``imagecheck fix``; ``None`` takes the value from the profile."""

    #: Side of the square canvas a product is recentred on [profile: the larger of 800,
    #: IQ501's minimum and IQ506's zoom side, at most IQ502's maximum].
    size: int | None = None
    #: Share of the canvas the product's longest side should span [profile: 0.8, or a
    #: little over FR202's ``min_fill`` where that is higher].
    fill: float | None = None
    #: Largest enlargement of the product done without a warning (FX101).
    max_upscale: float = 1.0
    #: Compute and re-check the fixed copy, but write nothing.
    dry_run: bool = False


@dataclass(frozen=True)
class FixRecord:
    """The outcome of fixing one image.

    ``output`` is the copy written (or that would be, with ``dry_run``), ``None`` when no
    copy was needed or possible. ``before`` are the codes that failed the original;
    ``passing`` those of them the copy passes; ``failing`` maps each code the copy still
    fails to why it could not be fixed."""

    output: str | None
    applied: tuple[Correction, ...]
    before: tuple[str, ...]
    passing: tuple[str, ...]
    failing: Mapping[str, str]
    dry_run: bool = False
    note: str = ""
