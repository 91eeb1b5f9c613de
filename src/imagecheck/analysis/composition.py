"""Composition: images split into panels (comparisons, collages, picture-in-picture).

Everything runs on the working copy (``facts.work``) and the subject mask:

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
  a green and a red mark on either side (✓/✗), contrasting panel backgrounds, a divider.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

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
#: Layout cells: how far a cut and a cell's content centre may sit from the equal
#: division, as a share of the cell size.
CUT_SLACK = 0.25
CENTRE_SLACK = 0.2


@dataclass(frozen=True)
class Seam:
    """A straight line across the image: ``axis`` 'x' for a vertical line at ``pos``."""

    axis: str
    pos: int
    cover: float
    thin: bool


@dataclass(frozen=True)
class Composition:
    """Panels found in the image and how they were found (all in working pixels)."""

    seams: tuple[Seam, ...]
    grid: tuple[int, int]
    grid_source: str
    panels: tuple[tuple[int, int, int, int], ...]
    inset: tuple[int, int, int, int] | None
    markers: tuple[str, ...]
    marker_boxes: tuple[tuple[int, int, int, int], ...]
    split: int | None


def analyse_composition(work: np.ndarray, subject: np.ndarray) -> Composition:
    """Seams, panel layout, inset and comparison markers of ``work`` (RGB) given the
    subject mask at the same size."""
    h, w = subject.shape
    edges_x, edges_y = _edges(work)
    seams = tuple(_seams(edges_x, subject, work, "x")
                  + _seams(edges_y, subject.T, work.transpose(1, 0, 2), "y"))
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
    return Composition(
        seams=seams,
        grid=grid,
        grid_source=source,
        panels=panels if len(panels) > 1 else (),
        inset=_inset(edges_x, edges_y, subject),
        markers=markers,
        marker_boxes=boxes,
        split=split,
    )


def _edges(work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edge maps across columns (``[y, x]`` is an edge between x and x+1) and rows,
    widened by a pixel so an anti-aliased or slightly soft line still counts."""
    c = work.astype(np.int16)

    def step(d: np.ndarray) -> np.ndarray:
        d = np.abs(d)
        return (np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2]) >= EDGE_STEP
                ).astype(np.uint8)

    ex, ey = step(np.diff(c, axis=1)), step(np.diff(c, axis=0))
    ex = cv2.dilate(ex, np.ones((1, 3), np.uint8))
    ey = cv2.dilate(ey, np.ones((3, 1), np.uint8))
    return ex.astype(bool), ey.T.astype(bool)


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
        thin = thin or end - x <= 4
        pad, reach = max(2, n // 100), max(4, n // 8)
        a, b = max(0, x - reach), max(0, x - pad)
        c, d = min(n, end + 1 + pad), min(n, end + 1 + reach)
        both = b > 0 and c < n and content[:b].mean() >= PANEL_CONTENT \
            and content[c:].mean() >= PANEL_CONTENT
        if thin:
            line = work[:, x + 2: max(end, x + 3)].reshape(-1, 3).astype(np.int16)
            ok = line.size > 0 and _uniform(line)
        else:
            ok = float(cover[x: end + 1].max()) >= STEP_COVER \
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


def _uniform(pixels: np.ndarray) -> bool:
    """Whether most of ``pixels`` (N x 3) share one colour (a drawn line, a gutter)."""
    near = np.abs(pixels - np.median(pixels, axis=0)).max(axis=1) <= 16
    return float(near.mean()) >= 0.7


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
    for x0, y0, x1, y1, _ in discs:
        if x0 < split < x1 and 0.2 * h <= (y0 + y1) / 2 <= 0.8 * h:
            found.append("roundel on the split")
            boxes.append((x0, y0, x1, y1))
            break
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


def _inset(edges_x: np.ndarray, edges_y: np.ndarray, subject: np.ndarray
           ) -> tuple[int, int, int, int] | None:
    """A picture-in-picture rectangle at a corner: straight edges along most of both of
    its inner sides, between 25% and 50% of the image each way, cutting through the
    subject (content beyond both sides; a badge or a boxed product in a corner is not
    an inset)."""
    h, w = subject.shape
    # vert[y, x]: edges on column x from row 0 to y; horiz[x, y]: on row y from 0 to x.
    vert = np.vstack([np.zeros((1, w - 1)), np.cumsum(edges_x, axis=0)])
    horiz = np.vstack([np.zeros((1, h - 1)), np.cumsum(edges_y, axis=0)])
    ys = np.arange(h - 1)[:, None]
    xs = np.arange(w - 1)[None, :]
    best, best_box = 0.0, None
    for right in (False, True):
        for bottom in (False, True):
            # Inner corner at (x, y): a vertical side on column x, a horizontal on row y.
            if bottom:
                v = (vert[h, :][None, :] - vert[: h - 1, :]) / np.maximum(h - ys, 1)
            else:
                v = vert[1:h, :] / np.maximum(ys + 1, 1)
            hz_rows = horiz.T  # [y, x]
            if right:
                hz = (hz_rows[:, w - 1][:, None] - hz_rows[:, : w - 1]) / np.maximum(w - 1 - xs, 1)
            else:
                hz = hz_rows[:, 1:w] / np.maximum(xs + 1, 1)
            score = np.minimum(v[: h - 1], hz[:, : w - 1])
            fx = (xs / w) if right else 1 - (xs / w)
            fy = (ys / h) if bottom else 1 - (ys / h)
            ok = (fx >= 0.5) & (fx <= 0.75) & (fy >= 0.5) & (fy <= 0.75)
            score = np.where(ok, score, 0.0)
            y, x = np.unravel_index(int(np.argmax(score)), score.shape)
            if score[y, x] >= 0.9 and score[y, x] > best and _cuts(subject, x, y, right, bottom):
                best = float(score[y, x])
                best_box = (int(x) if right else 0, int(y) if bottom else 0,
                            w if right else int(x) + 1, h if bottom else int(y) + 1)
    return best_box


def _cuts(subject: np.ndarray, x: int, y: int, right: bool, bottom: bool) -> bool:
    """Whether the subject continues beyond both inner sides of the corner rectangle
    whose inner corner is at (x, y)."""
    h, w = subject.shape
    band = max(3, w // 20)
    rows = slice(y, h) if bottom else slice(0, y)
    cols = slice(x, w) if right else slice(0, x)
    beside = subject[rows, max(0, x - band): x] if right else subject[rows, x + 1: x + 1 + band]
    across = subject[max(0, y - band): y, cols] if bottom else subject[y + 1: y + 1 + band, cols]
    return beside.size > 0 and across.size > 0 and beside.mean() >= 0.1 and across.mean() >= 0.1
