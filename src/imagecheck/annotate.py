"""Findings drawn on copies of images: for ``imagecheck annotate`` and the HTML report.

What is drawn, in the finding's severity colour (error red, warning orange, info blue):

- a box for every finding with one (text, badges, watermarks, the subject): a dashed line
  in the colour on white, edged in black on both sides, so it stands out on any image and
  cannot be taken for a border of the image's own (a red frame stays a red frame: the
  drawn box is black, white and red);
- the rule codes on a label beside each box, placed inside the image where it overlaps no
  other label (above the box, below it, inside it, or beside it, whichever is free first);
- for centring findings, the image centre as a cross and a line to the subject's centre;
- for border findings, the edge bands hatched in diagonal stripes;
- findings about the whole image (a box covering it, or none) on a label in a corner.

:func:`draw_findings` with ``legend=True`` (``imagecheck annotate``'s copies) adds a panel
below the image: what the colours and marks mean and one line per drawn finding. The HTML
report has one legend for the page instead. Originals are never written: the image is
decoded (upright, as checked) and a new file is saved.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import msg, term, translate
from imagecheck.listing import real_path
from imagecheck.loading import InputError, load_path, load_preview
from imagecheck.report import atomic_write_bytes
from imagecheck.report.model import ImageResult, Report

COLOURS: dict[Severity, tuple[int, int, int]] = {
    Severity.ERROR: (220, 30, 40),
    Severity.WARNING: (245, 140, 0),
    Severity.INFO: (30, 110, 230),
}
#: A box covering at least this share of the image is about the whole image.
WHOLE_IMAGE = 0.97
BLACK = (0, 0, 0)
WHITE = (255, 255, 255)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Rect = tuple[int, int, int, int]


#: The font labels and legends are drawn in: a subset of Noto Sans CJK SC shipped with
#: the package (every character of the messages and the common Chinese characters OCR
#: reads; ``fonts/README.md``).
FONT = "fonts/imagecheck-cjk.otf"


@lru_cache(maxsize=16)
def _font(size: int) -> Font:
    """The package's CJK font at ``size`` pixels (at least 10)."""
    with resources.as_file(resources.files("imagecheck") / FONT) as path:
        return ImageFont.truetype(str(path), max(10, size))


def _is_whole(box: Sequence[int], width: int, height: int) -> bool:
    x0, y0, x1, y1 = box
    return (x1 - x0) * (y1 - y0) >= WHOLE_IMAGE * width * height


def draw_findings(rgb: np.ndarray, findings: Iterable[Finding], scale: float = 1.0,
                  legend: bool = False, lang: str = "en") -> Image.Image:
    """A new image: ``rgb`` (the image as checked, scaled by ``scale``) with
    ``findings`` (boxes in original pixels) drawn on it; with ``legend``, a panel below
    it explains the drawing and lists the findings. Words are in ``lang``."""
    findings = list(findings)
    pixels = np.array(rgb[..., :3], dtype=np.uint8, copy=True)
    h, w = pixels.shape[:2]
    line = max(2, round(min(w, h) / 200))
    whole: list[Finding] = []
    boxed: dict[Rect, list[Finding]] = {}
    hatched: list[tuple[Finding, Rect]] = []
    for f in findings:
        bands = f.details.get("bands") if f.details else None
        rects: list[Rect] = []
        if isinstance(bands, list | tuple) and bands:
            rects = _hatch_bands(pixels, bands, scale, COLOURS[f.severity], line)
        box = tuple(round(v * scale) for v in f.box) if f.box else None
        if rects and (box is None or _is_whole(box, w, h)):
            hatched.append((f, rects[0]))  # the hatching marks it; its label goes by it
        elif box is None or _is_whole(box, w, h):
            whole.append(f)
        else:
            boxed.setdefault(box, []).append(f)  # type: ignore[arg-type]
    img = Image.fromarray(pixels)
    draw = ImageDraw.Draw(img, "RGBA")
    font = _font(round(min(w, h) / 28))
    groups = sorted(boxed.items(), key=lambda kv: max(f.severity for f in kv[1]))
    for box, group in groups:
        _outline(draw, box, COLOURS[max(f.severity for f in group)], line)
        for f in group:
            if f.details and "offset_x" in f.details:
                _draw_offset(draw, box, (w, h), COLOURS[f.severity], line)
    placer = _Placer(w, h, [box for box, _ in groups])
    if whole:
        text = translate(msg("whole image: {codes}",
                             codes=" ".join(dict.fromkeys(f.code for f in whole))), lang)
        placer.place(draw, text, COLOURS[max(f.severity for f in whole)], font, None)
    for f, band in hatched:
        placer.place(draw, f.code, COLOURS[f.severity], font, band)
    for box, group in reversed(groups):  # the most severe first get the best places
        text = " ".join(sorted({f.code for f in group}))
        placer.place(draw, text, COLOURS[max(f.severity for f in group)], font, box)
    if legend:
        return _with_legend(img, findings, lang)
    return img


