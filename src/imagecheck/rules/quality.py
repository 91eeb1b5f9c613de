"""IQ5xx: image size, shape, file size and sharpness."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg
from imagecheck.rules.registry import Param, rule


@rule(
    "IQ501",
    "image-too-small",
    "quality",
    Severity.ERROR,
    params={"min_side": Param(480, 1, 20000, "smallest allowed width and height, in pixels")},
)
def image_too_small(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is smaller than the platform's minimum size.

    Pinduoduo carousel images must be square and at least 480x480; Taobao main images
    800x800 (which also enables zoom); Amazon at least 500 px on the shortest side.

    Fix: export from the original at a larger size; do not upscale a small image (it
    turns blurry and may be rejected as unclear).
    """
    need = int(p["min_side"])
    side = min(facts.width, facts.height)
    if side < need:
        yield Hit(
            msg("image is {width}x{height}; the shorter side must be at least {need} px",
                width=facts.width, height=facts.height, need=need),
            value=side,
            threshold=need,
        )


@rule(
    "IQ502",
    "image-too-large",
    "quality",
    Severity.ERROR,
    params={"max_side": Param(5000, 1, 50000, "largest allowed width and height, in pixels")},
)
def image_too_large(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is larger than the platform accepts.

    Platforms cap upload dimensions (Amazon 10000 px on the longest side; most Chinese
    marketplaces recommend at most 5000 px or less).

    Fix: resize the image down to the platform's recommended size before upload.
    """
    limit = int(p["max_side"])
    side = max(facts.width, facts.height)
    if side > limit:
        yield Hit(
            msg("image is {width}x{height}; the longer side may be at most {limit} px",
                width=facts.width, height=facts.height, limit=limit),
            value=side,
            threshold=limit,
        )


@rule(
    "IQ503",
    "image-not-square",
    "quality",
    Severity.ERROR,
    params={"tolerance": Param(0.01, 0.0, 1.0, "allowed relative difference of width and height")},
)
def image_not_square(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is not square where the platform requires a square.

    Pinduoduo carousel (and so main) images must be square (1:1); Taobao and JD main
    images are 1:1 (800x800).

    Fix: extend the canvas with white to a square, keeping the product centred; do not
    stretch the image (a distorted product is its own violation).
    """
    ratio = facts.width / facts.height
    tol = p["tolerance"]
    if abs(ratio - 1.0) > tol:
        yield Hit(
            msg("image is {width}x{height}, not square; a square (1:1) image is required",
                width=facts.width, height=facts.height),
            value=round(ratio, 3),
            threshold=1.0,
        )


@rule(
    "IQ504",
    "file-too-large",
    "quality",
    Severity.ERROR,
    params={"max_megabytes": Param(3.0, 0.01, 100.0, "largest allowed file size in MB")},
)
def file_too_large(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """File is larger than the platform's upload limit.

    Pinduoduo and Taobao cap listing images at 3 MB; Amazon at 10 MB.

    Fix: re-save as JPEG at quality 85-92, or reduce the pixel size.
    """
    mb = facts.image.file_size / 1_000_000
    limit = p["max_megabytes"]
    if mb > limit:
        yield Hit(msg("file is {size:.2f} MB; the limit is {limit:g} MB", size=mb, limit=limit),
                  value=round(mb, 3), threshold=limit)


@rule(
    "IQ505",
    "image-blurry",
    "quality",
    Severity.WARNING,
    params={
        "min_sharpness": Param(
            0.2, 0.0, 2.0, "lowest edge crispness (0.25-0.6 for sharp photos, falling with blur)"
        )
    },
)
def image_blurry(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Product looks blurred or out of focus.

    Pinduoduo requires images to be sharp (清晰) and not blurred; every platform down-ranks
    unclear images. Sharpness is the ratio of the strongest second-derivative response to
    the strongest gradient on the product (measured at up to 1000 px): 0.25-0.6 for crisp
    photos, falling roughly as one over the blur radius, whatever the product's colour or
    contrast.

    Fix: re-shoot with the product in focus (tripod, more light), or export from the
    original instead of a resized or re-compressed copy.
    """
    need = p["min_sharpness"]
    s = facts.sharpness
    if s < need:
        yield Hit(
            msg("product edges look blurred (sharpness {sharpness:.2f}; sharp photos score"
                " {need:.2f} or more)", sharpness=s, need=need),
            value=round(s, 3),
            threshold=need,
            box=facts.subject.box,
        )


@rule(
    "IQ506",
    "image-below-zoom-size",
    "quality",
    Severity.WARNING,
    params={"zoom_side": Param(1000, 1, 20000, "longest side needed for zoom, in pixels")},
)
def image_below_zoom_size(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image is too small for the platform's zoom.

    Amazon enables zoom only when the longest side is at least 1000 px, and recommends it;
    listings without zoom convert worse.

    Fix: export the original at 1000 px or more on the longest side (up to 2000 is best).
    """
    need = int(p["zoom_side"])
    side = max(facts.width, facts.height)
    if side < need:
        yield Hit(
            msg("longest side is {side} px; zoom needs at least {need} px", side=side, need=need),
            value=side,
            threshold=need,
        )
