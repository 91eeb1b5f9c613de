"""Tinted marks (analysis/tint.py): coloured lettering blended over a neutral surface."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.analysis.text import TextBox, TextFacts
from imagecheck_dev import synth
from imagecheck_dev.facts import facts_of


def _lid(colour: tuple[int, int, int], ink: tuple[int, int, int], opacity: float) -> np.ndarray:
    """A flat slab (a laptop lid) on white with a site mark in ``ink`` blended across it."""
    img = Image.new("RGB", (800, 800), (255, 255, 255))
    ImageDraw.Draw(img).rectangle((100, 200, 700, 600), fill=colour)
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((170, 360), "www.shopmark.com", fill=(*ink, round(255 * opacity)),
                               font=synth.cjk_font(64))
    return np.asarray(Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB"))


def _facts(rgb: np.ndarray, lines: tuple[TextBox, ...] = ()) -> Facts:
    """Facts whose whole-image OCR read ``lines`` (as if it missed the faint mark)."""
    facts = facts_of(rgb, AnalysisOptions(ocr="rapidocr"))
    facts.__dict__["text"] = TextFacts("rapidocr", lines)
    return facts


def test_pink_mark_on_a_dark_lid_is_found_and_read(cjk_font: Path, ocr: None) -> None:
    (line,) = _facts(_lid((40, 40, 42), (255, 60, 120), 0.3)).tint.lines
    assert line.ground_chroma <= 6 and line.hue_agreement >= 0.9 and line.parts >= 4
    assert any("shopmark" in b.text.lower() for b in line.read)


def test_grey_mark_or_a_mark_on_a_coloured_product_is_no_tint(cjk_font: Path, ocr: None) -> None:
    assert _facts(_lid((40, 40, 42), (200, 200, 200), 0.3)).tint.lines == ()
    assert _facts(_lid((30, 90, 200), (255, 60, 120), 0.3)).tint.lines == ()


def test_tint_is_not_looked_for_once_ocr_read_watermark_wording(cjk_font: Path) -> None:
    read = (TextBox("www.shopmark.com", 0.99, (170, 360, 700, 430), "print", ""),)
    assert _facts(_lid((40, 40, 42), (255, 60, 120), 0.3), read).tint.lines == ()
