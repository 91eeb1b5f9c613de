"""Findings drawn on copies of images: for ``imagecheck annotate`` and the HTML report.

What is drawn, in the finding's severity colour (error red, warning orange, info blue):
a box with the rule code for every finding with a box (text, badges, watermarks, the
subject); for centring findings, the image centre and an arrow to the subject's centre;
for border findings, the edge bands hatched. Findings about the whole image (a box
covering it, or none) are listed in a strip along the bottom. Originals are never
written: the image is decoded (upright, as checked) and a new file is saved.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from imagecheck.findings import Finding, Severity
from imagecheck.loading import InputError, load_path
from imagecheck.report import atomic_write_bytes
from imagecheck.report.model import ImageResult, Report

COLOURS: dict[Severity, tuple[int, int, int]] = {
    Severity.ERROR: (220, 30, 40),
    Severity.WARNING: (245, 140, 0),
    Severity.INFO: (30, 110, 230),
}
#: A box covering at least this share of the image is about the whole image.
WHOLE_IMAGE = 0.97


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(10, size))


def _is_whole(box: Sequence[int], width: int, height: int) -> bool:
    x0, y0, x1, y1 = box
    return (x1 - x0) * (y1 - y0) >= WHOLE_IMAGE * width * height


def draw_findings(rgb: np.ndarray, findings: Iterable[Finding], scale: float = 1.0) -> Image.Image:
    """A new image: ``rgb`` (the image as checked, scaled by ``scale``) with
    ``findings`` (boxes in original pixels) drawn on it."""
    img = Image.fromarray(rgb).convert("RGB")
    w, h = img.size
    draw = ImageDraw.Draw(img, "RGBA")
    line = max(2, round(min(w, h) / 200))
    font = _font(round(min(w, h) / 28))
    whole: list[Finding] = []
    boxed: dict[tuple[int, ...], list[Finding]] = {}
    for f in findings:
        bands = f.details.get("bands") if f.details else None
        if isinstance(bands, list | tuple) and bands:
            _draw_bands(draw, bands, scale, (w, h), COLOURS[f.severity])
        box = tuple(round(v * scale) for v in f.box) if f.box else None
        if box is None or (_is_whole(box, w, h) and not bands):
            whole.append(f)
        else:
            boxed.setdefault(box, []).append(f)
    for box, group in sorted(boxed.items(), key=lambda kv: max(f.severity for f in kv[1])):
        colour = COLOURS[max(f.severity for f in group)]
        x0, y0, x1, y1 = box
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), outline=colour, width=line)
        _label(draw, (x0, y0), " ".join(sorted({f.code for f in group})), colour, font)
        for f in group:
            if f.details and "offset_x" in f.details:
                _draw_offset(draw, box, (w, h), COLOURS[f.severity], line)
    if whole:
        _strip(draw, whole, (w, h), font)
    return img


def _label(draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str,
           colour: tuple[int, int, int], font: ImageFont.FreeTypeFont | ImageFont.ImageFont
           ) -> None:
    left, top, right, bottom = draw.textbbox(at, text, font=font)
    y = at[1] - (bottom - top) - 4 if at[1] - (bottom - top) - 4 >= 0 else at[1]
    draw.rectangle((at[0], y, at[0] + right - left + 6, y + bottom - top + 4), fill=colour)
    draw.text((at[0] + 3, y + 2 - (top - at[1])), text, fill=(255, 255, 255), font=font)


def _draw_offset(draw: ImageDraw.ImageDraw, box: Sequence[int], size: tuple[int, int],
                 colour: tuple[int, int, int], line: int) -> None:
    """The image centre as a cross and a line from it to the subject's centre."""
    w, h = size
    cx, cy = w / 2, h / 2
    arm = min(w, h) / 30
    draw.line((cx - arm, cy, cx + arm, cy), fill=colour, width=line)
    draw.line((cx, cy - arm, cx, cy + arm), fill=colour, width=line)
    sx, sy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    draw.line((cx, cy, sx, sy), fill=colour, width=line)
    r = line * 2
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=colour)


def _draw_bands(draw: ImageDraw.ImageDraw, bands: Sequence[Sequence[object]], scale: float,
                size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    """Each ``(edge, offset, thickness)`` band shaded, so the border reads at a glance."""
    w, h = size
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
        if rect is not None:
            draw.rectangle((rect[0], rect[1], rect[2] - 1, rect[3] - 1), fill=(*colour, 110),
                           outline=colour)


def _strip(draw: ImageDraw.ImageDraw, findings: Sequence[Finding], size: tuple[int, int],
           font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> None:
    """Codes of whole-image findings in a strip along the bottom edge."""
    w, h = size
    _, top, _, bottom = (round(v) for v in draw.textbbox((0, 0), "A", font=font))
    tall = bottom - top + 8
    draw.rectangle((0, h - tall, w, h), fill=(0, 0, 0, 150))
    x = 4.0
    for f in findings:
        text = f.code
        left, _, right, _ = draw.textbbox((0, 0), text, font=font)
        draw.rectangle((x, h - tall + 2, x + right - left + 6, h - 2), fill=COLOURS[f.severity])
        draw.text((x + 3, h - tall + 4 - top), text, fill=(255, 255, 255), font=font)
        x += right - left + 12


def annotated(result: ImageResult, max_side: int | None = None) -> Image.Image | None:
    """The image of ``result`` with its findings drawn, its long side at most
    ``max_side``; ``None`` if the file could not be checked or cannot be decoded now."""
    if result.width is None or result.height is None:
        return None
    if max_side is None:
        try:
            return draw_findings(load_path(result.path).rgb, result.findings)
        except InputError:
            return None
    try:
        with Image.open(result.path) as img:
            img.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale
            upright = ImageOps.exif_transpose(img)
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                rgba = upright.convert("RGBA")
                upright = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                upright.alpha_composite(rgba)
            small = upright.convert("RGB")
            small.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return draw_findings(np.asarray(small), result.findings, small.width / result.width)


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
    sources = [Path(r.path).resolve() for r in chosen]
    root = Path(os.path.commonpath([str(p.parent) for p in sources]))
    out_root = folder.resolve()
    targets = []
    for source in sources:
        target = out_root / source.relative_to(root)
        targets.append(target.with_name(target.name + ".annotated.png"))
    refuse_inputs(targets, report)
    written = []
    for result, target in zip(chosen, targets, strict=True):
        img = annotated(result)
        if img is None:
            continue
        buf = io.BytesIO()
        img.save(buf, "PNG")
        atomic_write_bytes(target, buf.getvalue())
        written.append(target)
    return written


def refuse_inputs(outputs: Iterable[Path], report: Report) -> None:
    """Raise :class:`OutputError` if any of ``outputs`` is (or links to) an input file."""
    inputs = {Path(r.path).resolve() for r in report.images}
    for out in outputs:
        if out.resolve() in inputs:
            raise OutputError(f"refusing to write {out}: it is one of the input images")

