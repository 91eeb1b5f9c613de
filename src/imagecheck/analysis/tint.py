"""Tinted marks: a coloured layer of lettering blended over a neutral surface.

A semi-transparent coloured watermark (a pink ``JD.COM 京东`` across a black laptop) shifts
the colour of whatever lies under it by about the same hue, while the product's own grey
or white surface around it has none. OCR of the photo often misses such faint strokes;
on a *chroma-difference* copy (each pixel's a/b colour minus that of its neighbourhood)
they stand out as dark lettering on white.

The pixel evidence is looked for on a copy with a long side of :data:`TINT_SIDE` pixels:
glyph-sized parts of strong chroma difference, grouped into a line near the image centre,
on a neutral ground, whose colour shifts all point one way (one tint). It is looked for
only where OCR of the whole image read no watermark wording; each such line's crop of the
chroma-difference copy is read by OCR (a small crop: the only OCR cost added).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from imagecheck.analysis.marks import watermark_kinds
from imagecheck.analysis.ocr import OcrBackend
from imagecheck.analysis.text import TextBox
from imagecheck.findings import Box

#: Long side, in pixels, of the copy tinted strokes are looked for on.
TINT_SIDE = 200
#: Side of the neighbourhood a pixel's colour is compared with (pixels of that copy).
TINT_WINDOW = 15
#: Chroma difference (Lab a/b units) from which a pixel is a tinted stroke.
STROKE_CHROMA = 8.0
#: A line of strokes has at least this many glyph-sized parts ...
MIN_PARTS = 4
#: ... spans at least this share of the width and three times its height ...
MIN_LINE_WIDTH = 0.15
#: ... and its centre lies within this share of each side from the image centre.
CENTRE_ZONE = 0.3
#: The ground round the strokes is neutral: median chroma at most this.
MAX_GROUND_CHROMA = 6.0
#: The strokes' colour shifts agree in hue: mean resultant length at least this.
MIN_HUE_AGREEMENT = 0.9


@dataclass(frozen=True)
class TintLine:
    """A line of tinted strokes: ``box`` in original pixels, how many glyph parts it has,
    the median chroma of its ground, how well the strokes agree in hue (0-1), and the
    text OCR read on its chroma-difference crop."""

    box: Box
    parts: int
    ground_chroma: float
    hue_agreement: float
    read: tuple[TextBox, ...]


@dataclass(frozen=True)
class TintFacts:
    """The tinted stroke lines of one image."""

    lines: tuple[TintLine, ...] = ()


def chroma_difference(lab: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pixel's a/b colour (``lab``: OpenCV 8-bit Lab) minus the median of its
    ``window``-wide neighbourhood: the difference's length, and its a and b parts."""
    da, db = (lab[..., i].astype(np.float32) - _local_median(lab[..., i], window) for i in (1, 2))
    return np.hypot(da, db), da, db


def _local_median(channel: np.ndarray, window: int) -> np.ndarray:
    """The median of each pixel's ``window``-wide neighbourhood, taken on a copy shrunk
    so the window is 5 pixels wide (a wide median at full size is slow)."""
    h, w = channel.shape
    f = max(1, round(window / 5))
    small = cv2.resize(channel, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.medianBlur(small, 5), (w, h), interpolation=cv2.INTER_LINEAR)


def _stroke_lines(diff: np.ndarray) -> list[tuple[int, int, int, int, int, np.ndarray]]:
    """Lines of glyph-sized stroke parts near the centre: (x, y, w, h, parts, mask)."""
    h, w = diff.shape
    strokes = (diff > STROKE_CHROMA).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    sizes = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_AREA]
    glyph = (sizes[0] >= 2) & (sizes[0] <= 0.15 * h) & (sizes[1] <= 0.15 * w) & (sizes[2] >= 3)
    glyph[0] = False
    parts = glyph[labels].astype(np.uint8)
    joined = cv2.morphologyEx(parts, cv2.MORPH_CLOSE, np.ones((3, 9), np.uint8))
    m, groups, boxes, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, m):
        x, y, bw, bh, _ = boxes[i]
        off = max(abs((x + bw / 2) / w - 0.5), abs((y + bh / 2) / h - 0.5))
        if not (off < CENTRE_ZONE and bw >= MIN_LINE_WIDTH * w and bw >= 3 * bh):
            continue
        inside = (groups == i) & (parts > 0)
        count = len(np.unique(labels[inside]))
        if count >= MIN_PARTS:
            out.append((int(x), int(y), int(bw), int(bh), count, inside))
    return out


def analyse_tint(
    rgb: np.ndarray, work: np.ndarray, ocr: OcrBackend, lines: Sequence[TextBox]
) -> TintFacts:
    """Find lines of tinted strokes on a neutral ground near the centre of the image
    ``rgb`` (``work``: its working copy) and read each with ``ocr`` on a chroma-difference
    crop; only where its reading of the whole image (``lines``) found no watermark
    wording (else there is nothing to add)."""
    if any(watermark_kinds(b.text) for b in lines):
        return TintFacts()
    height, width = rgb.shape[:2]
    k = TINT_SIDE / max(work.shape[:2])
    small = cv2.resize(work, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else work
    k = small.shape[1] / width
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
    diff, da, db = chroma_difference(lab, TINT_WINDOW)
    chroma = np.hypot(lab[..., 1].astype(np.float32) - 128, lab[..., 2].astype(np.float32) - 128)
    found = []
    for x, y, bw, bh, count, inside in _stroke_lines(diff):
        rows, cols = slice(y, y + bh), slice(x, x + bw)
        ground = chroma[rows, cols][~(diff[rows, cols] > STROKE_CHROMA)]
        ground_chroma = float(np.median(ground)) if ground.size else float("inf")
        angle = np.arctan2(db[inside], da[inside])
        agreement = float(np.hypot(np.cos(angle).mean(), np.sin(angle).mean()))
        if ground_chroma > MAX_GROUND_CHROMA or agreement < MIN_HUE_AGREEMENT:
            continue
        pad = bh
        box = (
            max(0, int((x - pad) / k)),
            max(0, int((y - pad) / k)),
            min(width, int(np.ceil((x + bw + pad) / k))),
            min(height, int(np.ceil((y + bh + pad) / k))),
        )
        read = _read(rgb, box, ocr)
        found.append(TintLine(box, count, ground_chroma, agreement, read))
    return TintFacts(tuple(found))


def _read(rgb: np.ndarray, box: Box, ocr: OcrBackend) -> tuple[TextBox, ...]:
    """OCR of ``box``'s chroma-difference copy (dark strokes on white), in image pixels."""
    x0, y0, x1, y1 = box
    crop = rgb[y0:y1, x0:x1]
    window = max(5, min(crop.shape[:2]) // 2)
    diff = chroma_difference(cv2.cvtColor(crop, cv2.COLOR_RGB2LAB), window)[0]
    scale = max(STROKE_CHROMA, float(np.percentile(diff, 99)))
    grey = np.clip(255 - diff * (255 / scale), 0, 255).astype(np.uint8)
    lines = ocr.read(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))
    return tuple(
        TextBox(
            line.text, line.confidence,
            (x0 + line.box[0], y0 + line.box[1], x0 + line.box[2], y0 + line.box[3]),
            "overlay", "read on the chroma-difference copy of a tinted stroke line",
        )
        for line in lines
    )
