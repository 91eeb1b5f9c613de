"""``imagecheck fix``: fixable violations come back passing; what cannot be fixed without
changing the product is left alone and reported; originals are never written."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import cv2
import jsonschema
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from imagecheck.cli import main
from imagecheck.config import Settings, build_settings
from imagecheck.fix.api import copy_paths, fix_image
from imagecheck.fix.model import FixOptions
from imagecheck.report import render
from imagecheck.report.model import ImageResult
from imagecheck_dev import synth

SCHEMA = Path(__file__).parents[1] / "docs" / "report-schema.json"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return build_settings(ocr="none")


def fixed(img: np.ndarray, settings: Settings, tmp_path: Path, name: str = "in.png",
          **options: object) -> ImageResult:
    source = synth.save(img, tmp_path / name)
    return fix_image(source, "main", settings, out=tmp_path / "out" / "copy.jpg",
                     options=FixOptions(**options))  # type: ignore[arg-type]


def applied(result: ImageResult) -> list[str]:
    assert result.fix is not None
    return [a.name for a in result.fix.applied]


def copy_of(result: ImageResult) -> np.ndarray:
    assert result.fix is not None and result.fix.output is not None
    return np.asarray(Image.open(result.fix.output).convert("RGB"))


GREY = synth.shot("bottle", background=(225, 225, 222))
FRAMED = synth.frame(synth.shot("mug"), width=14, color=(200, 30, 30))
BADGED = synth.badge(synth.shot("bottle", fill=0.6), corner="top-right", text="包邮")
OFF_CENTRE = synth.shot("box", at=(0.3, 0.45), fill=0.5)
SMALL_WIDE = synth.shot("box", shape=(360, 560), fill=0.6)
COMBINED = synth.badge(
    synth.frame(synth.shot("box", shape=(350, 420), background=(228, 228, 226),
                           at=(0.4, 0.5), fill=0.5), width=8, color=(200, 30, 30)),
    corner="top-left", size=0.18)


@pytest.mark.parametrize(("img", "codes", "correction"), [
    (GREY, {"BG101"}, "whiten-background"),
    (FRAMED, {"OV401"}, "crop-border"),
    (BADGED, {"OV411"}, "remove-overlay"),
    (OFF_CENTRE, {"FR201"}, "recanvas"),
    (SMALL_WIDE, {"IQ501", "IQ503"}, "recanvas"),
], ids=["grey-background", "frame", "corner-badge", "off-centre", "small-not-square"])
def test_each_fixable_violation_comes_back_passing(
        img: np.ndarray, codes: set[str], correction: str, settings: Settings,
        tmp_path: Path) -> None:
    result = fixed(img, settings, tmp_path)
    assert result.fix is not None
    assert codes <= set(result.fix.before)
    assert correction in applied(result)
    assert codes <= set(result.fix.passing)
    assert result.verdict(settings.fail_on) == "pass", result.findings


def test_combined_violations_come_back_passing(settings: Settings, tmp_path: Path) -> None:
    result = fixed(COMBINED, settings, tmp_path)
    assert result.fix is not None
    assert {"BG101", "OV401", "IQ501", "IQ503"} <= set(result.fix.before)
    # the badge sat on the frame: found and removed once the frame was cropped
    assert applied(result)[:2] == ["crop-border", "whiten-background"]
    assert "remove-overlay" in applied(result) and "recanvas" in applied(result)
    assert result.verdict(settings.fail_on) == "pass", result.findings
    assert result.width == result.height and (result.width or 0) >= 480
    assert not result.fix.failing


def test_file_size_limit_by_jpeg_quality(tmp_path: Path) -> None:
    settings = build_settings(ocr="none", params={"IQ504": {"max_megabytes": 0.06}})
    noisy = synth.soften(synth.shot("bottle", background="wood"), noise=6)
    result = fixed(noisy, settings, tmp_path, name="big.png")
    assert result.fix is not None and "IQ504" in result.fix.before
    assert "IQ504" in result.fix.passing
    encode = next(a for a in result.fix.applied if a.name == "encode")
    assert encode.params["bytes"] <= 60_000  # type: ignore[operator]


def test_transparency_is_flattened_onto_white(settings: Settings, tmp_path: Path) -> None:
    photo = synth.shot("box", at=(0.3, 0.5), fill=0.5, shadow=0)
    alpha = np.where(photo.min(axis=2) >= 250, 0, 255).astype(np.uint8)
    rgba = np.dstack([photo, alpha])  # a cut-out product off centre, the rest transparent
    result = fixed(rgba, settings, tmp_path)
    assert applied(result)[0] == "flatten-transparency"
    assert result.verdict(settings.fail_on) == "pass"
    assert copy_of(result)[5, 5].min() >= 250


def test_product_touching_the_frame_is_not_cut(settings: Settings, tmp_path: Path) -> None:
    inner = synth.shot("bottle", fill=1.0)
    result = fixed(synth.frame(inner, width=10, color=(30, 30, 200)), settings, tmp_path)
    assert result.fix is not None and "OV401" in result.fix.passing
    assert applied(result) == ["crop-border", "encode"]
    out = copy_of(result).astype(int)
    crop = result.fix.applied[0].params["box"]
    x0, y0, x1, y1 = crop  # type: ignore[misc]
    original = synth.frame(inner, width=10, color=(30, 30, 200))[y0:y1, x0:x1].astype(int)
    assert out.shape == original.shape
    assert np.abs(out - original).mean() <= 2


def test_white_product_on_white_is_not_whitened(settings: Settings, tmp_path: Path) -> None:
    img = synth.shot("mug", color=(250, 250, 250))
    result = fixed(img, settings, tmp_path)
    assert result.fix is not None
    assert "whiten-background" not in applied(result)
    if result.fix.output is not None:  # recentred only: the product's pixels kept
        assert copy_of(result).shape == img.shape


def test_badge_over_the_product_is_not_fixed(settings: Settings, tmp_path: Path) -> None:
    img = synth.badge(synth.shot("box", fill=0.9, at=(0.42, 0.45)), corner="top-left",
                      size=0.22, margin=0.12)
    result = fixed(img, settings, tmp_path)
    assert result.fix is not None
    regions = [r for a in result.fix.applied if a.name == "remove-overlay"
               for r in a.params["regions"]]  # type: ignore[attr-defined]
    assert not regions
    if "OV411" in result.fix.before:
        assert "OV411" in result.fix.failing
        assert "new photo" in result.fix.failing["OV411"]


def test_scene_is_not_whitened_or_padded(settings: Settings, tmp_path: Path) -> None:
    result = fixed(synth.shot("bottle", background="room"), settings, tmp_path)
    assert result.fix is not None
    assert "BG101" in result.fix.failing
    assert not {"whiten-background", "recanvas", "remove-overlay"} & set(applied(result))
    assert result.verdict(settings.fail_on) == "fail"


def test_copy_paths_mirror_the_inputs_as_jpeg(tmp_path: Path) -> None:
    a, b, c = tmp_path / "l1" / "a.png", tmp_path / "l1" / "a.jpg", tmp_path / "l2" / "x.webp"
    out = copy_paths([a, b, c], tmp_path / "out")
    root = (tmp_path / "out").resolve()
    assert out[str(b)] == str(root / "l1" / "a.jpg")
    assert out[str(a)] == str(root / "l1" / "a.png.jpg")
    assert out[str(c)] == str(root / "l2" / "x.jpg")


def _digests(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fix_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["fix", "--ocr", "none", "--jobs", "1", *args],
                                catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_fixes_copies_and_leaves_originals_alone(tmp_path: Path) -> None:
    listing = tmp_path / "listing"
    synth.save(GREY, listing / "main.png")
    synth.save(FRAMED, listing / "carousel" / "frame.jpg")
    before = _digests(listing)
    code, out = fix_cli(str(listing), "--out", str(tmp_path / "fixed"))
    assert code == 0, out
    assert _digests(listing) == before
    assert (tmp_path / "fixed" / "main.jpg").is_file()
    assert (tmp_path / "fixed" / "carousel" / "frame.jpg").is_file()
    assert "now passing: BG101" in out and "crop-border (OV401)" in out


def test_cli_exit_1_when_a_copy_still_fails_and_json_validates(tmp_path: Path) -> None:
    synth.save(GREY, tmp_path / "in" / "main.png")
    synth.save(synth.shot("bottle", background="room"), tmp_path / "in" / "scene.png")
    report = tmp_path / "fix.json"
    code, out = fix_cli(str(tmp_path / "in"), "--role", "main", "--out",
                        str(tmp_path / "fixed"), "-f", "json", "-o", str(report))
    assert code == 1, out
    data = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(data)
    fixes = {Path(i["path"]).name: i["fix"] for i in data["images"]}
    assert fixes["main.png"]["passing"] == ["BG101"]
    assert fixes["main.png"]["applied"][0]["name"] == "whiten-background"
    assert fixes["scene.png"]["output"] is None
    assert fixes["scene.png"]["failing"][0]["code"] == "BG101"


def test_cli_dry_run_writes_nothing(tmp_path: Path) -> None:
    synth.save(GREY, tmp_path / "in" / "main.png")
    code, out = fix_cli(str(tmp_path / "in"), "--out", str(tmp_path / "fixed"), "--dry-run")
    assert code == 0, out
    assert "would write" in out and "dry run" in out
    assert not (tmp_path / "fixed").exists()


def test_cli_refuses_a_copy_over_an_input(tmp_path: Path) -> None:
    synth.save(FRAMED, tmp_path / "main.jpg")
    before = _digests(tmp_path)
    code, out = fix_cli(str(tmp_path / "main.jpg"), "--out", str(tmp_path))
    assert code == 2
    assert "refusing to write" in out
    code, out = fix_cli(str(tmp_path / "main.jpg"), "--out", str(tmp_path), "--lang", "zh")
    assert code == 2 and "refusing" not in out and "main.jpg" in out
    assert _digests(tmp_path) == before


def test_cli_unreadable_input_exits_2(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"not an image")
    code, out = fix_cli(str(tmp_path / "broken.jpg"), "--out", str(tmp_path / "fixed"))
    assert code == 2 and "IN001" in out


def test_text_report_lists_fixes_and_reasons(settings: Settings, tmp_path: Path) -> None:
    from imagecheck.api import build_report

    results = [fixed(GREY, settings, tmp_path),
               fixed(synth.shot("bottle", background="room"), settings, tmp_path, "s.png")]
    report = build_report(results, settings)
    text = render(report, "text")
    assert "whiten-background (BG101)" in text and "still failing: BG101" in text
    rows = render(report, "csv")
    assert "whiten-background" in rows


def test_fix_lines_and_reasons_follow_the_language(settings: Settings, tmp_path: Path) -> None:
    from dataclasses import replace

    from imagecheck.api import build_report

    results = [fixed(GREY, settings, tmp_path),
               fixed(synth.shot("bottle", background="room"), settings, tmp_path, "s.png")]
    en = build_report(results, settings)
    zh = replace(en, lang="zh")
    text = render(zh, "text")
    assert "背景调白 (BG101)" in text and "仍未通过:BG101:" in text and "still failing" not in text
    assert "修正:已写出" in render(zh, "html")
    fixes = [[image.get("fix") for image in json.loads(render(r, "json"))["images"]]
             for r in (en, zh)]
    for en_fix, zh_fix in zip(*fixes, strict=True):  # same codes, reasons in Chinese
        assert [f["code"] for f in en_fix["failing"]] == [f["code"] for f in zh_fix["failing"]]
        assert all(any("\u4e00" <= c <= "\u9fff" for c in f["reason"]) for f in zh_fix["failing"])
    assert any(fix["failing"] for fix in fixes[1])


def test_upscaling_past_the_limit_is_warned(settings: Settings, tmp_path: Path) -> None:
    tiny = synth.shot("box", shape=(200, 200), at=(0.35, 0.5), fill=0.5)
    result = fixed(tiny, settings, tmp_path, size=800, fill=0.8)
    codes = {f.code for f in result.findings}
    assert "FX101" in codes
    assert result.verdict(settings.fail_on) == "fail"
    quiet = fixed(tiny, settings, tmp_path, size=800, fill=0.8, max_upscale=8.0)
    assert "FX101" not in {f.code for f in quiet.findings}


def test_side_by_side_labels_follow_the_language(settings: Settings, tmp_path: Path) -> None:
    from imagecheck.report.fix_parts import side_by_side

    tiny = synth.shot("box", shape=(200, 200), at=(0.35, 0.5), fill=0.5)
    result = fixed(tiny, settings, tmp_path, size=800, fill=0.8)  # the copy warns FX101
    en, zh = (side_by_side(result, 300, lang) for lang in ("en", "zh"))
    assert en is not None and zh is not None and en.size == zh.size
    assert (np.asarray(en) != np.asarray(zh)).any()


def test_png_output_decodes_as_srgb_jpeg(settings: Settings, tmp_path: Path) -> None:
    result = fixed(GREY, settings, tmp_path)
    assert result.fix is not None and result.fix.output is not None
    with Image.open(io.BytesIO(Path(result.fix.output).read_bytes())) as img:
        assert img.format == "JPEG" and img.mode == "RGB"


def test_html_shows_original_and_fixed_copy_side_by_side(settings: Settings,
                                                         tmp_path: Path) -> None:
    from imagecheck.api import build_report
    from imagecheck.report.fix_parts import pair_size
    from imagecheck.report.html_format import THUMB_SIDE

    report = build_report([fixed(FRAMED, settings, tmp_path)], settings)
    page = render(report, "html")
    width, height = pair_size(THUMB_SIDE)
    assert f'width="{width}" height="{height}"' in page
    assert '<li class="fix">crop-border (OV401)' in page


def test_copies_inside_an_input_folder_are_not_fixed_again(tmp_path: Path) -> None:
    synth.save(GREY, tmp_path / "listing" / "main.png")
    out = tmp_path / "listing" / "fixed"
    for _ in range(2):
        code, text = fix_cli(str(tmp_path / "listing"), "--out", str(out))
        assert code == 0, text
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["main.jpg"]
    assert "1 image(s)" in text


def test_layout_centres_and_never_pads_against_a_cut() -> None:
    from imagecheck.fix.canvas import Layout, layout

    free = layout(1000, 600, (100, 100, 300, 500), (), 800, 0.8, 0.28, 1.0, 480)
    assert isinstance(free, Layout)
    assert free.x0 + free.side / 2 == 200 and free.y0 + free.side / 2 == 300
    # not enlarged: the canvas shrinks to fit the product at its fill (not under 480)
    assert free.canvas == 500 and free.scale == 1.0
    # too small for 480 px even at the lowest fill: enlarged (the copy is warned, FX101)
    tiny = layout(300, 300, (100, 100, 200, 200), (), 800, 0.8, 0.28, 1.0, 480)
    assert isinstance(tiny, Layout) and tiny.canvas == 480
    assert tiny.scale == pytest.approx(480 / (100 / 0.28))
    # runs off the bottom: the window keeps the image's bottom edge, pads only the sides
    standing = layout(600, 800, (200, 300, 400, 800), ("bottom",), 800, 0.8, 0.28, 1.0, 480)
    assert isinstance(standing, Layout)
    assert standing.y0 == 0 and standing.side == 800
    cut = layout(600, 800, (0, 0, 600, 500), ("top", "left", "right"), 800, 0.8, 0.28, 1.0,
                 480)
    assert isinstance(cut, str) and "cut" in cut


def test_jpeg_quality_search_fits_the_limit() -> None:
    from imagecheck.fix.encode import QUALITIES, jpeg

    noisy = synth.soften(synth.shot("bottle", background="wood"), noise=8)
    best, quality = jpeg(noisy, None)
    assert quality == QUALITIES[0]
    small, lower = jpeg(noisy, len(best) // 2)
    assert len(small) <= len(best) // 2 and lower < quality


@pytest.mark.parametrize(("img", "codes"), [
    (synth.text_overlay(synth.shot("bottle", fill=0.6), "包邮", position="top-left"),
     {"TX301"}),
    (synth.banner(synth.shot("box", fill=0.55, at=(0.5, 0.45))), {"TX309"}),
], ids=["overlay-text", "promo-strip"])
def test_text_overlays_on_plain_ground_are_removed(ocr: None, img: np.ndarray,
                                                   codes: set[str], tmp_path: Path) -> None:
    settings = build_settings()
    result = fixed(img, settings, tmp_path)
    assert result.fix is not None
    assert codes <= set(result.fix.before), result.fix
    assert "remove-overlay" in applied(result)
    assert codes <= set(result.fix.passing), result.fix.failing


def test_text_over_the_product_is_reported_not_removed(ocr: None, tmp_path: Path) -> None:
    settings = build_settings()
    img = synth.text_overlay(synth.shot("box", fill=0.8), "限时秒杀", position="center",
                             size=0.1)
    result = fixed(img, settings, tmp_path)
    assert result.fix is not None and "TX301" in result.fix.before
    assert "remove-overlay" not in applied(result)
    assert "product" in result.fix.failing["TX301"]


def test_findings_accepted_by_per_path_ignores_are_not_fixed(tmp_path: Path) -> None:
    settings = build_settings({"per_path_ignores": {"*.png": ["BG101"]}}, ocr="none")
    result = fixed(GREY, settings, tmp_path)
    assert result.fix is not None and not result.fix.applied
    assert result.fix.note.startswith("passes already")


def test_an_overlay_is_widened_over_its_own_parts_not_the_product() -> None:
    from imagecheck.analysis.facts import Facts
    from imagecheck.fix.overlays import extents
    from imagecheck.loading import load_array

    img = np.full((600, 600, 3), 255, np.uint8)
    for x in range(100, 220, 20):  # the word's letters: the OCR's box is round them
        img[42:68, x:x + 12] = (30, 30, 30)
    img[40:70, 60:90] = (0, 120, 215)  # the logo's symbol beside the word
    img[110:560, 150:450] = (180, 40, 50)  # the product, just below
    [box] = extents(Facts(load_array(img)), [(100, 42, 212, 68)])
    assert box[0] <= 60 and box[2] >= 212  # the symbol joins the word
    assert box[3] < 110  # the product does not


def test_a_mark_that_is_all_the_image_shows_is_not_removed() -> None:
    from imagecheck.analysis.facts import Facts
    from imagecheck.fix.overlays import all_of_subject
    from imagecheck.loading import load_array

    word = np.full((400, 600, 3), 255, np.uint8)
    for x in range(100, 500, 40):  # a wordmark alone: filling it would leave nothing
        word[170:230, x:x + 25] = (20, 20, 20)
    assert all_of_subject(Facts(load_array(word)), [(96, 166, 480, 234)])
    with_product = word.copy()
    with_product[250:390, 150:450] = (180, 40, 50)
    assert not all_of_subject(Facts(load_array(with_product)), [(96, 166, 480, 234)])


@pytest.mark.parametrize(("kind", "backdrop"), [
    ("bottle", (200, 40, 40)), ("mug", (30, 30, 32)), ("shoe", (128, 128, 128)),
    ("garment", (240, 200, 40)),
], ids=["red", "dark", "mid-grey", "yellow"])
def test_product_on_a_plain_backdrop_is_cut_out_unchanged(
        kind: str, backdrop: tuple[int, int, int], settings: Settings, tmp_path: Path) -> None:
    img = synth.shot(kind, background=backdrop)
    source = synth.save(img, tmp_path / "in.png")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    result = fix_image(source, "main", settings, out=tmp_path / "out" / "copy.jpg")
    assert result.fix is not None and "BG101" in result.fix.before
    assert applied(result) == ["cut-out", "encode"]
    assert "BG101" in result.fix.passing
    assert result.verdict(settings.fail_on) == "pass", result.findings
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest
    out = copy_of(result).astype(int)
    assert out.shape == img.shape
    # the product (where it looks the same on another ground; 3 px inside its edge)
    # keeps its pixels
    other = synth.shot(kind, background=(255 - backdrop[0], 0, 255 - backdrop[2]), shadow=0)
    product = (np.abs(synth.shot(kind, background=backdrop, shadow=0).astype(int)
                      - other).max(axis=2) <= 2).astype(np.uint8)
    product = cv2.erode(product, np.ones((7, 7), np.uint8)).astype(bool)
    assert np.abs(out - img.astype(int))[product].mean() <= 2
    # the backdrop is white, with no fringe of its colour left round the product
    ground = cv2.erode((np.abs(img.astype(int) - backdrop).max(axis=2) <= 6).astype(np.uint8),
                       np.ones((7, 7), np.uint8)).astype(bool)
    assert (out[ground].min(axis=1) >= 245).mean() >= 0.99
    ring = cv2.dilate(product.astype(np.uint8), np.ones((15, 15), np.uint8)).astype(bool)
    ring &= ~cv2.dilate(product.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert (np.abs(out[ring] - backdrop).max(axis=1) <= 30).mean() <= 0.03


@pytest.mark.parametrize("ground", ["wood", "carpet", "room"])
def test_product_on_a_textured_or_scene_ground_is_not_cut_out(
        ground: str, settings: Settings, tmp_path: Path) -> None:
    result = fixed(synth.shot("box", background=ground), settings, tmp_path)
    assert result.fix is not None and "BG101" in result.fix.failing
    assert "cut-out" not in applied(result)


@pytest.mark.parametrize(("kind", "backdrop"), [
    ("shoe", (45, 50, 70)), ("garment", (70, 110, 170)), ("box", (180, 40, 50)),
], ids=["shoe", "garment", "box"])
def test_product_the_colour_of_its_backdrop_is_refused(
        kind: str, backdrop: tuple[int, int, int], settings: Settings, tmp_path: Path) -> None:
    result = fixed(synth.shot(kind, background=backdrop), settings, tmp_path)
    assert result.fix is not None and "BG101" in result.fix.failing
    assert "cut-out" not in applied(result)
    assert result.fix.output is None or "whiten-background" not in applied(result)
