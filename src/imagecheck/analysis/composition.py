"""Composition: images split into panels (comparisons, collages, picture-in-picture).

Everything runs on the working copy and the subject mask at its size, and is reported
in original-image pixels:

- **Seams** are straight lines across the whole image where the picture changes
  abruptly on most of the line (a divider, the edge between two photos, a gutter
  between photos with backgrounds), and that have subject content on both sides (so a
  product's own straight edge on a plain background is not a seam).
- **Layout** finds panels without a visible seam: the subject falls into cells cut by
  empty lines at equal divisions of the image (halves, thirds, a 2x2 grid), each cell's
  content centred in its cell, as when photos on white are tiled on a white canvas.
  A product set photographed together stands close together, not centred in equal cells.
- **Insets**: a rectangle near a corner bounded by straight edges that cut through the
  rest of the picture (picture-in-picture).
- **Markers** of a comparison: a compact saturated disc on the split (a VS/对比 roundel),
  a green and a red mark on either side (✓/✗), contrasting panel backgrounds, a divider,
  the same silhouette in both panels (one product in two states or versions).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from imagecheck.analysis.work import WorkMap
from imagecheck.findings import Box

#: Working copies narrower than this (pixels) are too small to hold panels.
MIN_SIDE = 48
#: A colour step (largest channel difference) at least this big is an edge.
EDGE_STEP = 24
#: A thin line (a divider) is a seam when edges cover at least this share of it; a step
#: between two pictures must cover more, and the pictures either side must differ.
LINE_COVER = 0.72
STEP_COVER = 0.95
#: Seams are looked for between these shares of the width or height (bars and strips
#: nearer the edge are borders and banners, other rules' business).
INNER = (0.2, 0.8)
#: A panel holds content when at least this share of it is subject.
PANEL_CONTENT = 0.01
#: Insets are framed by fainter steps too (a white frame on a light grey photo).
INSET_STEP = 12
#: Layout cells: how far a cut and a cell's content centre may sit from the equal
#: division, as a share of the cell size.
CUT_SLACK = 0.25
CENTRE_SLACK = 0.2
#: Largest difference of mean Lab colour between two products that look alike.
SAME_LOOK = 20


@dataclass(frozen=True)
class Seam:
    """A straight line across the image: ``axis`` 'x' for a vertical line at ``pos``."""

    axis: str
    pos: int
    cover: float
    thin: bool


@dataclass(frozen=True)
class Composition:
    """Panels found in the image and how they were found, in original-image pixels.

    ``extent`` is the part of the image the analysis covered (the working copy's, which
    the ``panels`` tile); ``halves`` are the two panels of a left/right split, if the
    image has one, and ``markers`` name what marks it as a comparison (found at
    ``marker_boxes``)."""

    seams: tuple[Seam, ...]
    grid: tuple[int, int]
    grid_source: str
    extent: Box
    panels: tuple[Box, ...]
    inset: Box | None
    markers: tuple[str, ...]
    marker_boxes: tuple[Box, ...]
    halves: tuple[Box, Box] | None


def analyse_composition(work: np.ndarray, subject: np.ndarray, work_map: WorkMap) -> Composition:
    """Seams, panel layout, inset and comparison markers of ``work`` (RGB) given the
    subject mask at the same size; ``work_map`` maps both to the image."""
    h, w = subject.shape
    extent = work_map.to_original((0, 0, w, h))
    if min(h, w) < MIN_SIDE:
        return Composition((), (1, 1), "too small", extent, (), None, (), (), None)
    steps_x, steps_y = _steps(work)
    edges_x, edges_y = _edges(steps_x, steps_y, EDGE_STEP)
    seams = tuple(_seams(edges_x, subject, work, "x")
                  + _seams(edges_y.T, subject.T, work.transpose(1, 0, 2), "y"))
    vx = sorted(s.pos for s in seams if s.axis == "x")
    hy = sorted(s.pos for s in seams if s.axis == "y")
    if vx or hy:
        grid, source = (len(hy) + 1, len(vx) + 1), "seams"
        xs, ys = [0, *vx, w], [0, *hy, h]
    else:
        cols = _cells(subject, 1)
        rows = _cells(subject, 0)
        grid, source = (len(rows) or 1, len(cols) or 1), "layout"
        xs = [0, *[round(w * i / len(cols)) for i in range(1, len(cols))], w] if cols else [0, w]
        ys = [0, *[round(h * i / len(rows)) for i in range(1, len(rows))], h] if rows else [0, h]
        if grid[0] * grid[1] > 1 and not _cells_filled(subject, xs, ys):
            grid, xs, ys = (1, 1), [0, w], [0, h]
    panels = tuple(
        (xs[i], ys[j], xs[i + 1], ys[j + 1]) for j in range(len(ys) - 1) for i in range(len(xs) - 1)
    )
    split = _split(seams, subject, grid, xs)
    markers, boxes = _markers(work, subject, split, seams) if split is not None else ((), ())
    inset = _inset(*_edges(steps_x, steps_y, INSET_STEP), subject, work)
    return Composition(
        seams=tuple(replace(s, pos=s.pos * work_map.scale) for s in seams),
        grid=grid,
        grid_source=source,
        extent=extent,
        panels=tuple(work_map.to_original(b) for b in panels) if len(panels) > 1 else (),
        inset=None if inset is None else work_map.to_original(inset),
        markers=markers,
        marker_boxes=tuple(work_map.to_original(b) for b in boxes),
        halves=None if split is None else (work_map.to_original((0, 0, split, h)),
                                           work_map.to_original((split, 0, w, h))),
    )


def _steps(work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Colour steps (largest channel difference) across columns (``[y, x]`` is the step
    between x and x+1) and across rows (``[y, x]``: between y and y+1)."""
    c = work.astype(np.int16)

    def step(d: np.ndarray) -> np.ndarray:
        d = np.abs(d)
        return np.asarray(np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2]))

    return step(np.diff(c, axis=1)), step(np.diff(c, axis=0))


