"""Overlay versus print: generated overlays in several sizes, colours and positions must be
classed overlay; printing on product-like shapes must stay print."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.analysis.text import OcrBox, TextFacts, classify_boxes, promo_terms
from imagecheck_dev import facts as test_facts
from imagecheck_dev import synth


def facts_of(image: np.ndarray, ocr: str = "rapidocr", **options: object) -> Facts:
    chosen = AnalysisOptions(ocr=ocr, **options)  # type: ignore[arg-type]
    return test_facts.facts_of(image, chosen, file_size=100_000)


def _squash(text: str) -> str:
    return text.replace(" ", "")


OVERLAYS = {
    "red_chinese_corner": (lambda: synth.text_overlay(synth.shot(), "包邮", 0.1), "包邮"),
    "small_grey_english": (
        lambda: synth.text_overlay(synth.shot("shoe", fill=0.8), "FREE SHIPPING", 0.035,
                                   (60, 60, 60), "bottom-left"),
        "FREESHIPPING",
    ),
    "dark_plain_words_bottom_right": (
        lambda: synth.text_overlay(synth.shot(), "夏季新款上架", 0.06, (20, 20, 20),
                                   "bottom-right"),
        "夏季新款上架",
    ),
    "caption_on_coloured_background": (
        lambda: synth.text_overlay(synth.shot("box", background=(250, 214, 222)), "温柔粉色",
                                   0.07, (255, 255, 255), "top"),
        "温柔粉色",
    ),
    "banner_bottom": (
        lambda: synth.banner(synth.shot("phone", fill=0.7, at=(0.5, 0.44))), "全场包邮"
    ),
    "banner_over_a_room_scene": (
        lambda: synth.banner(synth.shot("box", fill=0.45, background="room"), "新品首发",
                             "top", 0.12, (20, 20, 20), (255, 255, 255)),
        "新品首发",
    ),
    "roundel_badge": (lambda: synth.badge(synth.shot(), "roundel", "正品\n保证"), "正品"),
    "price_tag": (
        lambda: synth.badge(synth.shot(), "price_tag", "¥99", "bottom-right", (240, 80, 20), 0.22),
        "99",
    ),
    "promo_words_on_the_product": (lambda: synth.case("text_on_product").image, "限时秒杀"),
}


@pytest.mark.parametrize("name", sorted(OVERLAYS))
def test_overlays_are_classed_overlay(name: str, cjk_font: Path) -> None:
    make, expected = OVERLAYS[name]
    text = facts_of(make()).text
    overlays = [_squash(b.text) for b in text.overlays]
    assert any(expected in t for t in overlays), [(b.text, b.kind, b.why) for b in text.boxes]


PRINTS = {
    **{name: (lambda name=name: synth.case(name).image) for name in
       ["printed_label_bottle", "printed_brand_box", "printed_mug", "jpeg_q12", "clean_box"]},
    "label_on_grey_bottle_on_grey": lambda: synth.shot(
        "bottle", fill=0.8, background=200, label="玫瑰精华水\nROSE WATER"),
    "white_box_on_white": lambda: synth.shot(
        "box", fill=0.98, brand="BLANC 白", color=(250, 250, 250)),
    "dark_box_filling_the_frame": lambda: synth.shot(
        "box", fill=0.98, brand="NOIR 黑", color=(30, 30, 34)),
    "box_on_pink": lambda: synth.shot("box", fill=0.6, brand="LUMA 茶",
                                      background=(250, 214, 222)),
    "mug_on_carpet": lambda: synth.shot("mug", fill=0.6, background="carpet",
                                        print_text="HELLO 你好"),
}


@pytest.mark.parametrize("name", sorted(PRINTS))
def test_print_on_products_is_not_an_overlay(name: str, cjk_font: Path) -> None:
    text = facts_of(PRINTS[name]()).text
    assert text.checked and not text.overlays, [(b.text, b.why) for b in text.overlays]


def test_printed_label_is_read_and_classed_print(cjk_font: Path) -> None:
    text = facts_of(synth.case("printed_label_bottle").image).text
    assert any("LOTION" in b.text for b in text.prints)
    assert all("product" in b.why for b in text.prints)


def test_boxes_are_in_original_pixels(cjk_font: Path) -> None:
    image = synth.text_overlay(synth.shot(shape=(1200, 1600)), "包邮", 0.08,
                               position="bottom-right")
    (line,) = [b for b in facts_of(image).text.overlays if "包邮" in b.text]
    x0, y0, x1, y1 = line.box
    assert x0 > 1000 and y0 > 800 and x1 <= 1600 and y1 <= 1200


def test_ocr_none_means_text_not_checked() -> None:
    text = facts_of(synth.shot(), ocr="none").text
    assert text == TextFacts(None) and not text.checked


def _quad(x0: float, y0: float, x1: float, y1: float) -> tuple[tuple[float, float], ...]:
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def test_artefacts_one_or_two_characters_in_a_huge_box() -> None:
    image = synth.shot()
    ocr = [
        OcrBox("0", 0.99, _quad(300, 300, 340, 340)),
        OcrBox("Pp", 0.7, _quad(100, 50, 700, 760)),
        OcrBox("AB", 0.9, _quad(100, 50, 160, 90)),
    ]
    kinds = [b.kind for b in classify_boxes(image, ocr, subject_box=(150, 100, 650, 700))]
    assert kinds[:2] == ["artefact", "artefact"] and kinds[2] != "artefact"


def test_a_big_percentage_is_read_not_an_artefact() -> None:
    # "15%" in letters a third of the image tall: three glyphs, not two in a huge box.
    big = _quad(500, 250, 760, 520)
    ocr = [OcrBox("15%", 0.99, big), OcrBox("%", 0.99, big)]
    kinds = [b.kind for b in classify_boxes(synth.shot(), ocr, subject_box=(150, 100, 450, 700))]
    assert kinds[0] != "artefact" and kinds[1] == "artefact"


def test_promo_terms_are_named() -> None:
    assert promo_terms("限时秒杀 ¥99") == ("秒杀", "限时", "price")
    assert set(promo_terms("50% off sale")) == {"SALE", "%OFF"}
    assert promo_terms("free shipping") == ("FREESHIPPING",)
    assert promo_terms("满100元减20") == ("price",)
    assert promo_terms("MOISTURISING CREAM") == ()
    assert promo_terms("夏日清爽", terms=("清爽",)) == ("清爽",)


def _tilted_quad(cx: float, cy: float, length: float, height: float, angle: float
                 ) -> tuple[tuple[float, float], ...]:
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    pts = [(-length / 2, -height / 2), (length / 2, -height / 2), (length / 2, height / 2),
           (-length / 2, height / 2)]
    return tuple((cx + x * c - y * s, cy + x * s + y * c) for x, y in pts)


def _card_askew() -> tuple[np.ndarray, list[OcrBox]]:
    """A grey card lying at 30 degrees, cut by the left edge, with three printed lines."""
    import cv2

    image = np.full((600, 600, 3), 255, np.uint8)
    card = np.array(_tilted_quad(150, 300, 600, 300, 30.0), np.int32)
    cv2.fillPoly(image, [card], (200, 200, 205))
    lines = []
    for i, word in enumerate(["LUMA", "GIFT CARD", "YOUR NAME"]):
        quad = _tilted_quad(120 + 20 * i, 240 + 50 * i, 160, 30, 30.0)
        cv2.fillPoly(image, [np.array(_tilted_quad(120 + 20 * i, 240 + 50 * i, 140, 16, 30.0),
                                      np.int32)], (40, 40, 40))
        lines.append(OcrBox(word, 0.99, quad))
    return image, lines


def test_lines_sharing_a_tilt_are_print_on_a_surface_at_an_angle() -> None:
    image, lines = _card_askew()
    boxes = classify_boxes(image, lines)
    assert [b.kind for b in boxes] == ["print"] * 3, [(b.text, b.why) for b in boxes]
    assert "tilt" in boxes[0].why and abs(boxes[0].tilt - 30.0) < 1
    level = classify_boxes(image, lines[:1] + [OcrBox("PRICE ¥99", 0.99, lines[1].quad)])
    assert level[1].kind == "overlay"  # a price is an overlay at any angle


def test_text_on_a_gradient_tile_running_to_the_edge_is_an_overlay() -> None:
    """A promo tile's ground fades towards the edge (a designed gradient): still an overlay."""
    image = np.zeros((160, 270, 3), np.uint8)
    ramp = np.linspace(185, 250, 270)[None, :, None]
    image[:] = np.clip(ramp + np.array([0, 15, 25])[None, None, :], 0, 255).astype(np.uint8)
    image[20:32, 16:140:6] = (30, 40, 90)  # glyph strokes
    (line,) = classify_boxes(image, [OcrBox("Great discounts", 0.99, _quad(13, 14, 145, 37))])
    assert line.kind == "overlay" and "left" in line.edges, line.why


