"""Subject analysis: the product region, its box, centre offset, fill and edge contact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from imagecheck.analysis.background import WHITE_LEVEL, Background
from imagecheck.analysis.pixels import channel_min
from imagecheck.analysis.text import TextBox
from imagecheck.analysis.work import WorkMap
from imagecheck.findings import Box, union_box

#: Connected parts smaller than this share of the largest part are specks, not subject.
SPECK_SHARE = 0.02
#: A part at least this much inside the excluded boxes (overlays) is not subject.
EXCLUDED_SHARE = 0.6
#: Excluded boxes are widened by this share of their size on every side.
BOX_PAD = 0.2
#: The subject touches an edge when it covers more than this share of the edge line.
TOUCH_SHARE = 0.04
#: A text line belongs to a side panel when its centre lies within this share of the
#: width from one side ...
PANEL_SIDE = 0.4
#: ... and outside this share of the height at the top and bottom (headers, footers).
PANEL_MARGIN = 0.12
#: A panel has at least this many lines, this many of them overlays, spanning at least
#: this share of the height (fewer make a badge or a callout, not a panel).
PANEL_LINES = 3
PANEL_OVERLAYS = 2
PANEL_SPAN = 0.25
#: Added lines above or below the product, one of them across the middle of the image,
#: all within this share of the height from the edge, are a header or footer strip: the
#: product is centred vertically in the room they leave.
STRIP_DEPTH = 0.25


@dataclass(frozen=True)
class Subject:
    """The subject (product) region and its geometry: ``mask`` at working size, ``box``
    in original-image pixels; ``offset`` (of the box's centre from the image's, as shares
    of the width and height) and ``fill`` (the box's larger side as a share of the
    image's) are measured on the working copy."""

    mask: np.ndarray
    box: Box | None
    area_share: float
    offset: tuple[float, float]
    fill: float
    touches: tuple[str, ...]


def text_panel(lines: Sequence[TextBox], width: int, height: int) -> tuple[str, Box] | None:
    """A column of text set to one side of the image, beside the product (a promo layout):
    several lines, some of them added overlays, whose centres lie on that side of the
    image between its header and footer margins, and no such column on the other side.
    Returns the side (``left`` or ``right``) and the column's box."""
    found = []
    for side in ("left", "right"):
        column = []
        for line in lines:
            x0, y0, x1, y1 = line.box
            cx, cy = (x0 + x1) / 2 / width, (y0 + y1) / 2 / height
            beside = cx < PANEL_SIDE if side == "left" else cx > 1 - PANEL_SIDE
            # Panel copy runs across; upright text beside a product is a dimension callout.
            upright = y1 - y0 > x1 - x0
            if (line.kind != "artefact" and beside and not upright
                    and PANEL_MARGIN < cy < 1 - PANEL_MARGIN):
                column.append(line)
        overlays = sum(line.kind == "overlay" for line in column)
        if len(column) < PANEL_LINES or overlays < PANEL_OVERLAYS:
            continue
        box = union_box(line.box for line in column)
        if box[3] - box[1] >= PANEL_SPAN * height:
            found.append((side, box))
    return found[0] if len(found) == 1 else None


def analyse_subject(
    background: Background,
    work: np.ndarray,
    work_map: WorkMap,
    *,
    alpha: bool = False,
    exclude: Sequence[Box] = (),
    panel: tuple[str, Box] | None = None,
) -> Subject:
    """The subject of the working copy ``work`` (RGB; ``work_map`` maps it to the image)
    given its ``background``; ``alpha`` tells that the image had transparency.

    Everything that is not background is subject; specks and noise are dropped, and
    so are parts lying mostly inside the ``exclude`` boxes (original-image pixels).

    With a text ``panel`` (from :func:`text_panel`), the columns from the panel to its
    side of the image are not subject: the product is what stands beside the panel. The
    vertical offset is measured within the room left by added header and footer lines
    (``exclude`` boxes wholly above or below the subject)."""
    bg = background
    h, w = bg.mask.shape
    fg = ~bg.mask
    if bg.kind == "white" and not alpha:
        # A white product fades into a white background through soft shading that the
        # flood crosses; on a white background, anything clearly not white is subject.
        fg |= channel_min(work) < WHITE_LEVEL - 10
    if bg.inset:
        # A frame is not subject; the subject lives inside it.
        inner = np.zeros_like(fg)
        inner[bg.inset:-bg.inset, bg.inset:-bg.inset] = True
        fg &= inner
    k = work_map.scale
    if panel is not None:
        side, (px0, _, px1, _) = panel
        if side == "left":
            fg[:, : int(px1 / k) + 1] = False
        else:
            fg[:, int(px0 / k):] = False
    fg = fg.astype(np.uint8)
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if n <= 1:
        return Subject(np.zeros((h, w), bool), None, 0.0, (0.0, 0.0), 0.0, ())
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.zeros(n, bool)
    keep[1:] = areas >= max(4, SPECK_SHARE * areas.max())
    if exclude:
        covered = np.zeros((h, w), bool)
        for x0, y0, x1, y1 in exclude:
            # Boxes from OCR and template matching are loose: pad them a little.
            px, py = (x1 - x0) * BOX_PAD, (y1 - y0) * BOX_PAD
            covered[max(0, int((y0 - py) / k)) : int((y1 + py) / k) + 1,
                    max(0, int((x0 - px) / k)) : int((x1 + px) / k) + 1] = True
        inside = np.bincount(labels[covered], minlength=n)
        dropped = keep & (inside >= EXCLUDED_SHARE * stats[:, cv2.CC_STAT_AREA])
        if (keep & ~dropped).any():
            keep &= ~dropped
    mask = keep[labels]
    ys, xs = np.nonzero(mask)
    work_box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    x0, y0, x1, y1 = work_box
    top, bottom = _room(exclude, k, w, h, y0, y1)
    offset = ((x0 + x1) / 2 / w - 0.5, ((y0 + y1) / 2 - (top + bottom) / 2) / h)
    fill = max((x1 - x0) / w, (y1 - y0) / h)
    i = bg.inset
    edges = {
        "top": mask[i, :],
        "bottom": mask[h - 1 - i, :],
        "left": mask[:, i],
        "right": mask[:, w - 1 - i],
    }
    touches = tuple(name for name, line in edges.items() if line.mean() > TOUCH_SHARE)
    return Subject(
        mask=mask,
        box=work_map.to_original(work_box),
        area_share=float(mask.mean()),
        offset=(float(offset[0]), float(offset[1])),
        fill=float(fill),
        touches=touches,
    )


def _room(
    exclude: Sequence[Box], k: int, w: int, h: int, y0: int, y1: int
) -> tuple[float, float]:
    """The rows (working pixels) left to a subject spanning rows ``y0``-``y1`` by added
    header and footer strips among the ``exclude`` boxes (original pixels)."""
    boxes = [(bx0 / k, by0 / k, bx1 / k, by1 / k) for bx0, by0, bx1, by1 in exclude]
    above = [b for b in boxes if b[3] <= y0]
    below = [b for b in boxes if b[1] >= y1]
    top, bottom = 0.0, float(h)
    if any(b[0] < w / 2 < b[2] for b in above) and max(b[3] for b in above) <= STRIP_DEPTH * h:
        top = max(b[3] for b in above)
    if (any(b[0] < w / 2 < b[2] for b in below)
            and min(b[1] for b in below) >= (1 - STRIP_DEPTH) * h):
        bottom = min(b[1] for b in below)
    return top, bottom