def _edges(steps_x: np.ndarray, steps_y: np.ndarray, least: int
           ) -> tuple[np.ndarray, np.ndarray]:
    """Steps of at least ``least``, widened by a pixel across the line so an anti-aliased
    or slightly soft line still counts."""
    ex = cv2.dilate((steps_x >= least).astype(np.uint8), np.ones((1, 3), np.uint8))
    ey = cv2.dilate((steps_y >= least).astype(np.uint8), np.ones((3, 1), np.uint8))
    return ex.astype(bool), ey.astype(bool)


def _seams(edges: np.ndarray, subject: np.ndarray, work: np.ndarray, axis: str) -> list[Seam]:
    """Seams across ``edges`` columns (``edges``, ``subject`` and ``work`` are indexed
    [along, across])."""
    n = edges.shape[1]
    cover = edges.mean(axis=0)
    content = subject.mean(axis=0)
    lo, hi = int(n * INNER[0]), int(n * INNER[1])
    found: list[Seam] = []
    x = lo
    while x < hi:
        if cover[x] < LINE_COVER:
            x += 1
            continue
        end = x
        while end + 1 < n and cover[end + 1] >= LINE_COVER * 0.8:
            end += 1
        # Two edges close together (a divider line) make one seam.
        width = max(3, n // 40)
        nxt = end + 1
        while nxt < min(n, end + width) and cover[nxt] < LINE_COVER:
            nxt += 1
        thin = nxt < min(n, end + width)
        if thin:
            while nxt + 1 < n and cover[nxt + 1] >= LINE_COVER * 0.8:
                nxt += 1
            end = nxt
        pad, reach = max(2, n // 100), max(4, n // 8)
        a, b = max(0, x - reach), max(0, x - pad)
        c, d = min(n, end + 1 + pad), min(n, end + 1 + reach)
        both = b > 0 and c < n and content[:b].mean() >= PANEL_CONTENT \
            and content[c:].mean() >= PANEL_CONTENT
        # A line (divider, gutter): a narrow band of one colour, unlike both sides.
        # A drawn line runs right to both edges of the image (a product's outline
        # rounds off before them).
        ends = max(3, edges.shape[0] // 25)
        reach_ends = min(edges[:ends, x: end + 1].any(axis=1).mean(),
                         edges[-ends:, x: end + 1].any(axis=1).mean()) >= 0.6
        thin = (thin or end - x <= width) and end - x >= 4 and reach_ends and any(
            _line(work[:, k], work[:, max(0, x - 1)], work[:, min(n - 1, end + 1)])
            for k in range(x + 1, end))
        if thin:
            ok = True
        else:
            ok = float(cover[x: end + 1].max()) >= STEP_COVER and b > a and d > c \
                and _differ(work[:, a:b], work[:, c:d])
        if both and ok:
            found.append(Seam(axis, (x + end + 1) // 2, round(float(cover[x: end + 1].max()), 3),
                              bool(thin)))
        x = end + 1
    # Seams closer than a fifth of the image are one feature (a band), not panels.
    kept: list[Seam] = []
    for seam in found:
        if not kept or seam.pos - kept[-1].pos >= n // 5:
            kept.append(seam)
    return kept


def _line(pixels: np.ndarray, before: np.ndarray, after: np.ndarray) -> bool:
    """Whether ``pixels`` (N x 3, along the line) are a drawn line: mostly one colour,
    and that colour unlike the pixels just before and after it on most of its length."""
    pixels = pixels.astype(np.int16)
    colour = np.median(pixels, axis=0)
    if float((np.abs(pixels - colour).max(axis=1) <= 12).mean()) < 0.8:
        return False
    unlike = [np.abs(side.astype(np.int16) - colour).max(axis=1) >= 20 for side in (before, after)]
    return float((unlike[0] & unlike[1]).mean()) >= 0.6


def _differ(one: np.ndarray, other: np.ndarray) -> bool:
    """Whether two strips look like different pictures: another colour or texture."""
    m1 = np.median(one.reshape(-1, 3), axis=0)
    m2 = np.median(other.reshape(-1, 3), axis=0)
    if float(np.abs(m1 - m2).max()) >= 30:
        return True
    t1 = float(np.abs(np.diff(one.astype(np.int16), axis=0)).mean())
    t2 = float(np.abs(np.diff(other.astype(np.int16), axis=0)).mean())
    return max(t1, t2) >= 3 * max(min(t1, t2), 0.5)


def _cells(subject: np.ndarray, axis: int) -> list[tuple[int, int]]:
    """Content runs along ``axis`` (1 = columns) if they sit in equal divisions of the
    image, each centred in its own division; else ``[]``."""
    occupied = subject.mean(axis=1 - axis) > 0.002
    n = occupied.size
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate(occupied):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, n))
    runs = [r for r in runs if r[1] - r[0] >= n * 0.04]
    k = len(runs)
    if k < 2 or k > 4:
        return []
    # Tiled pictures each keep their own margins, so the gaps between them are about
    # twice the outer margins; products standing together are closer than that.
    margin = (runs[0][0] + n - runs[-1][1]) / 2
    gaps = [runs[i + 1][0] - runs[i][1] for i in range(k - 1)]
    if min(gaps) < max(0.9 * margin, 0.02 * n):
        return []
    cell = n / k
    for i, (a, b) in enumerate(runs):
        if a < (i - CUT_SLACK) * cell or b > (i + 1 + CUT_SLACK) * cell:
            return []
        if abs((a + b) / 2 - (i + 0.5) * cell) > CENTRE_SLACK * cell:
            return []
    return runs


def _cells_filled(subject: np.ndarray, xs: list[int], ys: list[int]) -> bool:
    """Every layout cell holds content (a grid, not a scatter)."""
    return all(
        subject[ys[j]: ys[j + 1], xs[i]: xs[i + 1]].mean() >= PANEL_CONTENT
        for j in range(len(ys) - 1)
        for i in range(len(xs) - 1)
    )


def _split(seams: tuple[Seam, ...], subject: np.ndarray, grid: tuple[int, int],
           xs: list[int]) -> int | None:
    """The x of a left/right split into two panels, if the image has one."""
    w = subject.shape[1]
    if any(s.axis == "y" and s.thin for s in seams):
        return None  # a line across as well: a grid, not a left/right pair
    mid = [s for s in seams if s.axis == "x" and 0.35 * w <= s.pos <= 0.65 * w]
    if mid and len([s for s in seams if s.axis == "x"]) == 1:
        return mid[0].pos
    if grid == (1, 2):
        return xs[1]
    return None


Rect = tuple[int, int, int, int]


def _markers(work: np.ndarray, subject: np.ndarray, split: int,
             seams: tuple[Seam, ...]) -> tuple[tuple[str, ...], tuple[Rect, ...]]:
    """Comparison markers around a left/right split at ``split``."""
    h, w = subject.shape
    found: list[str] = []
    boxes: list[tuple[int, int, int, int]] = []
    for s in seams:
        if s.axis == "x" and s.pos == split and s.thin:
            found.append("divider")
    band = max(2, w // 20)
    left = np.concatenate([work[:band, :split - band], work[-band:, :split - band]], axis=1)
    right = np.concatenate([work[:band, split + band:], work[-band:, split + band:]], axis=1)
    if left.size and right.size:
        diff = np.abs(np.median(left.reshape(-1, 3), axis=0) - np.median(right.reshape(-1, 3),
                                                                          axis=0)).max()
        if diff >= 40:
            found.append("contrasting backgrounds")
    if _same_shape(subject[:, :split], subject[:, split:]) and _same_look(
            work, subject, split):
        found.append("the same product twice")
    hsv = cv2.cvtColor(work, cv2.COLOR_RGB2HSV)
    vivid = ((hsv[..., 1] >= 120) & (hsv[..., 2] >= 90)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vivid, connectivity=8)
    discs = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        side = max(bw, bh)
        if not (0.03 * min(h, w) <= side <= 0.3 * min(h, w)) or not 0.75 <= bw / bh <= 1.33:
            continue
        # A disc fills about pi/4 of its box (less with lettering) and leaves the
        # corners of its box empty, unlike a product's square shape.
        if not 0.45 <= area / (bw * bh) <= 0.9:
            continue
        cx, cy = (x + bw // 8, x + bw - 1 - bw // 8), (y + bh // 8, y + bh - 1 - bh // 8)
        if any(labels[yy, xx] == i for xx in cx for yy in cy):
            continue
        hue = float(np.median(hsv[..., 0][labels == i]))
        discs.append((x, y, x + bw, y + bh, hue))
    roundel = _roundel(vivid, split)
    if roundel is not None:
        found.append("roundel on the split")
        boxes.append(roundel)
    greens = [d for d in discs if 35 <= d[4] <= 85 and d[2] <= split]
    reds = [d for d in discs if (d[4] <= 10 or d[4] >= 170) and d[0] >= split]
    greens += [d for d in discs if 35 <= d[4] <= 85 and d[0] >= split]
    reds += [d for d in discs if (d[4] <= 10 or d[4] >= 170) and d[2] <= split]
    for g in greens:
        for r in reds:
            same_row = abs((g[1] + g[3]) - (r[1] + r[3])) / 2 <= 0.1 * h
            opposite = (g[2] <= split) != (r[2] <= split)
            if same_row and opposite:
                found.append("check and cross marks")
                boxes += [g[:4], r[:4]]
                break
        if "check and cross marks" in found:
            break
    return tuple(found), tuple(boxes)


def _same_shape(left: np.ndarray, right: np.ndarray) -> bool:
    """Whether the two panels hold the same silhouette (one product in two states or
    versions, as a before/after or 普通款/升级款 comparison shows it)."""
    crops = []
    for mask in (left, right):
        ys, xs = np.nonzero(mask)
        if ys.size < 50:
            return False
        crops.append(mask[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1].astype(np.uint8))
    (h1, w1), (h2, w2) = crops[0].shape, crops[1].shape
    if abs(h1 - h2) > 0.1 * max(h1, h2) or abs(w1 - w2) > 0.1 * max(w1, w2):
        return False
    other = cv2.resize(crops[1], (w1, h1), interpolation=cv2.INTER_NEAREST).astype(bool)
    one = crops[0].astype(bool)
    return float((one & other).sum() / max((one | other).sum(), 1)) >= 0.85


def _same_look(work: np.ndarray, subject: np.ndarray, split: int) -> bool:
    """Whether the products either side of ``split`` are alike in colour (one product in
    two states), not two views of it (a board's front and back differ in colour)."""
    lab = cv2.cvtColor(work, cv2.COLOR_RGB2LAB).astype(np.float32)
    left, right = lab[:, :split][subject[:, :split]], lab[:, split:][subject[:, split:]]
    return float(np.abs(left.mean(axis=0) - right.mean(axis=0)).max()) <= SAME_LOOK


def _roundel(vivid: np.ndarray, split: int) -> Rect | None:
    """A filled, vividly coloured disc centred on the split line at mid height (a VS or
    对比 roundel), found as a circle so a product touching it does not hide it."""
    h, w = vivid.shape
    side = min(h, w)
    x0, y0 = max(0, split - w // 5), int(h * 0.15)
    crop = np.ascontiguousarray(vivid[y0: int(h * 0.85), x0: split + w // 5]) * 255
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(crop, (5, 5), 1.5), cv2.HOUGH_GRADIENT, dp=1, minDist=side // 10,
        param1=100, param2=18, minRadius=int(side * 0.03), maxRadius=int(side * 0.15))
    if circles is None:
        return None
    yy, xx = np.mgrid[0: crop.shape[0], 0: crop.shape[1]]
    for cx, cy, r in circles[0]:
        if abs(cx + x0 - split) > 0.04 * w:
            continue
        d2 = (xx - cx) ** 2 + (yy - cy) ** 2
        inside = crop[d2 <= r * r].mean() / 255
        ring = crop[(d2 > (1.15 * r) ** 2) & (d2 <= (1.4 * r) ** 2)].mean() / 255
        if inside >= 0.55 and ring <= 0.6:
            return (int(cx - r) + x0, int(cy - r) + y0, int(cx + r) + x0 + 1, int(cy + r) + y0 + 1)
    return None


def _inset(edges_x: np.ndarray, edges_y: np.ndarray, subject: np.ndarray, work: np.ndarray
           ) -> tuple[int, int, int, int] | None:
    """A picture-in-picture rectangle at a corner, between 25% and 50% of the image each
    way, holding its own picture centred in it, and bounded either by a frame visible
    along most of both inner sides, or by a straight cut through the rest of the
    subject along at least half of one side (an inset pasted over a product on white).
    Inside a frame, the picture is what stands out from the plain ground just inside
    it (the subject mask sees a framed inset on a coloured photo as all subject)."""
    h, w = subject.shape
    # Each corner's quadrant, with room for the look beyond the inner sides.
    qh, qw = min(h, h // 2 + h // 30 + 10), min(w, w // 2 + w // 30 + 10)
    for right in (False, True):
        for bottom in (False, True):
            # Flip so the corner is the bottom-right one, then map the box back.
            fy = slice(h - qh, h) if bottom else slice(qh - 1, None, -1)
            fx = slice(w - qw, w) if right else slice(qw - 1, None, -1)
            fex = slice(w - qw, w - 1) if right else slice(qw - 2, None, -1)
            fey = slice(h - qh, h - 1) if bottom else slice(qh - 2, None, -1)
            found = _inset_bottom_right(edges_x[fy, fex], edges_y[fey, fx], subject[fy, fx],
                                        work[fy, fx], (h, w))
            if found is not None:
                x0, y0 = found
                x0, y0 = x0 + w - qw, y0 + h - qh
                return (x0 if right else 0, y0 if bottom else 0,
                        w if right else w - x0, h if bottom else h - y0)
    return None


def _inset_bottom_right(ex: np.ndarray, ey: np.ndarray, subject: np.ndarray, work: np.ndarray,
                        full: tuple[int, int]) -> tuple[int, int] | None:
    """:func:`_inset` in the bottom-right quadrant of an image of shape ``full``
    (``ex``: [h, w-1], ``ey``: [h-1, w]); the inset's top-left corner, if any."""
    h, w = subject.shape
    # A cut has subject just beyond it and further on (not only a drawn line).
    far = max(6, min(full) // 60)
    beyond = np.zeros_like(subject)
    beyond[:, far:] = subject[:, 2: w - far + 2] & subject[:, : w - far]
    cut_x = ex & beyond[:, 1:]
    beyond = np.zeros_like(subject)
    beyond[far:] = subject[2: h - far + 2] & subject[: h - far]
    cut_y = ey & beyond[1:]
    cum = [np.vstack([np.zeros((1, a.shape[1]), np.int32), np.cumsum(a, axis=0, dtype=np.int32)])
           for a in (ex, cut_x)]
    cumh = [np.hstack([np.zeros((a.shape[0], 1), np.int32), np.cumsum(a, axis=1, dtype=np.int32)])
            for a in (ey, cut_y)]
    cy = h - 1 - np.arange(int(full[0] * 0.25), int(full[0] * 0.5) + 1)
    cx = w - 2 - np.arange(int(full[1] * 0.25), int(full[1] * 0.5) + 1)
    ly = np.maximum((0.85 * (h - 1 - cy)).astype(int), 1)
    lx = np.maximum((0.85 * (w - 1 - cx)).astype(int), 1)

    def along_v(c: np.ndarray) -> np.ndarray:
        return np.asarray((c[(cy + ly)[:, None], cx[None, :]] - c[cy[:, None], cx[None, :]])
                          / ly[:, None])

    def along_h(c: np.ndarray) -> np.ndarray:
        return np.asarray((c[cy[:, None], (cx + lx)[None, :]] - c[cy[:, None], cx[None, :]])
                          / lx[None, :])

    frame = np.minimum(along_v(cum[0]), along_h(cumh[0]))
    cut = np.maximum(along_v(cum[1]), along_h(cumh[1]))
    score = np.where(frame >= 0.9, 1.0 + frame, np.where(cut >= 0.5, cut, 0.0))
    # A side that runs on across the whole image is a seam or divider, not an inset.
    through = (ex[:, cx].mean(axis=0)[None, :] >= 0.8) | (ey[cy, :].mean(axis=1)[:, None] >= 0.8)
    score = np.where(through, 0.0, score)
    # The inset's own picture keeps clear of its inner sides: no subject in a band
    # inside them, some subject further in.
    ii = cv2.integral(subject.astype(np.uint8)).astype(np.int64)
    y0, x0 = (cy + 1)[:, None], (cx + 1)[None, :]
    band = max(3, min(h, w) // 50)

    def total(ya: np.ndarray, xa: np.ndarray, yb: np.ndarray | int, xb: np.ndarray | int
              ) -> np.ndarray:
        return np.asarray(ii[yb, xb] - ii[ya, xb] - ii[yb, xa] + ii[ya, xa])

    clear = (total(y0, x0, y0 + band, w) == 0) & (total(y0, x0, h, x0 + band) == 0)
    filled = total(y0, x0, h, w) >= 0.03 * (h - y0) * (w - x0)
    framed = score > 1.0
    score = np.where(clear & filled | framed, score, 0.0)
    for flat in np.argsort(score, axis=None)[::-1][:4]:
        i, j = np.unravel_index(int(flat), score.shape)
        if score[i, j] <= 0:
            break
        x, y = int(cx[j]) + 1, int(cy[i]) + 1
        if clear[i, j] and filled[i, j] and _centred(subject[y:, x:]):
            return (x, y)
        if framed[i, j] and _framed_picture(work[y:, x:], band):
            return (x, y)
    return None


def _framed_picture(region: np.ndarray, band: int) -> bool:
    """Whether a framed corner region holds a picture: a plain ground just inside the
    frame, and something standing out from it, clear of the frame and centred."""
    h, w = region.shape[:2]
    if min(h, w) < 6 * band:
        return False
    ring = np.concatenate([region[band: 2 * band, band:].reshape(-1, 3),
                           region[2 * band:, band: 2 * band].reshape(-1, 3)]).astype(np.int16)
    ground = np.median(ring, axis=0)
    if float((np.abs(ring - ground).max(axis=1) <= 12).mean()) < 0.85:
        return False
    inner = region[band:, band:].astype(np.int16)
    stands_out = np.abs(inner - ground).max(axis=2) > 30
    stands_out[:band] = stands_out[:, :band] = False
    return stands_out.mean() >= 0.03 and _centred(stands_out)


def _centred(region: np.ndarray) -> bool:
    """Whether the content of a corner region is centred in it (its own picture)."""
    h, w = region.shape
    ys, xs = np.nonzero(region)
    cy, cx = (ys.min() + ys.max()) / 2 / h, (xs.min() + xs.max()) / 2 / w
    return bool(abs(cy - 0.5) <= 0.15 and abs(cx - 0.5) <= 0.15)
