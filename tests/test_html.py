"""The HTML report, opened in headless Chromium: what a person sees, and filters."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imagecheck.api import check_listing
from imagecheck.config import build_settings
from imagecheck.report import render, write
from imagecheck.report.html_format import _KIND as KIND
from imagecheck.report.model import Report
from imagecheck_dev import synth

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars"]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML report of two listings: one failing (off centre, framed), one clean."""
    root = tmp_path_factory.mktemp("html")
    synth.save(synth.shot("box", (600, 600), at=(0.25, 0.3), fill=0.4),
               root / "bad" / "main.jpg")
    synth.save(synth.frame(synth.shot("mug", (600, 600)), width=20, color=(200, 0, 0)),
               root / "bad" / "carousel1.jpg")
    synth.save(synth.shot("bottle", (600, 600)), root / "good" / "main.jpg")
    report = check_listing([root], build_settings(ocr="none"), jobs=1)
    out = root / "report.html"
    out.write_text(render(report, "html"), encoding="utf-8")
    return out


def _chromium(*args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout


def _dom(page: Path, fragment: str = "") -> str:
    return _chromium("--dump-dom", page.as_uri() + fragment)


def _visible_cards(dom: str) -> list[str]:
    cards = re.findall(r'<div class="card"([^>]*)>', dom)
    return [c for c in cards if "hidden" not in c]


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    assert html.count(f'src="data:image/{KIND};base64,') == 3


def test_all_images_shown_then_filters_narrow_them(page: Path) -> None:
    dom = _dom(page)
    assert "Showing 3 of 3 images" in dom
    assert len(_visible_cards(dom)) == 3
    dom = _dom(page, "#verdict=fail")
    assert "Showing 2 of 3 images" in dom
    assert all('data-verdict="fail"' in c for c in _visible_cards(dom))
    assert re.search(r'<section class="listing" hidden=""><h2>[^<]*good</h2>', dom)
    dom = _dom(page, "#rule=FR201")
    assert "Showing 1 of 3 images" in dom
    assert "FR201" in _visible_cards(dom)[0]
    dom = _dom(page, "#listing=" + str(page.parent / "good"))
    assert "Showing 1 of 3 images" in dom


def test_screenshot_shows_thumbnails_with_findings_drawn(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _chromium(f"--screenshot={shot}", "--window-size=1200,900", page.as_uri() + "#verdict=fail")
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    drawn_red = (r > 180) & (g < 80) & (b < 80)  # the error boxes, labels and the frame
    assert drawn_red.sum() > 2000
    rows = np.nonzero(drawn_red.any(axis=1))[0]
    assert rows.min() > 60  # below the header: on the thumbnails, not the page chrome
    # read the page as a person would: OCR the header and filter bar
    ocr_mod = pytest.importorskip("imagecheck.analysis.ocr")
    try:
        ocr = ocr_mod.get_backend("rapidocr")
    except ocr_mod.OcrUnavailable as exc:
        pytest.skip(str(exc))
    assert ocr is not None
    lines = [box.text for box in ocr.read(pixels[:200].astype(np.uint8))]
    assert any("2 fail" in line and "1 pass" in line for line in lines), lines
    assert any("Showing 2 of 3 images" in line for line in lines), lines


@pytest.fixture(scope="module")
def large(page: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    """A "large" report (the limit lowered to 3 images, 2 cards a page) of 7 images: hard
    links to the fixture's three, in four listings, written with a thumbnails folder."""
    from imagecheck.report import html_format

    root = tmp_path_factory.mktemp("large")
    small = check_listing([page.parent], build_settings(ocr="none"), jobs=1)
    images = []
    for i in range(7):
        src = small.images[i % 3]
        path = root / f"listing{i // 2}" / f"{i}.jpg"
        path.parent.mkdir(exist_ok=True)
        os.link(src.path, path)
        images.append(dataclasses.replace(src, path=str(path), listing=str(path.parent)))
    report = dataclasses.replace(small, images=tuple(images))
    out = root / "audit.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(html_format, "SELF_CONTAINED_LIMIT", 3)
        mp.setattr(html_format, "PAGE_SIZE", 2)
        write(report, "html", out)
    return out, report


def test_large_report_keeps_thumbnails_beside_it_loaded_lazily(
        large: tuple[Path, Report]) -> None:
    out, report = large
    html = out.read_text(encoding="utf-8")
    assert "data:image" not in html
    data = re.search(r'<script type="application/json" id="cards-data">(.*?)</script>', html)
    assert data is not None  # the cards, built a page at a time by the script
    cards = json.loads(data.group(1))
    assert sorted(c[2] for c in cards) == sorted(r.listing for r in report.images)
    for r in report.images:  # every input appears, with its own thumbnail file
        assert sum(escape(r.path) in c[3] for c in cards) == 1
    srcs = re.findall(r'<img src="(audit_thumbnails/[0-9a-f]{24}\.(?:webp|jpeg))"'
                      r'[^>]*loading="lazy"',
                      "".join(c[3] for c in cards))
    assert len(srcs) == 7 and len(set(srcs)) == 7
    assert all((out.parent / s).is_file() for s in srcs)
    assert sorted(p.name for p in (out.parent / "audit_thumbnails").iterdir()) == sorted(
        s.split("/")[1] for s in srcs)


def test_rewriting_a_large_report_reuses_and_prunes_thumbnails(
        large: tuple[Path, Report], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from imagecheck.report import html_format

    _, report = large
    out = tmp_path / "again.html"
    monkeypatch.setattr(html_format, "SELF_CONTAINED_LIMIT", 3)
    write(report, "html", out)
    folder = tmp_path / "again_thumbnails"
    mine = folder / "notes.txt"
    mine.write_text("kept")
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob(f"*.{KIND}")}
    assert len(before) == 7
    write(dataclasses.replace(report, images=report.images[:5]), "html", out)
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob(f"*.{KIND}")}
    assert len(after) == 5 and all(before[n] == t for n, t in after.items())  # reused as is
    assert mine.read_text() == "kept"  # only thumbnails are removed
    monkeypatch.setattr(html_format, "SELF_CONTAINED_LIMIT", 500)
    write(report, "html", out)  # small: one self-contained page
    assert out.read_text(encoding="utf-8").count(f'src="data:image/{KIND};base64,') == 7
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]  # old thumbnails gone
    mine.unlink()
    write(report, "html", out)
    assert not folder.exists()


def test_pages_and_a_filter_with_no_match(large: tuple[Path, Report]) -> None:
    out, _ = large
    dom = _dom(out)
    assert "Showing 1–2 of 7 images, page 1 of 4" in dom
    assert len(_visible_cards(dom)) == 2
    dom = _dom(out, "#page=4")
    assert "Showing 7–7 of 7 images, page 4 of 4" in dom
    assert len(_visible_cards(dom)) == 1
    dom = _dom(out, "#verdict=fail&page=2")
    assert "Showing 3–4 of 5 matching (7 in all), page 2 of 3" in dom
    assert '<p id="none" hidden="">' in dom
    dom = _dom(out, "#verdict=error")
    assert "Showing 0 of 7 images" in dom and not _visible_cards(dom)
    assert re.search(r'<p id="none">No image matches these filters', dom)
    dom = _dom(out, "#rule=XX999")  # a rule no image has, from an old bookmark
    assert "Showing 0 of 7 images" in dom and not _visible_cards(dom)
