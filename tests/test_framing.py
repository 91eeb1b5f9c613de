"""Centring of the product in promo layouts: text panels beside it, header strips above it."""

from __future__ import annotations

import re

import numpy as np
from PIL import Image, ImageDraw

from imagecheck import build_settings, check_image
from imagecheck.analysis.border import find_bands
from imagecheck.analysis.subject import text_panel
from imagecheck.analysis.text import TextBox
from imagecheck.i18n import Message, translate
from imagecheck_dev import synth
from imagecheck_dev.facts import loaded


def _codes(image: np.ndarray) -> set[str]:
    settings = build_settings({}, platform="pdd")
    return {f.code for f in check_image(loaded(image, 1), "main", settings).findings}


def _lines(image: np.ndarray, lines: list[str], x: int, y: int, size: int) -> np.ndarray:
    pil = Image.fromarray(image)
    draw = ImageDraw.Draw(pil)
    for i, line in enumerate(lines):
        draw.text((x, y + int(i * size * 1.6)), line, font=synth.cjk_font(size), fill=(200, 20, 30))
    return np.asarray(pil)


def _line(box: tuple[int, int, int, int], kind: str = "overlay") -> TextBox:
    return TextBox("限时特惠", 0.95, box, kind, "test")


def test_text_panel_is_a_column_of_added_lines_to_one_side() -> None:
    column = [_line((500, 200, 760, 250)), _line((500, 300, 740, 350)),
              _line((500, 400, 700, 440), "print")]
    assert text_panel(column, 800, 800) == ("right", (500, 200, 760, 440))
    # A badge's two words in a corner, or upright dimension callouts, are no panel.
    assert text_panel(column[:2], 800, 800) is None
    upright = [_line((740, y, 770, y + 120)) for y in (150, 350, 550)]
    assert text_panel(upright, 800, 800) is None
    # Text on both sides of the product frames it; neither side is a panel.
    mirrored = [_line((800 - x1, y0, 800 - x0, y1)) for x0, y0, x1, y1 in (b.box for b in column)]
    assert text_panel(column + mirrored, 800, 800) is None


def test_product_beside_a_text_panel_is_off_centre(cjk_font: object) -> None:
    """Gifts set under the copy must not pull the product's box back to the middle."""
    image = synth.place(synth.shot("bottle", (800, 800), fill=0.6, at=(0.27, 0.5)),
                        synth.mug(110), (0.78, 0.78))
    image = _lines(image, ["限时特惠", "到手价低", "全场包邮"], 470, 190, 56)
    assert "FR201" in _codes(image)


def test_product_is_centred_in_the_room_a_header_strip_leaves(cjk_font: object) -> None:
    image = synth.banner(synth.shot("box", (800, 800), fill=0.6, at=(0.5, 0.6)),
                         "产品展示 PRODUCT", "top", height=0.13)
    assert "FR201" not in _codes(image)


def test_light_grey_frame_round_a_white_photo_is_a_frame() -> None:
    image = synth.frame(synth.shot("bottle", (600, 600), fill=0.6), 14, 242)
    assert {b.edge for b in find_bands(image)} == {"top", "bottom", "left", "right"}
    # A plain light-grey backdrop has no step inwards: no band.
    assert find_bands(synth.shot("bottle", (600, 600), background=242, fill=0.6)) == ()


def test_frame_partly_covered_by_badges_is_still_found() -> None:
    image = synth.frame(synth.shot("box", (600, 600), fill=0.6), 4, (250, 0, 80))
    image[540:, :] = (250, 60, 100)  # a price strip over the bottom of the frame
    image[100:160, :70] = (255, 200, 0)  # a tag over the left side
    assert {b.edge for b in find_bands(image)} >= {"top", "left", "right"}


def test_logo_tile_with_rounded_coloured_bands_is_no_frame() -> None:
    pil = Image.new("RGB", (600, 600), (255, 255, 255))
    draw = ImageDraw.Draw(pil)
    for inset, colour in ((16, (250, 190, 70)), (66, (240, 110, 10)), (116, (20, 40, 120))):
        draw.rounded_rectangle((inset, inset, 599 - inset, 599 - inset), radius=30, fill=colour)
    assert find_bands(np.asarray(pil)) == ()


def test_background_is_judged_on_the_white_margin_a_frame_filling_product_leaves() -> None:
    """A cover filling the frame, touching two edges: the thin white margin is the background."""
    image = np.full((900, 600, 3), 255, np.uint8)
    image[:870, 30:] = synth.shot("box", (870, 570), background=(60, 120, 170), fill=0.7)
    assert "BG101" not in _codes(image)


def test_light_grey_gradient_half_near_white_is_not_white() -> None:
    image = synth.shot("bottle", (800, 800), background=synth.gradient((800, 800), 255, 236),
                       fill=0.6)
    assert "BG101" in _codes(image)


def _off_centre_message(at: tuple[float, float]) -> Message:
    settings = build_settings({}, platform="pdd", ocr="none")
    result = check_image(loaded(synth.shot("box", (800, 800), fill=0.4, at=at), 1), "main",
                         settings)
    (hit,) = [f for f in result.findings if f.code == "FR201"]
    assert isinstance(hit.message, Message)
    return hit.message


def test_off_centre_message_reads_naturally_in_every_direction() -> None:
    """It said "sits 26% to the left the image centre"."""
    left = _off_centre_message((0.3, 0.5))
    assert re.search(r"its centre sits \d+% to the left of the image centre \(allowed 8%\)",
                     left), left
    assert re.search(r"中心偏左 \d+%\(", translate(left, "zh"))
    right_below = _off_centre_message((0.7, 0.7))
    assert re.search(r"sits \d+% to the right of and \d+% below the image centre", right_below)
    assert re.search(r"中心偏右 \d+%、偏下 \d+%\(", translate(right_below, "zh"))
    above = _off_centre_message((0.5, 0.3))
    assert re.search(r"sits \d+% above the image centre", above), above
