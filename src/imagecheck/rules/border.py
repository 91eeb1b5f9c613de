"""OV40x: borders and frames."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.border import Band
from imagecheck.analysis.facts import Facts
from imagecheck.findings import Hit, Severity, union_box
from imagecheck.i18n import join, msg, nmsg, term
from imagecheck.rules.registry import Param, rule


@rule(
    "OV401",
    "border-frame",
    "border",
    Severity.ERROR,
    params={
        "min_edges": Param(3, 1, 4, "edges that must carry a band for it to count as a frame"),
    },
)
def border_frame(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image has a border, frame or edge bands.

    Pinduoduo's carousel rule forbids borders (边框); Taobao and JD main images must not be
    framed. The check reads each edge line by line at full resolution for a band of
    uniform, non-white colour that ends in a clean step to the content inside: coloured
    frames, thin outlines and inset lines. A product merely touching an edge does not
    count (only part of the edge line changes). Matching bands on two opposite edges
    (letterbox or pillarbox bars) are reported as a warning.

    Fix: crop the frame off, or re-export the image without the decorative border.
    """
    bands = facts.bands
    need = p["min_edges"]
    if len(bands) < min(2, need) or (len(bands) == 2 and not _letterbox(bands)):
        return
    edges = join([msg("{edge} {px}px", edge=term(b.edge), px=b.thickness) for b in bands])
    r, g, b = bands[0].colour
    box = union_box(band.box for band in bands)
    severity = None if len(bands) >= need else Severity.WARNING
    args = {"edges": edges, "colour": f"#{r:02X}{g:02X}{b:02X}"}
    text = (nmsg("frame along {n} edge ({edges}), colour {colour}",
                 "frame along {n} edges ({edges}), colour {colour}", n=len(bands), **args)
            if len(bands) >= need
            else msg("coloured bands along {n} edges ({edges}), colour {colour}", n=len(bands),
                     **args))
    yield Hit(
        text,
        value=len(bands),
        threshold=need,
        box=box,
        severity=severity,
        details={"bands": [(x.edge, x.offset, x.thickness) for x in bands]},
    )


def _letterbox(bands: tuple[Band, ...]) -> bool:
    """Whether two bands sit on opposite edges in about the same colour."""
    a, b = bands
    opposite = {a.edge, b.edge} in ({"top", "bottom"}, {"left", "right"})
    return opposite and max(abs(x - y) for x, y in zip(a.colour, b.colour, strict=True)) <= 40