def _white_box(outline: bool) -> np.ndarray:
    """A near-white carton filling most of a white frame, its sides drawn as thin grey
    outlines (or, without ``outline``, melting into the background), words printed on it,
    and a red strip with words laid across its lower part."""
    image = np.full((800, 600, 3), 255, np.uint8)
    image[12:788, 20:580] = (247, 246, 244)
    if outline:
        image[12:788, 20:23] = image[12:788, 577:580] = (120, 120, 125)
    image[110:126, 84:296:6] = (40, 40, 50)  # printed glyph strokes
    image[690:750] = (200, 30, 30)
    image[712:728, 90:330:6] = (255, 255, 255)  # caption strokes on the strip
    return image


def test_print_on_a_box_face_that_matches_the_background_is_print() -> None:
    """The face's colour runs past the carton's outline into the background and on to the
    edge; the outline bounds the face, so the words are print, not an overlay."""
    printed = OcrBox("EAU DE PARFUM", 0.99, _quad(80, 104, 300, 132))
    caption = OcrBox("NEW ARRIVAL", 0.99, _quad(86, 706, 334, 734))
    on_box, strip = classify_boxes(_white_box(outline=True), [printed, caption])
    assert on_box.kind == "print" and on_box.edges == (), on_box.why
    assert strip.kind == "overlay" and strip.edges == ("left", "right"), strip.why
    (no_outline,) = classify_boxes(_white_box(outline=False), [printed])
    assert no_outline.kind == "overlay"  # flat colour to the edge, nothing bounding it


