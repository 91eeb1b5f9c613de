"""Logos: user logo files found at several scales and rotations, graphic marks in corners,
brand marks recognised from text."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.logos import (
    LogoFileError,
    LogoMark,
    analyse_logos,
    brand_marks,
    find_logo,
    graphic_marks,
    load_logo,
    text_marks,
)
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.analysis.text import TextBox, TextFacts
from imagecheck_dev import facts as test_facts
from imagecheck_dev import synth


def facts_of(image: np.ndarray, **options: object) -> Facts:
    chosen = AnalysisOptions(**options)  # type: ignore[arg-type]
    return test_facts.facts_of(image, chosen, file_size=100_000)


def make_logo(side: int = 240) -> np.ndarray:
    """A textured two-colour emblem: ring, star, bars, so it has corners to match."""
    img = Image.new("RGB", (side, side), "white")
    d = ImageDraw.Draw(img)
    s = side / 240
    d.ellipse([10 * s, 10 * s, 230 * s, 230 * s], fill=(20, 60, 160))
    d.ellipse([40 * s, 40 * s, 200 * s, 200 * s], fill="white")
    star = [(120, 50), (138, 100), (190, 100), (148, 130), (165, 185), (120, 152), (75, 185),
            (92, 130), (50, 100), (102, 100)]
    d.polygon([(x * s, y * s) for x, y in star], fill=(220, 40, 40))
    for i in range(4):
        d.rectangle([(60 + 30 * i) * s, 195 * s, (75 + 30 * i) * s, 215 * s], fill="white")
    return np.asarray(img)


@pytest.fixture(scope="module")
def logo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logo") / "brand.png"
    Image.fromarray(make_logo()).save(path)
    return path


def paste(image: np.ndarray, logo: np.ndarray, width: int, at: tuple[int, int],
          angle: float = 0.0) -> np.ndarray:
    h = int(logo.shape[0] * width / logo.shape[1])
    small = cv2.resize(logo, (width, h), interpolation=cv2.INTER_AREA)
    if angle:
        m = cv2.getRotationMatrix2D((width / 2, h / 2), angle, 1.0)
        small = cv2.warpAffine(small, m, (width, h), borderValue=(255, 255, 255))
    out = image.copy()
    x, y = at
    out[y:y + h, x:x + width] = small
    return out


@pytest.mark.parametrize(
    ("width", "angle"), [(60, 0.0), (110, 0.0), (240, 0.0), (400, 0.0), (160, 12.0), (200, -8.0)]
)
def test_logo_file_found_at_several_scales_and_rotations(
    logo_path: Path, width: int, angle: float
) -> None:
    image = paste(synth.shot("box", fill=0.5), make_logo(), width, (30, 40), angle)
    found = find_logo(image, load_logo(str(logo_path)))
    assert found is not None and found.kind == "file" and found.name == "brand.png"
    x0, y0, x1, y1 = found.box
    assert abs(x0 - 30) < 0.25 * width + 8 and abs(y0 - 40) < 0.25 * width + 8
    assert 0.6 * width < x1 - x0 < 1.6 * width


@pytest.mark.parametrize("name", ["clean_box", "printed_brand_box", "logo_mark", "bg_wood"])
def test_logo_file_not_found_where_it_is_not(logo_path: Path, name: str) -> None:
    assert find_logo(synth.case(name).image, load_logo(str(logo_path))) is None


def test_unusable_logo_files_are_refused(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (50, 50), "white").save(blank)
    with pytest.raises(LogoFileError, match="blank"):
        load_logo(str(blank))
    with pytest.raises(LogoFileError, match="missing.png"):
        load_logo(str(tmp_path / "missing.png"))


def _graphic_marks(image: np.ndarray) -> list[LogoMark]:
    facts = facts_of(image, ocr="none")
    return graphic_marks(facts.background, facts.work, facts.work_map, facts.text.overlays)


def test_small_graphic_in_a_top_corner_is_a_mark() -> None:
    image = synth.shot("bottle", fill=0.7).copy()
    image[30:80, 30:80] = (30, 90, 200)
    marks = _graphic_marks(image)
    assert len(marks) == 1 and marks[0].kind == "mark"
    x0, y0, x1, y1 = marks[0].box
    assert x0 <= 32 and y0 <= 32 and 78 <= x1 <= 84 and 78 <= y1 <= 84


def test_faint_shape_in_a_top_corner_is_scene_detail_not_a_mark() -> None:
    """A low-contrast shape near a corner (foliage, a hinge, a faint print) was not added."""
    image = synth.shot("bottle", fill=0.7).copy()
    image[30:80, 30:80] = (215, 225, 200)
    assert _graphic_marks(image) == []


def test_a_glyph_of_a_printed_line_is_not_a_mark() -> None:
    """A letter of a pale box's print can stand alone on a white ground (the box merges
    with it): inside a line read as print, it is that line's, not a logo."""
    image = synth.shot("bottle", fill=0.7).copy()
    image[30:80, 30:80] = (30, 90, 200)
    facts = facts_of(image, ocr="none")
    word = line("BVLGARI", (10, 25, 300, 85), kind="print")
    read = TextFacts("test", (word,))
    assert analyse_logos(image, facts.work, facts.work_map, facts.background, facts.subject,
                         read).marks == ()
    seal = line("送", (30, 30, 80, 80), kind="print")  # badge wording counts in overlays only
    assert len(graphic_marks(facts.background, facts.work, facts.work_map, [seal])) == 1


