"""OV41x corner badges and strip tags, on generated images."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from imagecheck.findings import Finding
from imagecheck.rules.registry import get_rule
from imagecheck_dev import synth
from imagecheck_dev.facts import facts_of

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
COLOURS = ((220, 30, 40), (250, 200, 20), (30, 90, 200), (30, 160, 80))


def run(code: str, rgb: np.ndarray) -> list[Finding]:
    rule = get_rule(code)
    facts = facts_of(rgb)
    return list(rule.findings(facts, rule.defaults()))


@pytest.fixture(scope="module")
def product() -> np.ndarray:
    return synth.shot("bottle", seed=1)


@pytest.mark.parametrize(
    ("shape", "corner", "colour"),
    list(itertools.product(synth.BADGE_SHAPES, CORNERS, COLOURS)),
)
def test_badge_of_every_shape_colour_and_corner_is_found(
    cjk_font: Path, product: np.ndarray, shape: str, corner: str, colour: tuple[int, int, int]
) -> None:
    found = run("OV411", synth.badge(product, shape=shape, corner=corner, color=colour))
    assert [f.details["where"] for f in found] == [corner]
    x0, y0, x1, y1 = found[0].box or (0, 0, 0, 0)
    h, w = product.shape[:2]
    assert (x0 < w / 2) == corner.endswith("left") and (y0 < h / 2) == corner.startswith("top")
    assert x1 - x0 <= 0.3 * w and y1 - y0 <= 0.3 * h


@pytest.mark.parametrize("shape", ["roundel", "rect", "price_tag"])
@pytest.mark.parametrize("background", [(30, 150, 230), (250, 200, 30)])
def test_black_badge_on_a_coloured_background_is_found(
    cjk_font: Path, shape: str, background: tuple[int, int, int]
) -> None:
    img = synth.badge(synth.shot("bottle", background=background, seed=1), shape=shape,
                      color=(25, 25, 25))
    assert [f.details["where"] for f in run("OV411", img)] == ["top-left"]


def test_plain_sticker_without_text_is_a_badge(product: np.ndarray) -> None:
    img = synth.badge(product, "roundel", None, "top-right", (30, 120, 220), 0.14)
    assert [f.details["where"] for f in run("OV411", img)] == ["top-right"]


def test_badge_evidence_names_colour_and_glyphs(cjk_font: Path, product: np.ndarray) -> None:
    (f,) = run("OV411", synth.badge(product, corner="bottom-right", color=(220, 30, 40)))
    assert f.category == "badge" and str(f.severity) == "error"
    assert f.details["glyphs"] >= 2
    r, g, b = (int(f.details["colour"][i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[index]
    assert r > 150 and g < 90 and b < 90


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(lambda: synth.shot("bottle", seed=1), id="plain-white"),
        pytest.param(
            lambda: synth.shot("box", color=(200, 30, 40), at=(0.2, 0.2), fill=0.5, seed=3),
            id="red-product-at-corner",
        ),
        pytest.param(
            lambda: synth.shot("box", color=(200, 30, 40), at=(0.85, 0.85), fill=0.5, seed=4),
            id="red-product-cut-by-corner",
        ),
        pytest.param(lambda: synth.shot("garment", background="room"), id="room"),
        pytest.param(lambda: synth.shot("mug", background="wood"), id="wood"),
        pytest.param(lambda: synth.shot("shoe", background="carpet"), id="carpet"),
    ],
)
def test_clean_photos_have_no_badge(cjk_font: Path, image: object) -> None:
    rgb = image()  # type: ignore[operator]
    assert run("OV411", rgb) == []
    assert run("OV412", rgb) == []


@pytest.mark.parametrize("corner", CORNERS)
@pytest.mark.parametrize("colour", COLOURS)
def test_small_brand_icon_in_a_corner_is_not_a_badge(
    cjk_font: Path, product: np.ndarray, corner: str, colour: tuple[int, int, int]
) -> None:
    assert run("OV411", synth.logo_mark(product, corner=corner, color=colour)) == []


def test_tag_rising_out_of_a_promo_strip_is_found(cjk_font: Path, product: np.ndarray) -> None:
    img = synth.badge(
        synth.banner(product), corner="bottom-left", size=0.22, margin=0.0, color=(250, 200, 20)
    )
    (f,) = run("OV412", img)
    assert f.details["where"] == "bottom-left"
    assert f.box is not None and f.box[2] == product.shape[1]  # the strip spans the width


def test_plain_strip_without_a_tag_is_not_a_strip_tag(cjk_font: Path, product: np.ndarray) -> None:
    assert run("OV412", synth.banner(product)) == []


@pytest.mark.parametrize(
    ("text", "edge", "colour"),
    [("限时秒杀 全场包邮", "bottom", (225, 35, 45)), ("新品 正品保证", "top", (20, 20, 20)),
     ("到手价¥59", "bottom", (250, 200, 20))],
)
def test_promotional_strip_is_found(
    cjk_font: Path, ocr: None, product: np.ndarray, text: str, edge: str,
    colour: tuple[int, int, int]
) -> None:
    img = synth.banner(product, text, edge, 0.13, colour)  # type: ignore[arg-type]
    (f,) = run("TX309", img)
    assert f.category == "text" and f.details["where"] == edge
    assert f.box is not None and f.box[2] - f.box[0] == product.shape[1]


def test_strip_without_promotional_copy_is_not_a_promo_strip(
    cjk_font: Path, ocr: None, product: np.ndarray
) -> None:
    assert run("TX309", synth.banner(product, "Hello world")) == []
    assert run("TX309", product) == []


@pytest.mark.parametrize("corner", CORNERS)
def test_worded_badge_set_in_from_the_corner_is_found(
    cjk_font: Path, product: np.ndarray, corner: str
) -> None:
    # Too far in from the corner to count as anchored by its pixels alone: its
    # promotional wording on a ground of its own makes it a badge.
    img = synth.badge(product, "rect", "限时秒杀", corner, (250, 120, 20), 0.22, margin=0.12)
    assert [f.details["where"] for f in run("OV411", img)] == [corner]


@pytest.mark.parametrize("corner", CORNERS)
@pytest.mark.parametrize("name", ["LUMA", "南极人"])
def test_brand_logo_tile_in_a_corner_is_not_a_badge(
    cjk_font: Path, product: np.ndarray, corner: str, name: str
) -> None:
    # An upright tile carrying only a brand name is the logo rules' business.
    img = synth.badge(product, "rect", name, corner, (220, 30, 40), 0.2, margin=0.0)
    assert run("OV411", img) == []


@pytest.mark.parametrize("text", ["USK 12", "B254"])
def test_tile_with_a_bare_number_or_code_is_not_a_badge(
    cjk_font: Path, product: np.ndarray, text: str
) -> None:
    # A rating mark or model code printed on a pack is not badge wording.
    img = synth.badge(product, "rect", text, "top-left", (30, 90, 200), 0.2, margin=0.1)
    assert run("OV411", img) == []


@pytest.mark.parametrize("text", ["双11", "天猫", "价保30天"])
def test_campaign_and_guarantee_tiles_are_badges(
    cjk_font: Path, product: np.ndarray, text: str
) -> None:
    # Upright tiles like a brand tile, but their wording makes them badges.
    img = synth.badge(product, "rect", text, "top-left", (220, 30, 40), 0.2, margin=0.0)
    assert [f.details["where"] for f in run("OV411", img)] == ["top-left"]


def test_campaign_tab_word_is_not_also_a_logo(cjk_font: Path, product: np.ndarray) -> None:
    # One badge is one finding: its text stays text (TX301) but is not a wordmark.
    img = synth.badge(product, "rect", "天猫", "top-left", (220, 30, 40), 0.2, margin=0.0)
    assert len(run("OV411", img)) == 1
    assert run("TX301", img) != []
    assert run("LG305", img) == []


@pytest.mark.parametrize("text", ["限时秒杀", "正品保证"])
@pytest.mark.parametrize("corner", ["top-left", "bottom-right"])
def test_coloured_promo_lettering_alone_is_text_not_a_badge(
    cjk_font: Path, product: np.ndarray, text: str, corner: str
) -> None:
    # Lettering without a ground of its own: the strokes are not a badge's fill.
    img = synth.text_overlay(product, text, 0.08, (250, 120, 20), corner)  # type: ignore[arg-type]
    assert run("OV411", img) == []
    assert run("TX301", img) != []


def test_gradient_tag_set_in_from_the_corner_is_found(cjk_font: Path, product: np.ndarray) -> None:
    # A tag with a gradient fill, a little way in from the corner, carrying a figure.
    img = product.copy()
    h, w = img.shape[:2]
    y0, y1, x0, x1 = int(0.1 * h), int(0.23 * h), int(0.5 * w), int(0.95 * w)
    img[y0:y1, x0:x1] = synth.gradient((y1 - y0, x1 - x0), (255, 175, 40), (215, 95, 0))
    img = synth.text_overlay(img, "610升", 0.08, (255, 255, 255), "top-right", margin=0.12)
    assert [f.details["where"] for f in run("OV411", img)] == ["top-right"]


@pytest.mark.parametrize("side", [300, 800])
def test_seal_on_a_small_shop_image_is_one_badge(
    cjk_font: Path, product: np.ndarray, side: int
) -> None:
    # A red-ringed 专柜 正品 seal top-right: a badge and its text, not also a logo.
    im = Image.fromarray(cv2.resize(product, (side, side), interpolation=cv2.INTER_AREA))
    draw, r = ImageDraw.Draw(im), int(side * 0.12)
    cx, cy = side - r - int(side * 0.03), r + int(side * 0.03)
    red = (210, 20, 30)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=max(2, side // 80))
    font = synth.cjk_font(int(r * 0.55))
    draw.text((cx, cy - r * 0.3), "专柜", font=font, fill=red, anchor="mm")
    draw.text((cx, cy + r * 0.35), "正品", font=font, fill=red, anchor="mm")
    img = np.asarray(im)
    assert [f.details["where"] for f in run("OV411", img)] == ["top-right"]
    assert run("LG305", img) == []


@pytest.mark.parametrize("shape", ["roundel", "price_tag", "rect", "starburst"])
@pytest.mark.parametrize("margin", [0.02, 0.1])
def test_badge_on_a_small_shop_image_is_a_badge_not_also_a_logo(
    cjk_font: Path, product: np.ndarray, shape: str, margin: float
) -> None:
    # JD/Tmall-style 300 px images: the badge is found and is not also a graphic logo mark.
    small = cv2.resize(product, (300, 300), interpolation=cv2.INTER_AREA)
    img = synth.badge(small, shape, "秒杀", "top-left", (230, 40, 40), 0.24, margin)
    assert [f.details["where"] for f in run("OV411", img)] == ["top-left"]
    assert run("LG305", img) == []
