"""CP6xx: comparison images, collages, and upscaled, blocky, blurred or stretched images."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.ocr import OcrUnavailable
from imagecheck.findings import Box, Hit, Severity, union_box
from imagecheck.i18n import join, msg, term
from imagecheck.rules.registry import Param, rule

#: A resampling period this strong on the other axis too means a uniform resize.
UNIFORM_STRENGTH = 5.0


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
        len(markers),
        int(p["min_markers"]),
        union_box(boxes) if boxes else c.extent,
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
            rows * cols,
            need,
            c.extent,
            details={"panels": list(c.panels)},
        )
    elif c.inset is not None:
        yield Hit(
            msg("a picture-in-picture inset sits at a corner of the image"),
            1,
            1,
            c.inset,
        )


@rule(
    "CP603",
    "image-upscaled",
    "quality",
    Severity.WARNING,
    params={"max_factor": Param(
        1.8, 1.1, 16.0, "largest tolerated enlargement (pixel size over real detail)")},
)
def image_upscaled(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image was enlarged from a smaller one (upscaled or pixelated).

    Pinduoduo requires clear images (图片清晰); an enlarged image looks soft or blocky
    and platforms down-rank or reject it as unclear. The effective resolution comes from
    how little detail a down-and-up resample loses (nothing below the enlargement
    factor, then a sharp rise) and from repeated rows and columns (nearest-neighbour
    enlargement, i.e. pixelation).

    Fix: export the product photo from the original at the target size instead of
    enlarging a small copy; if only a small original exists, keep it at its own size.
    """
    d = facts.degradation
    f = d.upscale_factor
    if f > p["max_factor"]:
        how = msg("repeated pixels (pixelated)") if d.repeat_factor >= d.effective_factor \
            else msg("missing fine detail")
        eff = f"{round(facts.width / f)}x{round(facts.height / f)}"
        yield Hit(
            msg("image looks enlarged about {factor:.1f}x ({how}): it has the detail of a"
                " {small} image, shown at {width}x{height}", factor=f, how=how, small=eff,
                width=facts.width, height=facts.height),
            round(f, 2),
            p["max_factor"],
            details={"effective_resolution": eff, "detail_loss": list(d.detail_loss)},
        )


@rule(
    "CP604",
    "jpeg-blocking",
    "quality",
    Severity.WARNING,
    params={"min_quality": Param(35, 1, 100, "lowest tolerated JPEG encoder quality (IJG scale)")},
)
def jpeg_blocking(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image was saved at a very low JPEG quality and shows 8x8 blocking.

    Pinduoduo and Taobao require clear, attractive images; heavy compression makes
    blocky, smeared images that read as low quality. The quality is estimated from the
    quantiser step the image's 8x8 DCT coefficients sit on (IJG scale, 1-100).

    Fix: re-export from the original at quality 85-92 (stay under the size limit by
    reducing pixel size, not quality).
    """
    d = facts.degradation
    q = d.jpeg_quality
    if q is not None and q < p["min_quality"]:
        yield Hit(
            msg("image was saved at about JPEG quality {quality:.0f} and shows 8x8 blocks;"
                " quality {need:.0f} or more avoids them", quality=q, need=p["min_quality"]),
            q,
            p["min_quality"],
            details={"blockiness": d.blockiness},
        )


@rule(
    "CP605",
    "image-strongly-blurred",
    "quality",
    Severity.ERROR,
    params={"max_factor": Param(
        3.5, 1.5, 16.0, "largest tolerated blur, as pixel size over real detail")},
)
def image_strongly_blurred(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Whole image is strongly blurred (focus or camera shake), not only soft.

    Pinduoduo requires clear images (图片清晰); a strongly blurred image is rejected.
    IQ505 warns when the product's edges are soft; this rule measures the whole image's
    effective resolution and fires when detail fades gradually (blur, unlike the sharp
    cut-off of an enlargement) down to a fraction of the pixel size.

    Fix: re-shoot in focus with a steady camera (tripod, more light).
    """
    d = facts.degradation
    f = d.blur_factor
    if f > p["max_factor"]:
        yield Hit(
            msg("image is strongly blurred: it has the detail of an image {factor:.1f}x"
                " smaller", factor=f),
            round(f, 2),
            p["max_factor"],
            details={"detail_loss": list(d.detail_loss)},
        )


@rule(
    "CP606",
    "image-stretched",
    "quality",
    Severity.WARNING,
    params={"min_strength": Param(
        15, 5, 1000, "strength of the resampling period along one axis only")},
)
def image_stretched(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image was stretched or squeezed along one axis (distorted aspect).

    Pinduoduo forbids distorted images (图片不变形) and deformed products. Resizing
    along one axis by a non-integer factor leaves a periodic trace in the fine detail
    along that axis only (Popescu and Farid); a uniform resize leaves the same trace
    on both axes and is not flagged, nor is a period the picture itself shows (a
    striped, checked or knitted product). An image without that trace cannot be judged.

    Fix: resize with the aspect ratio locked; to change the shape, pad with background
    instead of stretching.
    """
    (fx, sx), (fy, sy) = facts.degradation.resample
    px, py = facts.degradation.pattern
    need = p["min_strength"]
    for axis, f, s, of, os_, pattern in ((msg("horizontally"), fx, sx, fy, sy, px),
                                         (msg("vertically"), fy, sy, fx, sx, py)):
        same_on_other = abs(of - f) <= 0.01 and os_ >= UNIFORM_STRENGTH
        if s >= need and not same_on_other and not pattern:
            yield Hit(
                msg("image looks resized {axis} only: the product is stretched or squeezed",
                    axis=axis),
                s,
                need,
                details={"frequency": f},
            )
            return
