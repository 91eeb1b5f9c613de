"""Golden tests of the foundation's image rules on the project's synthetic cases.

Each case states the codes it must produce and the codes it must not.
"""

from __future__ import annotations

import pytest

from imagecheck import build_settings, check_image
from imagecheck.findings import Severity
from imagecheck.report.model import ImageResult
from imagecheck_dev import synth
from imagecheck_dev.facts import loaded

FOUNDATION = ("BG", "FR2", "OV401", "IQ505")

#: case -> codes that must fire (at warning or above) among the foundation's rules.
GOLDEN: dict[str, set[str]] = {
    "clean_bottle": set(),
    "clean_box": set(),
    "clean_mug": set(),
    "clean_shoe": set(),
    "clean_phone": set(),
    "clean_garment": set(),
    "printed_label_bottle": set(),
    "white_on_white": set(),
    "white_box_on_white": set(),
    "touching_edge": set(),
    "touching_edge_side": set(),
    "product_set": set(),
    "bg_near_white_250": set(),
    "off_centre": {"FR201"},
    "tiny_product": {"FR202"},
    "bg_grey_200": {"BG101"},
    "bg_coloured": {"BG101"},
    "bg_gradient_vertical": {"BG101"},
    "bg_gradient_radial": {"BG101"},
    "bg_carpet": {"BG101"},
    "bg_room": {"BG101"},
    "border_thin_line": {"OV401"},
    "border_thick_band": {"OV401"},
    "border_coloured": {"OV401"},
    "border_inset_line": {"OV401"},
    "border_dashed": {"OV401"},
    "blur_gaussian": {"IQ505"},
    "blur_motion": {"IQ505"},
}


def _check(image: object, platform: str = "pdd") -> ImageResult:
    settings = build_settings({}, platform=platform, ocr="none")
    return check_image(loaded(image, 200_000), "main", settings)  # type: ignore[arg-type]


def _fired(result: ImageResult) -> set[str]:
    return {
        f.code
        for f in result.findings
        if f.severity >= Severity.WARNING and f.code.startswith(FOUNDATION)
    }


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_case(name: str) -> None:
    result = _check(synth.case(name).image)
    assert _fired(result) == GOLDEN[name], [f.message for f in result.findings]


def test_off_white_background_is_a_warning_naming_the_colour() -> None:
    result = _check(synth.case("bg_offwhite_244").image)
    bg = [f for f in result.findings if f.code == "BG101"]
    assert bg and bg[0].severity is Severity.WARNING
    assert "off-white" in bg[0].message and "#F" in bg[0].message


def test_grey_background_evidence() -> None:
    (f,) = [f for f in _check(synth.case("bg_grey_200").image).findings if f.code == "BG101"]
    assert f.category == "background" and f.severity is Severity.ERROR
    assert isinstance(f.value, float) and f.value < f.threshold  # type: ignore[operator]
    assert f.box == (0, 0, 800, 800)


def test_off_centre_evidence_names_direction_and_box() -> None:
    (f,) = [f for f in _check(synth.case("off_centre").image).findings if f.code == "FR201"]
    assert "left" in f.message and f.box is not None
    x0, _, x1, _ = f.box
    assert (x0 + x1) / 2 < 400
    assert f.details["offset_x"] < -0.15  # type: ignore[operator]


def test_border_box_covers_the_frame() -> None:
    (f,) = [f for f in _check(synth.case("border_coloured").image).findings if f.code == "OV401"]
    assert f.box == (0, 0, 800, 800)
    assert "#DC1E28" in f.message


def test_one_edge_frame_where_one_edge_is_enough() -> None:
    """With ``min_edges = 1`` a single band said "frame along 1 edges"."""
    image = synth.shot("box", (800, 800), fill=0.6).copy()
    image[:, :14] = (220, 30, 40)
    settings = build_settings({}, platform="pdd", ocr="none",
                              params={"OV401": {"min_edges": 1}})
    (f,) = [f for f in check_image(loaded(image, 1), "carousel", settings).findings
            if f.code == "OV401"]
    assert f.message == "frame along 1 edge (left 14px), colour #DC1E28"