def _outline(draw: ImageDraw.ImageDraw, box: Rect, colour: tuple[int, int, int],
             line: int) -> None:
    """A box edged black | dashed colour on white | black, ``line + 2`` pixels wide,
    drawn inwards from the box's edge."""
    x0, y0, x1, y1 = box
    x1, y1 = max(x0 + 1, x1 - 1), max(y0 + 1, y1 - 1)
    draw.rectangle((x0, y0, x1, y1), outline=BLACK, width=line + 2)
    draw.rectangle((x0 + 1, y0 + 1, x1 - 1, y1 - 1), outline=WHITE, width=line)
    dash, gap = 3 * line, 2 * line
    a, b = x0 + 1, x1 - 1  # the band's outer edge
    for x in range(a, b + 1, dash + gap):
        e = min(b, x + dash - 1)
        draw.rectangle((x, y0 + 1, e, y0 + line), fill=colour)
        draw.rectangle((x, y1 - line, e, y1 - 1), fill=colour)
    for y in range(y0 + 1, y1, dash + gap):
        e = min(y1 - 1, y + dash - 1)
        draw.rectangle((x0 + 1, y, x0 + line, e), fill=colour)
        draw.rectangle((x1 - line, y, x1 - 1, e), fill=colour)


class _Placer:
    """Puts labels inside the image where they overlap no label placed before."""

    def __init__(self, width: int, height: int, boxes: list[Rect]) -> None:
        self.size = (width, height)
        self.boxes = boxes
        self.placed: list[Rect] = []

    def _candidates(self, lw: int, lh: int, box: Rect | None) -> list[tuple[int, int]]:
        w, h = self.size
        if box is None:  # a whole-image label: the corners
            return [(0, h - lh), (0, 0), (w - lw, h - lh), (w - lw, 0)]
        x0, y0, x1, y1 = box
        spots = [(x0, y0 - lh), (x0, y1), (x0, y0), (x1 - lw, y0 - lh), (x1 - lw, y1),
                 (x0, y1 - lh), (x1 - lw, y0), (x1 - lw, y1 - lh), (x1, y0), (x0 - lw, y0)]
        for k in range(1, 6):  # stacked further out above and below, then down inside
            spots += [(x0, y0 - lh * (k + 1)), (x0, y1 + lh * k), (x0, y0 + lh * k)]
        return spots

    def place(self, draw: ImageDraw.ImageDraw, text: str, colour: tuple[int, int, int],
              font: Font, box: Rect | None) -> None:
        w, h = self.size
        left, top, right, bottom = (round(v) for v in draw.textbbox((0, 0), text, font=font))
        lw, lh = min(w, right - left + 8), min(h, bottom - top + 6)
        best: tuple[float, int, int] | None = None
        for rank, (x, y) in enumerate(self._candidates(lw, lh, box)):
            x, y = min(max(0, x), w - lw), min(max(0, y), h - lh)
            rect = (x, y, x + lw, y + lh)
            clash = sum(_overlap(rect, p) for p in self.placed)
            covers = sum(_overlap(rect, b) for b in self.boxes if b != box)
            score = clash * 1000 + covers + rank
            if best is None or score < best[0]:
                best = (score, x, y)
            if clash == 0 and covers == 0:
                break
        assert best is not None
        _, x, y = best
        self.placed.append((x, y, x + lw, y + lh))
        if box is not None:  # a label set apart from its box points at it
            lx, ly = min(max(box[0], x), x + lw), min(max(box[1], y), y + lh)
            bx, by = min(max(lx, box[0]), box[2]), min(max(ly, box[1]), box[3])
            if abs(lx - bx) + abs(ly - by) > 3:
                draw.line((lx, ly, bx, by), fill=BLACK, width=3)
                draw.line((lx, ly, bx, by), fill=colour, width=1)
        draw.rectangle((x, y, x + lw - 1, y + lh - 1), fill=colour, outline=BLACK)
        draw.text((x + 4, y + 3 - top), text, fill=WHITE, font=font)


