"""FR2xx: framing rules: centring, fill and cropping of the subject."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.findings import Hit, Severity
from imagecheck.i18n import and_list, msg, nmsg, term
from imagecheck.rules.registry import Param, rule


@rule(
    "FR201",
    "subject-off-centre",
    "centring",
    Severity.ERROR,
    params={
        "max_offset": Param(
            0.08, 0.0, 0.5, "offset of the subject's centre, as a share of the image width"
            " (horizontal) or height (vertical), above which a person should look (warning)"
        ),
        "error_offset": Param(
            0.15, 0.0, 0.5, "offset above which the product is clearly off centre (error)"
        ),
    },
)
def subject_off_centre(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Product is not centred in the frame.

    Pinduoduo's main image rule puts the product in the centre of the picture; Taobao
    and JD main images likewise. The check takes the bounding box of the product (all
    that is not plain background, less added text overlays and logo marks, which have
    rules of their own) and measures how far its centre sits from the image centre,
    horizontally as a share of the width and vertically as a share of the height (within
    the room left by added header and footer lines). A product set beside a column of
    added text (a promo layout) is measured by itself, without the text panel's side.
    An offset above ``max_offset`` is a warning, above ``error_offset`` an error. An axis
    along which the subject spans the whole frame is not judged, and neither is a photo
    whose subject runs off two edges on a background that is not white (a scene), unless
    it is set beside a text panel.

    Fix: re-crop or re-canvas the image so the product's box is centred (equal margins
    left and right, top and bottom).
    """
    s = facts.product
    if s.box is None:
        return
    # A scene has no product to centre, unless the layout sets it beside a text panel.
    scene = facts.background.kind == "scene" or (
        len(s.touches) >= 2 and facts.background.kind != "white"
    )
    if scene and facts.text_panel is None:
        return
    dx = 0.0 if {"left", "right"} <= set(s.touches) else s.offset[0]
    dy = 0.0 if {"top", "bottom"} <= set(s.touches) else s.offset[1]
    limit = p["max_offset"]
    worst = max(abs(dx), abs(dy))
    if worst <= limit:
        return
    parts = []
    if abs(dx) > limit:
        parts.append(msg("{share:.0%} to the right of", share=dx) if dx > 0
                     else msg("{share:.0%} to the left of", share=-dx))
    if abs(dy) > limit:
        parts.append(msg("{share:.0%} below", share=dy) if dy > 0
                     else msg("{share:.0%} above", share=-dy))
    yield Hit(
        msg("product is off centre: its centre sits {offset} the image centre (allowed"
            " {limit:.0%})", offset=and_list(parts), limit=limit),
        value=round(worst, 3),
        threshold=limit,
        box=s.box,
        severity=None if worst > p["error_offset"] else Severity.WARNING,
        details={"offset_x": round(dx, 3), "offset_y": round(dy, 3)},
    )


@rule(
    "FR202",
    "subject-too-small",
    "fill",
    Severity.WARNING,
    params={
        "min_fill": Param(
            0.25, 0.0, 1.0, "smallest share of the frame the subject's longest side must span"
        )
    },
)
def subject_too_small(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Product fills too little of the frame.

    Amazon requires the product to fill at least 85% of the image; Pinduoduo, Taobao and
    JD reviewers reject main images where the product is a speck on a large canvas. Fill
    is measured as Amazon does, by the subject's longest side: the larger of its box's
    width over the image width and its height over the image height. The default (25%)
    flags only a speck on a canvas; the amazon profile asks for 85%.

    Fix: crop closer to the product (leave a margin of about 5-10%), or re-shoot closer.
    """
    s = facts.product
    if s.box is None or facts.background.kind == "scene":
        return
    need = p["min_fill"]
    if s.fill < need:
        yield Hit(
            msg("product spans only {fill:.0%} of the image along its longest side"
                " (needs {need:.0%})", fill=s.fill, need=need),
            value=round(s.fill, 3),
            threshold=need,
            box=s.box,
        )


@rule(
    "FR203",
    "subject-cropped",
    "fill",
    Severity.INFO,
    params={
        "max_edges": Param(
            1, 0, 4, "how many image edges the subject may touch before it is called cropped"
        )
    },
)
def subject_cropped(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Product runs off the edge of the frame.

    Main images should show the whole product; a product cut by two or more edges is
    likely cropped. Touching one edge is common (a product set on the bottom edge) and
    is not reported by default.

    Fix: zoom out or add canvas so the whole product is in frame with a small margin.
    """
    s = facts.product
    if s.box is None or facts.background.kind == "scene":
        return
    if len(s.touches) > p["max_edges"]:
        yield Hit(
            nmsg("product touches the {edges} edge of the image; it may be cut off",
                 "product touches the {edges} edges of the image; it may be cut off",
                 n=len(s.touches), edges=and_list([term(e) for e in s.touches])),
            value=len(s.touches),
            threshold=p["max_edges"],
            box=s.box,
        )