def test_print_on_a_product_whose_side_is_near_the_edge_is_print() -> None:
    """The face's colour stops at the product's side just short of the edge (within the
    margin that counts as reaching it): the side bounds the words, they are print."""
    image = np.full((600, 600, 3), 255, np.uint8)
    image[40:560, 8:592] = (226, 228, 230)
    image[290:306, 60:280:6] = (30, 30, 30)
    (line,) = classify_boxes(image, [OcrBox("ACQUA DI GIO", 0.99, _quad(56, 284, 284, 312))])
    assert line.kind == "print", line.why


def _strokes(image: np.ndarray, y0: int, y1: int, x0: int, x1: int, seed: int,
             colour: tuple[int, int, int], step: int = 7) -> None:
    """Glyph-like strokes of uneven heights between rows ``y0`` and ``y1``."""
    rng = np.random.default_rng(seed)
    for x in range(x0, x1 - 3, step):
        top = y0 + int(rng.integers(0, (y1 - y0) // 2))
        image[top:y1, x:x + 3] = colour


def test_a_reflection_of_print_below_the_product_is_print() -> None:
    """A bottle on a glossy white surface shows its label again below it, upside down and
    fainter; that mirror image is print. Words that mirror nothing stay an overlay."""
    image = np.full((600, 600, 3), 255, np.uint8)
    image[120:330, 200:400] = (236, 236, 238)  # the bottle
    _strokes(image, 296, 320, 220, 380, 1, (40, 40, 50))  # its printed label
    image[330:354, 200:400] = 255 - (255 - image[296:320, 200:400][::-1]) // 3  # reflection
    _strokes(image, 500, 524, 220, 380, 2, (40, 40, 50), 11)  # an added caption
    reflected = OcrBox("Eau qc jonctr", 0.55, _quad(216, 327, 384, 357))
    caption = OcrBox("NEW EDITION", 0.99, _quad(216, 496, 384, 528))
    mirror, added = classify_boxes(image, [reflected, caption])
    assert mirror.kind == "print" and "reflection" in mirror.why, mirror.why
    assert added.kind == "overlay", added.why


def _sign_at_the_edge(cut: bool) -> np.ndarray:
    """A street scene (noise, no plain background) with a light sign at its right edge;
    its letters run into the edge (``cut``) or stop short of it."""
    rng = np.random.default_rng(3)
    image = rng.integers(40, 200, (400, 600, 3), dtype=np.uint8)
    image[100:160, 480:600] = (225, 225, 228)
    _strokes(image, 118, 142, 500, 603 if cut else 585, 4, (30, 30, 120))
    return image


def test_letters_the_frame_cuts_through_are_part_of_the_scene() -> None:
    """A sign cut by the picture's edge was photographed; its flat colour running to the
    edge does not make it an overlay. The same sign whole, or a tile anchored to the edge
    of a plain backdrop, stays an overlay."""
    line = OcrBox("CITRO", 0.99, _quad(496, 114, 600, 146))
    (cut,) = classify_boxes(_sign_at_the_edge(cut=True), [line])
    assert cut.kind == "print" and "edge" in cut.why, cut.why
    (whole,) = classify_boxes(_sign_at_the_edge(cut=False), [line])
    assert whole.kind == "overlay", whole.why
    plain = np.full((400, 600, 3), 255, np.uint8)
    plain[100:160, 480:600] = _sign_at_the_edge(cut=True)[100:160, 480:600]
    backdrop = np.all(plain == 255, axis=-1)
    (tile,) = classify_boxes(plain, [line], background=backdrop)
    assert tile.kind == "overlay", tile.why


def _white_box_on_white() -> np.ndarray:
    """A near-white carton on white, its face shaded darker towards its far side, that side a
    one-pixel line a little darker still with one antialiased pixel between it and the
    white, words printed on its face, and on the plain white beside it an added caption."""
    image = np.full((600, 800, 3), 255, np.uint8)
    image[60:560, 420:690] = (244, 244, 243)
    image[60:560, 690:700] = (236, 236, 236)
    image[60:560, 420:422] = (200, 200, 200)  # the near side, in shadow
    image[60:560, 700] = (226, 226, 226)
    image[60:560, 701] = (234, 234, 234)
    _strokes(image, 290, 314, 460, 620, 5, (60, 60, 70))  # printed on the face
    _strokes(image, 290, 314, 60, 240, 6, (60, 60, 70))  # added on the white
    return image


def test_print_on_a_white_box_with_a_faint_side_on_white_is_print() -> None:
    """The face's colour is within tolerance of the white beyond the carton, so the run
    reaches the edge; the carton's faint one-pixel side (its step to the white is on the
    far side of the line) bounds it: print. The caption on the plain white beside the
    carton stays an overlay."""
    printed = OcrBox("Calvin Klein", 0.99, _quad(456, 284, 624, 318))
    caption = OcrBox("NEW ARRIVAL", 0.99, _quad(56, 284, 244, 318))
    image = _white_box_on_white()
    on_box, added = classify_boxes(image, [printed, caption],
                                   background=np.all(image == 255, axis=-1))
    assert on_box.kind == "print" and on_box.edges == (), on_box.why
    assert added.kind == "overlay" and "left" in added.edges, added.why


def test_tilted_letters_the_frame_cuts_through_are_part_of_the_product() -> None:
    """Print on a close-up seen at an angle (a shirt's lettering cut by the right edge):
    the tilted letters run into the edge, so they were photographed. The same line
    stopping short of the edge, its flat ground running on to it, stays an overlay."""
    import cv2

    image = np.full((500, 600, 3), 50, np.uint8)  # a dark shirt filling the frame
    for x1, kind in ((640, "print"), (560, "overlay")):
        scene = image.copy()
        for x in range(380, x1, 12):  # strokes along a line rising at 20 degrees
            y = int(260 - (x - 380) * np.tan(np.radians(20)))
            cv2.line(scene, (x, y - 18), (x + 4, y + 18), (235, 230, 220), 6)
        quad = _tilted_quad((380 + min(x1, 600)) / 2, 260 - (min(x1, 600) - 380) / 2 * 0.364,
                            min(x1, 600) - 370, 50, -20.0)
        (line,) = classify_boxes(scene, [OcrBox("MECCANICA", 0.99, quad)])
        assert line.kind == kind, line.why


def _bottle_with_a_soft_side() -> np.ndarray:
    """A grey bottle on white: a narrow shoulder with sharp sides carrying two printed
    lines, and a wide body whose right side fades softly into the white just short of the
    image edge, carrying one large printed word."""
    image = np.full((600, 800, 3), 255, np.uint8)
    image[80:300, 300:560] = (200, 200, 205)
    image[300:560, 300:786] = (200, 200, 205)
    image[300:560, 786:796] = np.linspace((200, 200, 205), (255, 255, 255), 10).astype(np.uint8)
    _strokes(image, 120, 140, 340, 520, 8, (40, 40, 50))
    _strokes(image, 200, 220, 340, 520, 9, (40, 40, 50))
    _strokes(image, 400, 440, 340, 600, 10, (40, 40, 50), 11)
    return image


def test_a_line_on_a_face_that_carries_print_is_print() -> None:
    """The large word's ground runs through the body's soft side to the edge (no sharp
    outline to stop it), but the same grey face carries the shoulder's print: the word
    is print on the product too. A caption on the plain white backdrop beside a white
    carton stays an overlay, though the carton's face melts into that white and carries
    print: the backdrop is no face of the product."""
    lines = [OcrBox("ACQUA DI", 0.99, _quad(336, 114, 524, 146)),
             OcrBox("POUR HOMME", 0.99, _quad(336, 194, 524, 226)),
             OcrBox("GIO", 0.99, _quad(336, 394, 604, 446))]
    image = _bottle_with_a_soft_side()
    backdrop = np.all(image == 255, axis=-1)
    boxes = classify_boxes(image, lines, background=backdrop)
    assert [b.kind for b in boxes] == ["print"] * 3, [(b.text, b.why) for b in boxes]
    assert "face" in boxes[2].why and boxes[2].edges == ()
    carton = _white_box_on_white()
    printed = OcrBox("Calvin Klein", 0.99, _quad(456, 284, 624, 318))
    caption = OcrBox("NEW ARRIVAL", 0.99, _quad(56, 284, 244, 318))
    _, added = classify_boxes(carton, [printed, caption],
                              background=np.all(carton == 255, axis=-1))
    assert added.kind == "overlay" and "left" in added.edges, added.why


@pytest.mark.parametrize("text", ["新品", "HOT SALE"])
def test_a_diagonal_corner_ribbon_stays_an_overlay(text: str, cjk_font: Path) -> None:
    """A ribbon laid across a corner is cut by two image edges, and so is its tilted
    band; its words are not cut by the frame, so the ribbon is still an overlay."""
    lines = facts_of(synth.badge(synth.shot(), "ribbon", text, "top-left")).text.boxes
    assert any(b.kind == "overlay" for b in lines), [(b.text, b.kind, b.why) for b in lines]