def _overlap(a: Rect, b: Rect) -> int:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0


def _draw_offset(draw: ImageDraw.ImageDraw, box: Sequence[int], size: tuple[int, int],
                 colour: tuple[int, int, int], line: int) -> None:
    """The image centre as a cross and a line from it to the subject's centre, each
    in the colour edged black then white, to stand out on a subject of that colour."""
    w, h = size
    cx, cy = w / 2, h / 2
    arm = min(w, h) / 30
    sx, sy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    r = line * 2
    for fill, width, grow in ((WHITE, line + 4, 2), (BLACK, line + 2, 1), (colour, line, 0)):
        draw.line((cx - arm, cy, cx + arm, cy), fill=fill, width=width)
        draw.line((cx, cy - arm, cx, cy + arm), fill=fill, width=width)
        draw.line((cx, cy, sx, sy), fill=fill, width=width)
        draw.ellipse((sx - r - grow, sy - r - grow, sx + r + grow, sy + r + grow), fill=fill)


def _hatch_bands(pixels: np.ndarray, bands: Sequence[Sequence[object]], scale: float,
                 colour: tuple[int, int, int], line: int) -> list[Rect]:
    """Each ``(edge, offset, thickness)`` band hatched in diagonal stripes of the
    colour and white (a plain band of the image's own shows through faintly), edged in
    black on its inner side; returns the bands."""
    h, w = pixels.shape[:2]
    period = 4 * line
    drawn: list[Rect] = []
    for band in bands:
        edge, offset, thickness = str(band[0]), float(band[1]), float(band[2])  # type: ignore[arg-type]
        a = round(offset * scale)
        b = max(a + 1, round((offset + thickness) * scale))
        rect = {
            "top": (0, a, w, b),
            "bottom": (0, h - b, w, h - a),
            "left": (a, 0, b, h),
            "right": (w - b, 0, w - a, h),
        }.get(edge)
        if rect is None:
            continue
        x0, y0, x1, y1 = (max(0, rect[0]), max(0, rect[1]), min(w, rect[2]), min(h, rect[3]))
        if x1 <= x0 or y1 <= y0:
            continue
        drawn.append((x0, y0, x1, y1))
        yy, xx = np.mgrid[y0:y1, x0:x1]
        stripe = (((xx + yy) % period) < period / 2)[..., None]
        ink = np.where(stripe, np.array(colour, np.float32), np.float32(255))
        region = pixels[y0:y1, x0:x1].astype(np.float32)
        pixels[y0:y1, x0:x1] = (region * 0.2 + ink * 0.8).astype(np.uint8)
        inner = {"top": (slice(min(h - 1, y1), min(h, y1 + 1)), slice(x0, x1)),
                 "bottom": (slice(max(0, y0 - 1), y0), slice(x0, x1)),
                 "left": (slice(y0, y1), slice(min(w - 1, x1), min(w, x1 + 1))),
                 "right": (slice(y0, y1), slice(max(0, x0 - 1), x0))}[edge]
        pixels[inner] = BLACK
    return drawn


