"""CP601, CP602 comparison and collage; IQ507-IQ510 upscaling, JPEG blocking, strong blur,
stretching."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from imagecheck.analysis.degradation import quant_step
from imagecheck.analysis.facts import Facts
from imagecheck.analysis.text import TextBox, TextFacts
from imagecheck.loading import load_path
from imagecheck.rules.registry import get_rule
from imagecheck_dev import synth
from imagecheck_dev.facts import facts_of

DEV = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "listing-dev"

CP_CODES = ("CP601", "CP602", "IQ507", "IQ508", "IQ509", "IQ510")


def _facts(img: np.ndarray) -> Facts:
    return facts_of(img, file_size=img.nbytes)


def fired(img: np.ndarray | Facts) -> set[str]:
    """The CP codes that fire on ``img`` with default parameters."""
    facts = img if isinstance(img, Facts) else _facts(img)
    out = set()
    for code in CP_CODES:
        rule = get_rule(code)
        if list(rule.findings(facts, rule.defaults())):
            out.add(code)
    return out


@cache
def shot(kind: str = "bottle", background: int | str = 255) -> np.ndarray:
    return synth.shot(kind, background=background, fill=0.7)


@pytest.mark.parametrize("marker", [None, "VS", "checks"])
def test_side_by_side_comparison_fires(marker: str | None) -> None:
    img = synth.comparison(shot("mug"), shot("box"), marker)  # type: ignore[arg-type]
    assert "CP601" in fired(img)


def test_comparison_reports_panels_and_markers() -> None:
    img = synth.comparison(shot("bottle"), shot("mug"), "checks")
    rule = get_rule("CP601")
    (finding,) = rule.findings(_facts(img), rule.defaults())
    assert "check and cross marks" in finding.details["markers"]
    assert len(finding.details["panels"]) == 2  # type: ignore[arg-type]


def test_one_product_in_two_versions_without_a_line() -> None:
    img = synth.comparison(shot("box"), synth.shot("box", seed=1, fill=0.7), divider=False)
    rule = get_rule("CP601")
    (finding,) = rule.findings(_facts(img), rule.defaults())
    assert "the same product twice" in finding.details["markers"]


def test_two_views_or_colours_of_one_product_without_a_marker_are_no_comparison() -> None:
    """Front and back, or two colour options, side by side: no divider, no wording, no
    marks, one backdrop. That is a product shown twice, not a comparison."""
    img = synth.comparison(shot("box"), synth.shot("box", color=(40, 90, 160)), divider=False)
    assert "CP601" not in fired(img)


@pytest.mark.parametrize("period", [10, 14, 20])
def test_product_with_a_striped_pattern_is_not_stretched(period: int) -> None:
    img = shot("garment").copy()
    stripes = (np.arange(img.shape[0]) // (period // 2)) % 2 == 0
    cloth = img.min(axis=2) < 200
    img[cloth & stripes[:, None]] = (30, 40, 90)
    assert "IQ510" not in fired(img)


def test_flat_colour_graphic_is_not_read_as_enlarged() -> None:
    import cv2

    img = np.full((1000, 1000, 3), (230, 30, 40), np.uint8)
    cv2.circle(img, (500, 500), 300, (255, 255, 255), -1)
    cv2.rectangle(img, (420, 300), (580, 700), (20, 20, 120), -1)
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    assert "IQ507" not in fired(img)


def test_comparison_on_contrasting_backgrounds_without_a_line() -> None:
    img = synth.comparison(shot("shoe"), shot("mug", "wood"), divider=False)
    assert "CP601" in fired(img)


def test_comparison_wording_read_by_ocr_is_a_marker() -> None:
    # Two products each centred in its half, no line: only the OCR'd "VS" marks it.
    img = np.full((800, 800, 3), 255, np.uint8)
    img[:, :400] = synth.shot("bottle", (800, 400), fill=0.6)
    img[:, 400:] = synth.shot("mug", (800, 400), fill=0.5)
    facts = _facts(img)
    facts.__dict__["text"] = TextFacts("test")
    assert facts.composition.halves is not None
    assert "CP601" not in fired(facts)
    facts = _facts(img)
    facts.__dict__["text"] = TextFacts("test", (TextBox("VS", 0.9, (370, 380, 430, 420),
                                                        "overlay", "test"),))
    assert "CP601" in fired(facts)


@pytest.mark.parametrize("layout", ["2x2", "3x1"])
@pytest.mark.parametrize("background", [255, "wood"])
def test_collage_fires(layout: str, background: int | str) -> None:
    kinds = ("bottle", "box", "mug", "phone")
    img = synth.collage([shot(k, background) for k in kinds], layout)  # type: ignore[arg-type]
    assert fired(img) == {"CP602"}


@pytest.mark.parametrize(("kind", "background"), [("bottle", 255), ("box", 255), ("phone", 255),
                                                  ("shoe", 236)])
def test_picture_in_picture_fires(kind: str, background: int) -> None:
    img = synth.picture_in_picture(synth.shot(kind, fill=0.8, background=background),
                                   shot("mug", background))
    rule = get_rule("CP602")
    (finding,) = rule.findings(_facts(img), rule.defaults())
    assert "inset" in finding.message and finding.box is not None
    assert finding.box[0] > 400 and finding.box[1] > 400


@pytest.mark.parametrize(
    "make",
    [
        lambda: shot("bottle"),
        lambda: shot("phone"),
        lambda: synth.product_set(("bottle", "box", "mug")),
        lambda: synth.product_set(("shoe", "mug")),
        lambda: synth.product_set(("box", "box")),
        lambda: shot("box", "wood"),
        lambda: synth.shot("phone", fill=1.0, at=(0.5, 0.52)),
    ],
    ids=["bottle", "phone", "set-of-three", "set-of-two", "pair", "box-on-wood", "touching-edge"],
)
def test_clean_photos_stay_quiet(make: object) -> None:
    assert fired(make()) == set()  # type: ignore[operator]


@pytest.mark.parametrize("factor", [2, 4])
def test_upscaled_image_fires(factor: int) -> None:
    img = synth.upscaled(shot("shoe"), factor)
    assert "IQ507" in fired(img)


def test_pixelated_image_fires_with_effective_resolution() -> None:
    img = synth.upscaled(shot("box"), 4, "nearest")
    rule = get_rule("IQ507")
    (finding,) = rule.findings(_facts(img), rule.defaults())
    assert finding.value is not None and float(finding.value) > 2.5
    assert finding.details["effective_resolution"]


def test_sharp_800_photo_is_not_upscaled() -> None:
    facts = _facts(shot("shoe"))
    assert facts.degradation.upscale_factor < 1.5
    assert "IQ507" not in fired(shot("shoe"))


@pytest.mark.parametrize("quality", [10, 20, 30])
def test_low_jpeg_quality_fires_and_is_estimated(quality: int) -> None:
    img = synth.jpeg_roundtrip(shot("shoe"), quality)
    facts = _facts(img)
    assert facts.degradation.jpeg_quality == pytest.approx(quality, abs=4)
    assert "IQ508" in fired(img)


def test_good_jpeg_quality_stays_quiet() -> None:
    assert "IQ508" not in fired(synth.jpeg_roundtrip(shot("shoe"), 85))


def test_quant_step_needs_quantised_coefficients() -> None:
    rng = np.random.default_rng(0)
    assert quant_step(rng.normal(0, 40, 4000)) is None
    assert quant_step(np.round(rng.normal(0, 40, 4000) / 18) * 18) == 18


def test_strong_blur_fires_and_slight_softness_does_not() -> None:
    assert "IQ509" in fired(synth.gaussian_blur(shot("bottle"), 5))
    assert "IQ509" not in fired(shot("bottle"))


def test_stretched_image_fires() -> None:
    assert "IQ510" in fired(synth.case("stretched_1_3x").image)


def test_uniform_resize_is_not_a_stretch() -> None:
    import cv2

    img = np.asarray(cv2.resize(shot("mug"), (1040, 1040), interpolation=cv2.INTER_LINEAR))
    assert "IQ510" not in fired(img)


def test_rules_are_documented_with_a_fix() -> None:
    for code in CP_CODES:
        doc = get_rule(code).doc
        assert "Fix:" in doc and ("Pinduoduo" in doc or "Taobao" in doc)


@pytest.mark.skipif(not (DEV / "labels.json").is_file(), reason="listing-dev dataset absent")
def test_no_clean_dev_image_is_flagged() -> None:
    labels = json.loads((DEV / "labels.json").read_text(encoding="utf-8"))
    clean = [lab["file"] for lab in labels if lab.get("verdict_main") == "pass"]
    flagged = {f: fired(Facts(load_path(DEV / "images" / f))) for f in clean}
    assert {f: c for f, c in flagged.items() if c} == {}


@pytest.mark.parametrize("shape", [(5, 300), (300, 5), (48, 60), (60, 500)])
def test_odd_shapes_are_judged_without_error(shape: tuple[int, int]) -> None:
    img = np.random.default_rng(0).integers(0, 255, (*shape, 3), dtype=np.uint8)
    assert fired(img) <= set(CP_CODES)