def test_letterbox_is_only_a_warning() -> None:
    found = [f for f in _check(synth.case("letterbox").image).findings if f.code == "OV401"]
    assert found and found[0].severity is Severity.WARNING


def test_amazon_fill_is_stricter_than_pdd() -> None:
    image = synth.shot("box", (800, 800), fill=0.7)
    assert "FR202" not in {f.code for f in _check(image, "pdd").findings}
    assert "FR202" in {f.code for f in _check(image, "amazon").findings}


def test_size_and_square_rules_use_the_profile() -> None:
    small = synth.shot("bottle", (400, 600))
    codes = {f.code for f in _check(small, "pdd").findings}
    assert {"IQ501", "IQ503"} <= codes
    assert "IQ506" in {f.code for f in _check(small, "amazon").findings}


def test_cropped_product_is_info_only() -> None:
    image = synth.shot("phone", (800, 800), fill=1.25)
    found = [f for f in _check(image).findings if f.code == "FR203"]
    assert found and found[0].severity is Severity.INFO
    assert _check(synth.case("clean_phone").image).findings == ()


def test_file_size_limit() -> None:
    settings = build_settings({}, platform="pdd", ocr="none")
    big = loaded(synth.shot("box", (800, 800)), 3_500_000)
    (f,) = [f for f in check_image(big, "main", settings).findings if f.code == "IQ504"]
    assert f.value == 3.5 and f.threshold == 3.0


def test_a_crashing_check_is_reported_not_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    from imagecheck.analysis.facts import Facts

    def boom(self: Facts) -> float:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(Facts, "sharpness", property(boom))
    result = _check(synth.case("clean_bottle").image)
    (f,) = [f for f in result.findings if f.code == "IN005"]
    assert "IQ505" in f.message and "model exploded" in f.message
    assert result.verdict(Severity.WARNING) == "error"


def test_centring_ignores_added_text(cjk_font: object) -> None:
    """Text added on the other side must neither hide nor fake an off-centre product."""
    settings = build_settings({}, platform="pdd")
    shifted = synth.text_overlay(synth.shot("box", (800, 800), fill=0.5, at=(0.3, 0.5)),
                                 "包邮 特价", 0.08, (230, 30, 30), "top-right")
    centred = synth.text_overlay(synth.shot("box", (800, 800), fill=0.5),
                                 "FREE SHIPPING", 0.06, (20, 20, 20), "bottom-right")

    def codes(image: object) -> set[str]:
        return {f.code for f in check_image(loaded(image, 1), "main", settings).findings}  # type: ignore[arg-type]

    assert "FR201" in codes(shifted)
    assert "FR201" not in codes(centred)


def test_promo_words_extend_the_built_in_list(cjk_font: object) -> None:
    image = synth.text_overlay(synth.shot("box", (800, 800), fill=0.55), "镇店之宝", 0.09,
                               (230, 30, 30), "top-left")
    listed = loaded(image, 1)

    def promo(settings: object) -> list[str]:
        found = check_image(listed, "main", settings).findings  # type: ignore[arg-type]
        return [f.message for f in found if f.code == "TX302"]

    assert not promo(build_settings({}))
    assert any("镇店" in m for m in promo(build_settings({"promo_words": ["镇店"]})))


@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (1, 600), (600, 1), (7, 900), (17, 17)])
def test_tiny_and_thin_images_are_checked_without_crashing(shape: tuple[int, int]) -> None:
    import numpy as np

    image = np.full((*shape, 3), 200, np.uint8)
    for platform in ("pdd", "taobao", "amazon"):
        result = check_image(loaded(image, 1), "main", build_settings({}, platform=platform))
        assert not [f.message for f in result.findings if f.category == "input"]
