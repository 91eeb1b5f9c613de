"""CP601-CP602: comparison images and collages (composition)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.ocr import OcrUnavailable
from imagecheck.findings import Box, Hit, Severity, union_box
from imagecheck.i18n import join, msg, term
from imagecheck.rules.registry import Param, rule

#: Words that mark a comparison (Latin ones only as whole words).
COMPARISON_WORDS = re.compile(
    r"(?<![A-Z])(?:VS|PK|BEFORE|AFTER)(?![A-Z])|对比|使用前|使用后|普通款|升级款|别家|他家"
)


@rule(
    "CP601",
    "comparison-image",
    "composition",
    Severity.ERROR,
    params={"min_markers": Param(1, 1, 4, "comparison markers needed beside a two-panel split")},
)
def comparison_image(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is a side-by-side comparison (ours vs theirs, before/after).

    Pinduoduo forbids comparison images that point at a specific target
    (有明确指向性的对比图片) and asks that images not disparage other products. The check
    looks for a left/right split into two panels (a seam down the middle, or two
    pictures each centred in its half) together with comparison markers: a divider line,
    contrasting panel backgrounds, a roundel on the split (VS/对比), a green and a red
    mark on either side (✓/✗), or comparison wording read by OCR (VS, PK, 对比,
    使用前/使用后, 普通款/升级款). Panels and markers are reported.

    Fix: show the product alone; move comparisons to the detail page, without naming or
    showing another seller's product.
    """
    c = facts.composition
    if c.halves is None:
        return
    words = comparison_words(facts)
    markers = [*(term(m) for m in c.markers),
               *(msg('the words "{text}"', text=w) for w, _ in words)]
    if len(markers) < p["min_markers"]:
        return
    boxes = [*c.marker_boxes, *(b for _, b in words)]
    yield Hit(
        msg("two panels side by side with comparison markers ({markers})", markers=join(markers)),
        value=len(markers),
        threshold=int(p["min_markers"]),
        box=union_box(boxes) if boxes else c.extent,
        details={"panels": list(c.halves), "markers": markers},
    )


def comparison_words(facts: Facts) -> list[tuple[str, Box]]:
    """Comparison wording OCR read in the image (VS, 对比, 使用前/后...), with its box;
    none when OCR cannot run (the text rules say so), so geometry alone decides."""
    try:
        lines = facts.text.boxes
    except OcrUnavailable:
        return []
    found = []
    for line in lines:
        if line.kind == "artefact":
            continue
        found += [(m.group(0), line.box) for m in COMPARISON_WORDS.finditer(line.text.upper())]
    return found


@rule(
    "CP602",
    "collage-image",
    "composition",
    Severity.ERROR,
    params={"min_panels": Param(3, 2, 16, "panels that make a collage (two are a comparison)")},
)
def collage_image(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is a collage (拼接) of several pictures or has a picture-in-picture inset.

    Taobao's white-background main image forbids collages (拼接); Pinduoduo's main image
    must show one product clearly. The check finds panels from straight seams across the
    whole image (a divider, or an abrupt change between two pictures), from pictures
    tiled in equal cells (a 2x2 grid, a row of three) each centred in its cell, and
    rectangular insets at a corner bounded by straight edges. Products photographed
    together are not cut by seams and stand closer than tiled cells, so they stay quiet.

    Fix: use one photograph of the product; put the other views in further carousel or
    detail images. A two-panel comparison with markers is CP601's, not repeated here.
    """
    c = facts.composition
    if c.halves is not None and c.markers:
        return  # a marked two-panel comparison: CP601 reports it
    rows, cols = c.grid
    need = int(p["min_panels"])
    if rows * cols >= need:
        yield Hit(
            msg("the image is tiled into {rows}x{cols} panels (found from its {source})",
                rows=rows, cols=cols, source=term(c.grid_source)),
            value=rows * cols,
            threshold=need,
            box=c.extent,
            details={"panels": list(c.panels)},
        )
    elif c.inset is not None:
        yield Hit(
            msg("a picture-in-picture inset sits at a corner of the image"),
            value=1,
            threshold=1,
            box=c.inset,
        )
