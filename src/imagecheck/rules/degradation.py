"""IQ507-IQ510: upscaled, blocky, blurred or stretched images (quality, judged from the
degradation fact)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg
from imagecheck.rules.registry import Param, rule

#: A resampling period this strong on the other axis too means a uniform resize.
UNIFORM_STRENGTH = 5.0


@rule(
    "IQ507",
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
            value=round(f, 2),
            threshold=p["max_factor"],
            details={"effective_resolution": eff, "detail_loss": list(d.detail_loss)},
        )


@rule(
    "IQ508",
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
            value=q,
            threshold=p["min_quality"],
            details={"blockiness": d.blockiness},
        )


@rule(
    "IQ509",
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
            value=round(f, 2),
            threshold=p["max_factor"],
            details={"detail_loss": list(d.detail_loss)},
        )


@rule(
    "IQ510",
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
                value=s,
                threshold=need,
                details={"frequency": f},
            )
            return
