"""OV43x watermarks: wording, contrast estimates, and OCR'd marks on generated images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imagecheck import synth
from imagecheck.analysis.facts import AnalysisOptions, Facts
from imagecheck.analysis.marks import text_contrast, watermark_kinds
from imagecheck.findings import Finding
from imagecheck.loading import LoadedImage
from imagecheck.rules.registry import get_rule


def facts_of(rgb: np.ndarray, ocr: str = "rapidocr") -> Facts:
    return Facts(LoadedImage(rgb, "PNG", "RGB", 0, 0.0, None, 1, False), AnalysisOptions(ocr=ocr))


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
        ("fotolia", "stock agency"),
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
     "EB01-006 SH", "官方旗舰店", "限时秒杀 ¥6088", "100克"],
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
