"""Removing added overlays (badges, strips, text, logo marks) that sit on a plain
background, by filling them with the ground round them; overlays over the product are
left alone and reported.

Whether an overlay sits on the background is judged on the original's analysis (working
size): the ring round its box must be background, and no part of the subject that
reaches out of the box (the product) may lie under it.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.pixels import luma
from imagecheck.findings import Box
from imagecheck.i18n import msg

#: The ring judged round an overlay box is this share of the box's size deep (at least
#: ``RING_MIN`` working pixels).
RING = 0.15
RING_MIN = 3
#: The ring must be at least this share background.
RING_BACKGROUND = 0.85
#: A subject part with more than this share of itself outside the (padded) box is the
#: product (or a part of the scene), not the overlay.
OUTSIDE = 0.1
#: Overlay boxes are widened by this many working pixels when filled (anti-aliased rims
#: and drop shadows).
GROW = 1
#: A subject part that comes within ``GROUP_GAP`` box heights of an overlay's box belongs
#: to the overlay where it lies wholly within ``GROUP_REACH`` box heights of the box and
#: is at most ``GROUP_AREA`` times the box's area; and only while the parts joined come
#: to at most ``GROUP_SUBJECT`` of the whole subject (so that the product is never taken
#: for a part of a mark, even where the product is a logo).
GROUP_GAP = 0.5
GROUP_REACH = 1.5
GROUP_AREA = 2.0
GROUP_SUBJECT = 0.1
#: Overlays that leave no more than this share of the subject outside them are what the
#: image shows, not additions to it: they are not removed.
LEFT_OVER = 0.15
#: The ring's luma spread (5th to 95th percentile) up to which the fill is flat; up to
#: ``INPAINT_SPREAD`` the hole is inpainted where it is at most ``INPAINT_SHARE`` of the
#: image; past either, it is left.
FLAT_SPREAD = 6
INPAINT_SPREAD = 30
INPAINT_SHARE = 0.02


def extents(facts: Facts, boxes: Sequence[Box]) -> list[Box]:
    """Each of ``boxes`` (original pixels) widened over the parts of the subject that come
    within :data:`GROUP_GAP` of it and lie wholly near it (:data:`GROUP_REACH`,
    :data:`GROUP_AREA`): the rest of the mark, such as a logo's symbol beside its word or
    a badge's shape round its text. Parts that reach further are the product (or the
    scene) and are left out. The subject's parts are found once for all the boxes."""
    if not boxes:
        return []
    fg = (~facts.background.mask).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    most = GROUP_SUBJECT * fg.sum()
    return [_extent(facts, box, labels, stats, most) for box in boxes]


