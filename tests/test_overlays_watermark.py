"""OV43x watermarks: wording, contrast estimates, and OCR'd marks on generated images."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.marks import (
    block_partner,
    repeated_text,
    spells_in_pinyin,
    text_contrast,
    watermark_kinds,
)
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.analysis.text import TextBox
from imagecheck.findings import Finding
from imagecheck.rules.registry import get_rule
from imagecheck_dev import facts as test_facts
from imagecheck_dev import synth


def facts_of(rgb: np.ndarray, ocr: str = "rapidocr") -> Facts:
    return test_facts.facts_of(rgb, AnalysisOptions(ocr=ocr))


def run(code: str, rgb: np.ndarray, ocr: str = "rapidocr") -> list[Finding]:
    rule = get_rule(code)
    return list(rule.findings(facts_of(rgb, ocr), rule.defaults()))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("shop34070871.taobao.com学媛风", "site"),
        ("shop34070871.taobao-com", "site"),
        ("htt://h071:tabbao.dom/", "site"),
        ("http:/hp340871.tobbo.o/", "site"),
        ("shop34070871.tobao,cm", "site"),
        ("www.997788.com中国收藏热线", "site"),
        ("HEXUS.lifestyle", "site"),
        ("北COM京东", "site"),
        ("JDCOM京东", "site"),  # a faint mark's domain, the dot lost or misread
        ("JD&COM 京东", "site"),
        (".COM京东", "site"),
        ("YDUPIN.CDM优品汇", "site"),  # com misread by one letter
        ("fotolia", "stock agency"),
        ("stockpnotos", "stock agency"),  # misread by one letter
        ("shutterstuck", "stock agency"),
        ("by Adobe", "stock agency"),
        ("视觉中国", "stock agency"),
        ("© 2024 Studio", "copyright"),
        ("盗图必究", "copyright"),
        ("#168668046", "stock number"),
    ],
)
def test_watermark_wording_is_recognised(text: str, kind: str) -> None:
    assert kind in watermark_kinds(text)


@pytest.mark.parametrize(
    "text",
    ["Tony Tony.Chopper", "FINE CHAMPAGNE COGNAC", "MOISTURISING CREAM", "9:41 AM",
     "EB01-006 SH", "官方旗舰店", "限时秒杀 ¥6088", "100克", "COMPUTE", "3COM", "京东COMBO",
     "Stockholm, in stock", "Dreamtime", "photostock", "UNICOM中国联通",
     "China Telecom 中国电信", "中国联通UNICOM", "No.1 tom中"],
)
def test_product_print_and_promotions_are_not_watermark_wording(text: str) -> None:
    assert watermark_kinds(text) == ()


def test_faint_text_measures_lower_contrast_and_opacity_than_solid_text(cjk_font: Path) -> None:
    base = synth.shot("garment", background="room", seed=2)
    box = (150, 360, 650, 440)
    estimates = []
    for opacity in (0.25, 0.5, 1.0):
        img = synth.watermark(base, text="SAMPLE", opacity=opacity, tiled=False, angle=0,
                              size=0.08, color=(255, 255, 255))
        gray = facts_of(img, "none").gray
        estimates.append(text_contrast(gray, box))
    contrasts, opacities = zip(*estimates, strict=True)
    assert list(contrasts) == sorted(contrasts) and list(opacities) == sorted(opacities)
    assert opacities[0] < 0.5 < opacities[-1]


@pytest.mark.parametrize("opacity", [0.2, 0.35, 0.5, 0.8])
@pytest.mark.parametrize(("tiled", "angle"), [(False, 0.0), (True, 30.0)])
def test_site_watermark_on_white_is_found_at_every_opacity(
    cjk_font: Path, ocr: None, opacity: float, tiled: bool, angle: float
) -> None:
    img = synth.watermark(synth.shot("bottle", seed=1), text="shop5678.taobao.com",
                          opacity=opacity, tiled=tiled, angle=angle, size=0.05)
    found = run("OV431", img)
    assert found and all(f.category == "watermark" for f in found)
    assert found[0].details["kinds"] == ["site"]
    assert found[0].details["opacity"] < 0.6


@pytest.mark.parametrize("opacity", [0.35, 0.5, 0.8])
@pytest.mark.parametrize("angle", [0.0, 30.0])
def test_white_site_watermark_over_a_room_is_found(
    cjk_font: Path, ocr: None, opacity: float, angle: float
) -> None:
    img = synth.watermark(synth.shot("garment", background="room", seed=2),
                          text="shop5678.taobao.com", opacity=opacity, tiled=False,
                          angle=angle, size=0.05, color=(255, 255, 255))
    assert run("OV431", img)


def test_faint_chinese_site_mark_on_a_small_image_is_found(cjk_font: Path, ocr: None) -> None:
    """A faint JD.COM 京东 mark on a 160 px photo: OCR loses the domain's start and dot
    (.COM京东); the domain before a Chinese name still marks a site."""
    base = synth.shot("phone", background="room", seed=2)
    small = cv2.resize(base, (160, 160), interpolation=cv2.INTER_AREA)
    img = synth.watermark(small, "JD.COM 京东", 0.25, tiled=False, angle=0, size=0.08,
                          color=(230, 60, 120))
    found = run("OV431", img)
    assert found and found[0].details["kinds"] == ["site"]


def test_product_with_printed_label_has_no_watermark(ocr: None) -> None:
    img = synth.shot("box", brand="ACME", seed=5)
    assert run("OV431", img) == []


def test_promotional_text_is_not_a_watermark(cjk_font: Path, ocr: None) -> None:
    img = synth.text_overlay(synth.shot("bottle", seed=1), "限时秒杀", size=0.1)
    assert run("OV431", img) == []


def test_without_ocr_the_text_watermark_check_yields_nothing(cjk_font: Path) -> None:
    img = synth.watermark(synth.shot("bottle", seed=1), text="shop5678.taobao.com",
                          opacity=0.8, tiled=False, angle=0.0)
    assert run("OV431", img, ocr="none") == []


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda b: synth.watermark(b, opacity=0.1), "OV432"),
        (lambda b: synth.watermark(b, "优品小店 正品", 0.5, angle=20, size=0.04,
                                   color=(170, 170, 170)), "OV432"),
        (lambda b: synth.watermark(b, "taobao.example", 0.3, angle=-25), "OV431"),
        (lambda b: synth.watermark(b, "SAMPLE", 0.5, tiled=False, size=0.15,
                                   color=(200, 40, 40)), "OV431"),
        (lambda b: synth.stock_grid(b), "OV431"),
    ],
    ids=["shop-name-tiled-10", "shop-name-tiled-50", "marketplace-tiled", "sample-stamp",
         "stock-grid"],
)
def test_tiled_shop_names_stamps_and_stock_grids_are_found(
    cjk_font: Path, ocr: None, make: object, code: str
) -> None:
    img = make(synth.shot("bottle", seed=1))  # type: ignore[operator]
    found = run(code, img)
    assert found and found[0].category == "watermark"
    assert 0.0 <= float(found[0].details["opacity"]) <= 1.0  # type: ignore[arg-type]


def test_tiled_watermark_spans_the_frame(cjk_font: Path, ocr: None) -> None:
    (f,) = run("OV432", synth.watermark(synth.shot("bottle", seed=1), opacity=0.25))
    assert f.value is not None and int(f.value) >= 4
    assert float(f.details["spread"]) >= 0.5  # type: ignore[arg-type]


def test_a_row_of_branded_packs_is_not_a_tiled_watermark(ocr: None) -> None:
    img = synth.solid((800, 800), 255)
    for x in (0.14, 0.38, 0.62, 0.86):
        img = synth.place(img, synth.box(260, brand="LUMA"), at=(x, 0.5))
    assert len([b for b in facts_of(img).text.boxes if b.text == "LUMA"]) == 4
    assert run("OV432", img) == []
    assert run("OV431", img) == []


def test_many_watermark_lines_are_summed_up_after_max_lines(cjk_font: Path, ocr: None) -> None:
    img = synth.watermark(synth.shot("bottle", seed=1), "taobao.example", 0.3, angle=-25)
    found = run("OV431", img)
    assert len(found) == 4
    assert found[-1].message.startswith(f"{found[-1].value} more watermark lines")


def _line(text: str, box: tuple[int, int, int, int]) -> TextBox:
    return TextBox(text, 1.0, box, "print", "")


def test_readings_of_a_tiled_mark_cut_at_other_places_are_one_mark() -> None:
    # Readings of 小明家居旗舰店 (OCR of a pool photo it was tiled over): 小明家居 and
    # 居旗舰店 share one character; each shares a run with 小明家居旗舰.
    tiles = [_line(t, (0, 0, 10, 10)) for t in
             ("小明家居", "居旗舰店", "小明家居旗舰", "小明家香旗舰店", "居旗舰店")]
    others = [_line(t, (0, 0, 10, 10)) for t in ("LUMA", "Made in China", "100% cotton")]
    assert repeated_text([*others, *tiles]) == tiles
    assert repeated_text(others) == [others[0]]  # nothing repeated: groups of one
    assert repeated_text([]) == []


def test_a_domain_under_a_name_or_among_label_lines_is_set_in_a_block() -> None:
    name, domain = _line("苏宁超市", (76, 19, 234, 67)), _line("suning.com", (77, 61, 232, 88))
    assert block_partner(domain, [name, domain]) is name
    label = [_line("Trumbull, CT 06611", (523, 1109, 700, 1145)),
             _line("www.dove.com", (526, 1136, 672, 1164))]
    assert block_partner(label[1], label) is label[0]


def test_a_lone_mark_or_one_beside_smaller_print_or_its_own_words_is_not_in_a_block() -> None:
    mark = _line("HEXUS.lifestyle", (362, 305, 596, 363))
    icons = [_line("Notes", (381, 292, 411, 306)), _line("Clock", (435, 291, 463, 306))]
    assert block_partner(mark, [mark, *icons]) is None
    fotolia, adobe = _line("fotolia", (185, 214, 316, 263)), _line("by Adobe", (214, 256, 311, 281))
    assert block_partner(adobe, [fotolia, adobe]) is None
    far = _line("Made in China", (76, 300, 234, 330))
    assert block_partner(mark, [mark, far]) is None


def _two_lines(lines: list[tuple[tuple[int, int], str, int]], grey: int,
               opacity: float) -> np.ndarray:
    """``(position, text, size)`` lines in ``grey`` at ``opacity`` over a product on white."""
    from PIL import Image, ImageDraw

    img = synth.shot("bottle", seed=1)
    layer = Image.new("RGBA", (img.shape[1], img.shape[0]), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for at, text, size in lines:
        draw.text(at, text, fill=(grey, grey, grey, round(255 * opacity)),
                  font=synth.cjk_font(size))
    out = Image.alpha_composite(Image.fromarray(img).convert("RGBA"), layer).convert("RGB")
    return np.asarray(out)


def _lockup(opacity: float) -> np.ndarray:
    """A shop name over its domain, set at ``opacity`` on a white product shot."""
    return _two_lines([((40, 30), "ACME STORE", 56), ((48, 92), "acmestore.com", 44)], 20,
                      opacity)


def test_solid_site_lockup_is_a_logo_not_a_watermark_but_a_faint_one_is(
    cjk_font: Path, ocr: None
) -> None:
    assert run("OV431", _lockup(1.0)) == []
    (found,) = run("OV431", _lockup(0.35))
    assert found.details["block_with"] == "ACME STORE"
    assert "fainter than print" in found.message


@pytest.mark.parametrize(
    ("latin", "name", "spelt"),
    [("DIDIJIAYUAN", "滴滴家园", True), ("WAHAHA", "娃哈哈", True), ("YANGHE", "洋河股份", False),
     ("TMALL FIESTA", "家年华", False), ("Midea", "美的", False), ("DIDI", "滴滴家园", False)],
)
def test_pinyin_of_a_chinese_name_is_recognised(latin: str, name: str, spelt: bool) -> None:
    assert spells_in_pinyin(latin, name) is spelt


def _shop_lockup(opacity: float) -> np.ndarray:
    """A shop's name over its pinyin, grey at ``opacity``, beside a product on white."""
    return _two_lines([((40, 560), "优品小店", 60), ((40, 630), "YOUPINXIAODIAN", 30)], 60,
                      opacity)


def test_faint_shop_name_over_its_pinyin_is_a_shop_mark_and_a_solid_one_a_logo(
    cjk_font: Path, ocr: None
) -> None:
    (found,) = run("OV431", _shop_lockup(0.35))
    assert found.details["kinds"] == ["shop mark"]
    assert found.details["block_with"] == "优品小店"
    assert run("OV431", _shop_lockup(1.0)) == []