def _with_legend(img: Image.Image, findings: Sequence[Finding], lang: str) -> Image.Image:
    """``img`` with a panel below it: the key to colours and marks, then one line per
    finding (code, severity, message), cut to the image's width."""
    w, h = img.size
    font = _font(max(12, round(w / 60)))
    probe = ImageDraw.Draw(img)
    _, top, _, bottom = (round(v) for v in probe.textbbox((0, 0), "Ag", font=font))
    row = bottom - top + 8
    pad = row // 2
    lines = [(f"{f.code} {translate(term(str(f.severity)), lang)}: "
              + translate(f.message, lang), COLOURS[f.severity]) for f in findings]
    panel = Image.new("RGB", (w, h + pad * 2 + row * (1 + len(lines))), WHITE)
    panel.paste(img, (0, 0))
    draw = ImageDraw.Draw(panel)
    y = h + pad
    x = pad
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        draw.rectangle((x, y + 2, x + row - 6, y + row - 6), fill=COLOURS[sev], outline=BLACK)
        x += row
        word = translate(term(str(sev)), lang)
        draw.text((x, y - top + 1), word, fill=BLACK, font=font)
        x += round(draw.textlength(word, font=font)) + row
    key = msg("dashed box: where; hatched edge: border; + centre, line to subject")
    draw.text((x, y - top + 1), translate(key, lang), fill=(90, 90, 90), font=font)
    for text, colour in lines:
        y += row
        while len(text) > 4 and draw.textlength(text, font=font) > w - 2 * pad - row:
            text = text[: max(4, int(len(text) * 0.9)) - 1] + "…"
        draw.rectangle((pad, y + 2, pad + row - 6, y + row - 6), fill=colour, outline=BLACK)
        draw.text((pad + row, y - top + 1), text, fill=BLACK, font=font)
    return panel


def annotated(result: ImageResult, max_side: int | None = None,
              lang: str = "en") -> Image.Image | None:
    """The image of ``result`` with its findings drawn (words in ``lang``), its long side
    at most ``max_side``; ``None`` if the file could not be checked or cannot be decoded
    now."""
    if result.width is None or result.height is None:
        return None
    if max_side is None:
        try:
            return draw_findings(load_path(result.path).rgb, result.findings,
                                 legend=True, lang=lang)
        except InputError:
            return None
    try:
        small = load_preview(result.path, max_side)
    except InputError:
        return None
    return draw_findings(small, result.findings, small.shape[1] / result.width, lang=lang)


class OutputError(ValueError):
    """An output path that would overwrite an input."""


def annotate_report(report: Report, folder: Path, only_findings: bool = True) -> list[Path]:
    """Write a copy of each image of ``report`` (with findings, unless ``only_findings``
    is false) with its findings drawn, under ``folder`` mirroring the inputs' paths
    relative to their common folder, named ``<original name>.annotated.png``. Returns the
    files written.

    Raises :class:`OutputError` before writing anything if a copy would land on an input
    (an input named ``x.annotated.png`` with ``folder`` the input folder); copies are
    written through a temporary file and renamed, so a symbolic link planted where a copy
    goes is replaced, never followed onto what it points to."""
    chosen = [r for r in report.images if r.findings or not only_findings]
    if not chosen:
        return []
    sources = [real_path(r.path) for r in chosen]
    root = Path(os.path.commonpath([str(p.parent) for p in sources]))
    out_root = real_path(folder)
    targets = []
    for source in sources:
        target = out_root / source.relative_to(root)
        targets.append(target.with_name(target.name + ".annotated.png"))
    refuse_inputs(targets, report)
    written = []
    for result, target in zip(chosen, targets, strict=True):
        img = annotated(result, lang=report.lang)
        if img is None:
            continue
        buf = io.BytesIO()
        img.save(buf, "PNG")
        atomic_write_bytes(target, buf.getvalue())
        written.append(target)
    return written


def refuse_inputs(outputs: Iterable[Path], report: Report) -> None:
    """Raise :class:`OutputError` if any of ``outputs`` is (or links to) an input file."""
    inputs = {real_path(r.path) for r in report.images}
    for out in outputs:
        if real_path(out) in inputs:
            raise OutputError(msg("refusing to write {file}: it is one of the input images",
                                  file=str(out)))