def _extent(facts: Facts, box: Box, labels: np.ndarray, stats: np.ndarray,
            most: float) -> Box:
    """``box`` widened over the subject's parts (``labels``, ``stats``) near it, as long
    as they come to at most ``most`` pixels."""
    k = facts.scale
    h, w = labels.shape
    x0, y0, x1, y1 = box
    ix0, iy0 = max(0, x0 // k - GROW), max(0, y0 // k - GROW)
    ix1, iy1 = min(w, -(-x1 // k) + GROW), min(h, -(-y1 // k) + GROW)
    if ix0 >= ix1 or iy0 >= iy1:
        return box
    reach = GROUP_REACH * max(iy1 - iy0, 1)
    gap = round(GROUP_GAP * max(iy1 - iy0, 1))
    gx0, gy0, gx1, gy1 = ix0, iy0, ix1, iy1
    near = labels[max(0, iy0 - gap): iy1 + gap, max(0, ix0 - gap): ix1 + gap]
    grouped = 0
    for i in np.unique(near):
        left, top, cw, ch, area = (int(v) for v in stats[i])
        if (i == 0 or area > GROUP_AREA * (ix1 - ix0) * (iy1 - iy0)
                or left < ix0 - reach or left + cw > ix1 + reach
                or top < iy0 - reach or top + ch > iy1 + reach):
            continue
        grouped += area
        gx0, gy0 = min(gx0, left), min(gy0, top)
        gx1, gy1 = max(gx1, left + cw), max(gy1, top + ch)
    if (gx0, gy0, gx1, gy1) == (ix0, iy0, ix1, iy1) or grouped > most:
        return box
    return (min(x0, gx0 * k), min(y0, gy0 * k), max(x1, min(facts.width, gx1 * k)),
            max(y1, min(facts.height, gy1 * k)))


def judge(facts: Facts, box: Box, others: Sequence[Box] = ()) -> str | None:
    """Why the overlay in ``box`` (original pixels) cannot be removed, or ``None`` when
    it sits on plain background (where the ``others``, overlays to be removed as well,
    count as background)."""
    bg = facts.background
    if bg.kind == "scene":
        return msg("the image has no plain background to fill the overlay from")
    inner, outer = _boxes(facts, box, GROW)
    x0, y0, x1, y1 = outer
    mask = bg.mask[y0:y1, x0:x1].copy()
    k = facts.scale
    for ox0, oy0, ox1, oy1 in others:
        mask[max(0, oy0 // k - y0): max(0, -(-oy1 // k) - y0),
             max(0, ox0 // k - x0): max(0, -(-ox1 // k) - x0)] = True
    ring = np.ones(mask.shape, bool)
    ix0, iy0, ix1, iy1 = inner
    ring[iy0 - y0: iy1 - y0, ix0 - x0: ix1 - x0] = False
    if not ring.any() or mask[ring].mean() < RING_BACKGROUND:
        return msg("it sits over the product or a busy part of the photo: needs a new photo")
    under = _product_under(facts, outer)[iy0 - y0: iy1 - y0, ix0 - x0: ix1 - x0]
    if under.mean() > OUTSIDE:
        return msg("it overlaps the product: needs a new photo")
    return None


def all_of_subject(facts: Facts, boxes: Sequence[Box]) -> bool:
    """Whether ``boxes`` (original pixels) hold all but :data:`LEFT_OVER` of the subject:
    the text or mark is what the image shows (a wordmark, a word cloud, a text card), and
    filling it would leave an empty picture."""
    subject = facts.subject.mask
    left = subject.copy()
    for box in boxes:
        (x0, y0, x1, y1), _ = _boxes(facts, box, GROW)
        left[y0:y1, x0:x1] = False
    return bool(left.sum() <= LEFT_OVER * subject.sum())


def fill(rgb: np.ndarray, facts: Facts, box: Box,
         shift: tuple[int, int]) -> dict[str, object] | str:
    """Fill the overlay in ``box`` (original pixels of ``facts``' image) in ``rgb`` (the
    image after a crop by ``shift``) with the background round it, sparing the product;
    returns the fill's parameters, or why it was not filled (a ground too busy for its
    size: inpainting a large hole from it would smear)."""
    k = facts.scale
    inner, outer = _boxes(facts, box, GROW)
    x0, y0, x1, y1 = outer
    spare = cv2.resize(_product_under(facts, outer).astype(np.uint8),
                       ((x1 - x0) * k, (y1 - y0) * k), interpolation=cv2.INTER_NEAREST)
    sx, sy = shift
    ox0, oy0 = x0 * k - sx, y0 * k - sy
    h, w = rgb.shape[:2]
    cx0, cy0 = max(0, ox0), max(0, oy0)
    cx1, cy1 = min(w, ox0 + spare.shape[1]), min(h, oy0 + spare.shape[0])
    if cx0 >= cx1 or cy0 >= cy1:
        return {}
    region = rgb[cy0:cy1, cx0:cx1]
    spared: np.ndarray = spare[cy0 - oy0: cy1 - oy0, cx0 - ox0: cx1 - ox0] > 0
    hole = np.zeros(region.shape[:2], bool)
    ix0, iy0, ix1, iy1 = (v * k for v in inner)
    hole[max(0, iy0 - sy - cy0): iy1 - sy - cy0, max(0, ix0 - sx - cx0): ix1 - sx - cx0] = True
    hole &= ~spared
    ground = region[~hole & ~spared]
    if not hole.any() or len(ground) == 0:
        return {}
    level = luma(ground)
    spread = float(np.percentile(level, 95) - np.percentile(level, 5))
    if spread > INPAINT_SPREAD or (spread > FLAT_SPREAD
                                   and hole.sum() > INPAINT_SHARE * h * w):
        return msg("the ground round it is not plain enough to fill it without a visible"
                   " patch: needs a new photo")
    if spread <= FLAT_SPREAD:
        colour = np.median(ground, axis=0).astype(np.uint8)
        region[hole] = colour
        method = "flat #{:02X}{:02X}{:02X}".format(*(int(c) for c in colour))
    else:
        region[:] = cv2.inpaint(np.ascontiguousarray(region), hole.astype(np.uint8), 5,
                                cv2.INPAINT_TELEA)
        method = "inpaint"
    return {"box": [cx0, cy0, cx1, cy1], "method": method}


def _boxes(facts: Facts, box: Box, grow: int = 0) -> tuple[Box, Box]:
    """``box`` in working pixels (widened by ``grow``), and round it the ring's outer box."""
    k = facts.scale
    h, w = facts.background.mask.shape
    x0, y0, x1, y1 = box
    ix0, iy0 = max(0, x0 // k - grow), max(0, y0 // k - grow)
    ix1, iy1 = min(w, -(-x1 // k) + grow), min(h, -(-y1 // k) + grow)
    dx = max(RING_MIN, round((ix1 - ix0) * RING))
    dy = max(RING_MIN, round((iy1 - iy0) * RING))
    outer = (max(0, ix0 - dx), max(0, iy0 - dy), min(w, ix1 + dx), min(h, iy1 + dy))
    return (ix0, iy0, ix1, iy1), outer


def _product_under(facts: Facts, outer: Box) -> np.ndarray:
    """Within ``outer`` (working pixels), the subject parts that reach out of it: the
    product (or scene), which a fill must not touch."""
    x0, y0, x1, y1 = outer
    fg = (~facts.background.mask).astype(np.uint8)
    n, labels = cv2.connectedComponents(fg, connectivity=8)
    window = labels[y0:y1, x0:x1]
    inside = np.bincount(window.ravel(), minlength=n)
    total = np.bincount(labels.ravel(), minlength=n)
    reaching = (total - inside) > OUTSIDE * total
    reaching[0] = False
    under = reaching[window]
    return np.asarray(cv2.dilate(under.astype(np.uint8), np.ones((3, 3), np.uint8)), bool)
