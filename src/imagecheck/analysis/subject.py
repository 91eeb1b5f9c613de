"""Subject analysis: the product region, its box, centre offset, fill and edge contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import cv2
import numpy as np

from imagecheck.analysis.background import WHITE_LEVEL
from imagecheck.analysis.facts import Subject
from imagecheck.analysis.pixels import channel_min
from imagecheck.findings import Box

if TYPE_CHECKING:
    from imagecheck.analysis.facts import Facts

#: Connected parts smaller than this share of the largest part are specks, not subject.
SPECK_SHARE = 0.02
#: A part at least this much inside the excluded boxes (overlays) is not subject.
EXCLUDED_SHARE = 0.6
#: Excluded boxes are widened by this share of their size on every side.
BOX_PAD = 0.2
#: The subject touches an edge when it covers more than this share of the edge line.
TOUCH_SHARE = 0.04


def analyse_subject(facts: Facts, exclude: Sequence[Box] = ()) -> Subject:
    """Everything that is not background is subject; specks and noise are dropped, and
    so are parts lying mostly inside the ``exclude`` boxes (original-image pixels)."""
    bg = facts.background
    h, w = bg.mask.shape
    fg = ~bg.mask
    if bg.kind == "white" and facts.work_alpha is None:
        # A white product fades into a white background through soft shading that the
        # flood crosses; on a white background, anything clearly not white is subject.
        fg |= channel_min(facts.work) < WHITE_LEVEL - 10
    if bg.inset:
        # A frame is not subject; the subject lives inside it.
        inner = np.zeros_like(fg)
        inner[bg.inset:-bg.inset, bg.inset:-bg.inset] = True
        fg &= inner
    fg = fg.astype(np.uint8)
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if n <= 1:
        return Subject(np.zeros((h, w), bool), None, None, 0.0, (0.0, 0.0), 0.0, ())
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.zeros(n, bool)
    keep[1:] = areas >= max(4, SPECK_SHARE * areas.max())
    if exclude:
        covered = np.zeros((h, w), bool)
        k = facts.scale
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
    offset = ((x0 + x1) / 2 / w - 0.5, (y0 + y1) / 2 / h - 0.5)
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
        box=facts.to_original(work_box),
        work_box=work_box,
        area_share=float(mask.mean()),
        offset=(float(offset[0]), float(offset[1])),
        fill=float(fill),
        touches=touches,
    )
