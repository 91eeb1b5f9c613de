"""BG1xx: background rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg, term
from imagecheck.rules.registry import Param, rule


@rule(
    "BG101",
    "background-not-white",
    "background",
    Severity.ERROR,
    params={
        "min_white_share": Param(
            0.5, 0.0, 1.0, "share of background pixels that must be near-pure white"
        )
    },
)
def background_not_white(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Background is not (mainly) pure white.

    Pinduoduo's main image rule asks for a background that is mainly pure white; Taobao's
    white-background image and Amazon's main image require pure white (RGB 255,255,255).
    The check grows the plain background in from the image edges (following soft shadows
    and gradients, stopping at the product's outline), then measures the share of its
    pixels that are near-pure, neutral white (every channel >= 245). It names what it
    sees: off-white or light grey, grey, coloured, gradient, or a scene with no plain
    background at all.

    Fix: shoot on a white sweep or cut the product out and place it on #FFFFFF; raise
    the white point so the backdrop reaches 250-255 without clipping the product.
    """
    bg = facts.background
    if facts.image.alpha is not None and bg.kind == "white":
        return
    need = p["min_white_share"]
    if bg.kind == "white" and bg.white_share >= need:
        return
    colour = "#{:02X}{:02X}{:02X}".format(*bg.colour)
    if bg.kind == "scene":
        text = msg("no plain background: the product is shown in a scene or fills the frame")
    else:
        text = msg(
            "{white:.0%} of the background is white (needs {need:.0%}); the rest is {kind},"
            " colour {colour}",
            white=bg.white_share, need=need, kind=term(bg.kind), colour=colour,
        )
    severity = Severity.WARNING if bg.kind == "off-white" else None
    yield Hit(text, value=round(bg.white_share, 3), threshold=need,
              box=(0, 0, facts.width, facts.height), severity=severity)