@pytest.mark.parametrize("name", ["clean_bottle", "product_set", "touching_edge", "clean_shoe"])
def test_products_alone_have_no_graphic_marks(name: str) -> None:
    assert _graphic_marks(synth.case(name).image) == []


def line(text: str, box: tuple[int, int, int, int], kind: str = "overlay",
         conf: float = 0.99, promo: tuple[str, ...] = ()) -> TextBox:
    return TextBox(text, conf, box, kind, "test", promo)


def test_a_wordmark_beside_its_emblem() -> None:
    """An icon left of the word: OCR reads it as a glyph of the line (``0 LUMA``) or as a
    line of its own with no word in it (an artefact); the mark starts at the icon."""
    shape = (800, 605)
    glyph = [line("0 LUMA", (10, 15, 170, 60))]
    assert [m.name for m in text_marks(glyph, shape, None)] == ["0 LUMA"]
    word = line("LUMA", (74, 32, 182, 71))  # starts past the corner zone (12% of 605)
    assert text_marks([word], shape, None) == []
    icon = line("0", (15, 15, 92, 84), kind="artefact")
    assert [m.name for m in text_marks([icon, word], shape, None)] == ["LUMA"]
    far = line("0", (15, 15, 25, 84), kind="artefact")  # more than the word's height away
    assert text_marks([far, word], shape, None) == []
    assert text_marks([line("3 LUMA 5", (10, 15, 170, 60))], shape, None) == []


def test_corner_wordmark_versus_headline() -> None:
    shape = (800, 800)
    assert [m.name for m in text_marks([line("LUMA", (20, 20, 140, 60))], shape, None)] == ["LUMA"]
    headline = [line("夏日清爽", (20, 20, 260, 80)), line("轻薄透气，出汗不黏", (20, 90, 300, 120))]
    assert text_marks(headline, shape, None) == []
    beside = [line("Lenovo", (15, 12, 146, 49)), line("联想 拯救者Y520", (129, 101, 651, 178))]
    assert [m.name for m in text_marks(beside, shape, None)] == ["Lenovo"]  # not a sub-line
    assert text_marks([line("LUMA", (20, 20, 140, 60), kind="print")], shape, None) == []
    assert text_marks([line("LUMA", (330, 20, 470, 60))], shape, None) == []  # top centre
    assert text_marks([line("SALE", (20, 20, 140, 60), promo=("SALE",))], shape, None) == []


def test_store_names_trademarks_and_logo_only_images() -> None:
    shape = (800, 800)
    store = text_marks([line("优品官方旗舰店", (200, 700, 600, 760), kind="print")], shape, None)
    assert [m.why for m in store] == ["a store name set on the image"]
    tm = text_marks([line("Tawa® 帐篷", (200, 400, 600, 460))], shape, None)
    assert tm and "trademark" in tm[0].why
    sony = [line("SONY", (100, 300, 700, 500), kind="print")]
    only = text_marks(sony, shape, (90, 290, 710, 510))
    assert only and "only a wordmark" in only[0].why
    rails = [line("RAILS", (350, 380, 450, 420), kind="print")]
    label = text_marks(rails, shape, (100, 100, 700, 700))
    assert label == []


def test_slogan_printed_on_a_shirt_is_not_a_logo_only_image() -> None:
    """Lettering whose box is all product (a shirt, a sign) is print, not a logo file;
    lettering on the background that holds the content is."""
    shape = (400, 400)
    slogan = [line("ORGANIC", (100, 150, 300, 200), kind="print")]
    shirt = np.zeros((100, 100), bool)
    shirt[10:100, 15:85] = True
    assert text_marks(slogan, shape, (60, 40, 340, 400), shirt) == []
    sign = np.zeros((100, 100), bool)
    sign[36:52, 24:76] = True
    assert text_marks(slogan, shape, (100, 150, 300, 200), sign) == []
    letters = np.zeros((100, 100), bool)
    letters[38:50, 25:75:3] = True
    only = text_marks(slogan, shape, (100, 150, 300, 200), letters)
    assert only and "only a wordmark" in only[0].why


def test_words_set_at_an_angle_are_a_stamp_not_a_logo_only_image() -> None:
    stamp = [TextBox("PASSED", 0.99, (100, 300, 700, 500), "overlay", "test", tilt=22.0)]
    assert text_marks(stamp, (800, 800), (90, 290, 710, 510)) == []
    level = [TextBox("PASSED", 0.99, (100, 300, 700, 500), "overlay", "test", tilt=2.0)]
    assert text_marks(level, (800, 800), (90, 290, 710, 510))


def test_brand_list_matches_overlays_only() -> None:
    lines = [line("Luma 官方", (10, 10, 100, 40)), line("LUMA", (300, 300, 400, 340), kind="print")]
    marks = brand_marks(lines, ["l u m a", "Other"])
    assert [(m.kind, m.name, m.box) for m in marks] == [("brand", "l u m a", (10, 10, 100, 40))]


def test_corner_wordmark_plus_print_is_not_a_logo_only_image() -> None:
    lines = [line("SONY", (8, 7, 62, 23)), line("SONY", (137, 100, 162, 116), kind="print")]
    marks = text_marks(lines, (220, 220), (8, 7, 200, 210))
    assert [m.why for m in marks] == ["a short word set apart in a top corner, as brand marks are"]
