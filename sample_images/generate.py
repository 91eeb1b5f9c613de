"""Write the demo listing in sample_images/listing/ from imagecheck's own synthetic images.

Run ``python sample_images/generate.py [OUT_DIR]``; the output is deterministic, so re-running it
reproduces the committed files byte for byte. ``imagecheck scan sample_images/`` then shows, in
``listing/``, a clean main image, carousel images that pass and fail (badge, grey background,
frame, off-centre, blur) and a detail image whose text is allowed; and in ``promo-listing/``
(Chinese role folders) main images that break the main-image rules: a grey background, an
off-centre product and a tiny product on a big canvas, and a carousel image with added
promotional text (found by the OCR text rules).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # imagecheck_dev

from imagecheck_dev import synth
from imagecheck_dev.synth import Array

HERE = Path(__file__).resolve().parent
BIG, MID = (1000, 1000), (800, 800)


def _lotion(shape: tuple[int, int]) -> Array:
    return synth.shot("bottle", shape, fill=0.8, seed=1, label="基础润肤乳液\nLOTION",
                      color=(250, 250, 248), cap=(236, 236, 236))


def _detail() -> Array:
    img = synth.shot("bottle", MID, fill=0.66, at=(0.32, 0.52), seed=7, label="LOTION")
    img = synth.text_overlay(img, "容量 200ml\n温和配方\n清爽不黏腻", 0.055, (60, 60, 60),
                             "top-right", margin=0.1)
    return synth.banner(img, "产品参数 · 使用方法", "bottom", 0.1, (240, 240, 240), (40, 40, 40))


#: Relative path -> image maker; every image is a JPEG at listing-photo sizes.
LISTING: dict[str, Callable[[], Array]] = {
    "listing/main/01_white_background.jpg": lambda: _lotion(BIG),
    "listing/carousel/01_clean.jpg": lambda: synth.shot("box", BIG, fill=0.66, seed=2,
                                                        brand="LUMA 茶"),
    "listing/carousel/02_baoyou_badge.jpg": lambda: synth.badge(
        synth.text_overlay(_lotion(MID), "包邮", 0.1, position="top-right"), "roundel",
        "正品\n保证"),
    "listing/carousel/03_grey_background.jpg": lambda: synth.shot(
        "mug", MID, background=200, fill=0.55, seed=3),
    "listing/carousel/04_border.jpg": lambda: synth.frame(
        synth.shot("shoe", MID, fill=0.8, seed=4), 14, (220, 30, 40)),
    "listing/carousel/05_off_centre.jpg": lambda: synth.shot(
        "phone", MID, fill=0.6, at=(0.27, 0.6), seed=5),
    "listing/carousel/06_blurry.jpg": lambda: synth.gaussian_blur(
        synth.shot("garment", MID, fill=0.8, seed=6, shadow=0.15), 6),
    "listing/detail/01_with_text.jpg": _detail,
    "promo-listing/主图/01_grey_background.jpg": lambda: synth.shot(
        "bottle", MID, background=215, fill=0.8, seed=8),
    "promo-listing/主图/02_off_centre.jpg": lambda: synth.shot(
        "box", MID, fill=0.5, at=(0.3, 0.6), seed=9),
    "promo-listing/轮播图/01_baoyou_text.jpg": lambda: synth.text_overlay(
        synth.shot("shoe", MID, fill=0.75, seed=11), "包邮 限时秒杀", 0.08, (230, 30, 30),
        "bottom"),
    "promo-listing/主图/03_tiny_product.jpg": lambda: synth.shot("mug", MID, fill=0.2, seed=10),
}


def generate(out: Path = HERE) -> list[Path]:
    """Write every image of :data:`LISTING` under ``out`` and return the paths."""
    return [synth.save(make(), out / rel, quality=85) for rel, make in LISTING.items()]


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"{path.stat().st_size:>8}  {path}")
