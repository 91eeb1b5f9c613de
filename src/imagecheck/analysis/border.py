"""Border analysis: uniform bands and thin lines running along the image edges.

Each edge is read at full resolution, line by line inwards (rows for top and bottom,
columns for left and right). A line is *uniform* when nearly all its pixels share one
colour. A band is a run of uniform, non-white lines of one colour that ends in a step:
the next line is mostly a different colour. A product touching an edge makes no band,
because only part of the line changes; a plain coloured backdrop makes no band either,
because it runs on past the edge zone without a step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imagecheck.analysis.pixels import channel_max, channel_min
from imagecheck.findings import Box

#: How far in from each edge bands are looked for, as a share of the side.
ZONE = 0.12
#: A line is uniform when this share of its pixels is within ``TOLERANCE`` of its median.
UNIFORM = 0.9
TOLERANCE = 28
#: Images narrower than this have no borders worth the name.
MIN_SIDE = 16
#: Points sampled along each line.
SAMPLES = 240
#: Lines lighter than this (every channel) are white margin, not a border ...
PURE_WHITE = 250
#: ... and lines between this and pure white are light grey: a band only where it steps
#: to content at least ``LIGHT_STEP`` levels away, its lines within ``LIGHT_TOLERANCE``.
WHITE_MARGIN = 236
LIGHT_TOLERANCE = 4
LIGHT_STEP = 10
#: Side, in pixels, of the outer corner square where a frame's bands must meet.
CORNER = 8
#: A side of a frame whose colour another side has shown may be this uniform (badges and
#: strips laid over a frame cover part of it).
COVERED_UNIFORM = 0.75


@dataclass(frozen=True)
class Band:
    """A uniform band along one edge."""

    edge: str
    offset: int
    thickness: int
    colour: tuple[int, int, int]
    box: Box


def find_bands(rgb: np.ndarray) -> tuple[Band, ...]:
    """The band nearest each edge of ``rgb``, if there is one.

    Where one edge shows a band, the others are read again for a band of its colour,
    depth and thickness that is partly covered. Bands on neighbouring edges none of
    which meet in a corner (the rounded bands of a logo tile) are no frame: then there
    are none."""
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        return ()
    found: dict[str, tuple[int, int, tuple[int, int, int]]] = {}
    for edge in ("top", "bottom", "left", "right"):
        lines = _edge_lines(rgb, edge)
        depth = max(2, int(ZONE * lines.shape[0]))
        band = _band(lines[: depth + 1], depth)
        if band is not None:
            found[edge] = band
    for offset, thickness, colour in list(found.values()):
        for edge in ("top", "bottom", "left", "right"):
            if edge in found:
                continue
            lines = _edge_lines(rgb, edge)
            depth = max(2, int(ZONE * lines.shape[0]))
            band = _band(lines[: depth + 1], depth, np.array(colour))
            # A frame's sides sit at the same depth and are about as thick.
            if (band is not None and abs(band[0] - offset) <= 2 + thickness // 2
                    and thickness / 2 - 1 <= band[1] <= 2 * thickness + 1):
                found[edge] = band
    bands = tuple(Band(edge, o, t, c, _box(edge, o, t, w, h)) for edge, (o, t, c) in found.items())
    corners = [(a, b) for a in bands for b in bands
               if a.edge in ("top", "bottom") and b.edge in ("left", "right")]
    if corners and not any(_corner_closed(rgb, a, b) for a, b in corners):
        return ()
    return bands


def _corner_closed(rgb: np.ndarray, a: Band, b: Band) -> bool:
    """Whether bands ``a`` and ``b`` on neighbouring edges meet in their corner: its
    outermost pixels have the colour of one of them (square there, round on a tile)."""
    x0, y0 = max(a.box[0], b.box[0]), max(a.box[1], b.box[1])
    x1, y1 = min(a.box[2], b.box[2]), min(a.box[3], b.box[3])
    edges = {a.edge, b.edge}
    x0, x1 = (x0, min(x1, x0 + CORNER)) if "left" in edges else (max(x0, x1 - CORNER), x1)
    y0, y1 = (y0, min(y1, y0 + CORNER)) if "top" in edges else (max(y0, y1 - CORNER), y1)
    corner = np.median(rgb[y0:y1, x0:x1].reshape(-1, 3), axis=0)
    return any(np.abs(corner - np.array(band.colour)).max() <= TOLERANCE for band in (a, b))


def _edge_lines(rgb: np.ndarray, edge: str) -> np.ndarray:
    """The image as lines parallel to ``edge``, ordered from that edge inwards, sampled
    at about :data:`SAMPLES` points along each line (every pixel across them)."""
    h, w = rgb.shape[:2]
    if edge in ("top", "bottom"):
        step = max(1, w // SAMPLES)
        return rgb[:, ::step] if edge == "top" else rgb[::-1, ::step]
    step = max(1, h // SAMPLES)
    lines = rgb[::step, :] if edge == "left" else rgb[::step, ::-1]
    return lines.transpose(1, 0, 2)


def _band(
    lines: np.ndarray, depth: int, like: np.ndarray | None = None
) -> tuple[int, int, tuple[int, int, int]] | None:
    """The first non-white run of uniform (or regularly dashed) lines within ``depth``
    lines of the edge that ends in a step to different content; with ``like``, a run of
    that colour, which may be partly covered."""
    zone = lines[: depth + 1].astype(np.int16)
    # A uniform line's colour is the median of a sparse sample of it (cheap, and robust
    # to the few pixels that differ).
    medians = np.median(zone[:, ::5], axis=1)
    level = channel_min(medians)
    tolerance = np.where((level >= WHITE_MARGIN) & (level < PURE_WHITE), LIGHT_TOLERANCE,
                         TOLERANCE)
    close = channel_max(np.abs(zone - medians[:, None, :])) <= tolerance[:, None]
    if like is not None:
        near = channel_max(np.abs(medians - like)) <= TOLERANCE
        uniform = near & (close.mean(axis=1) >= COVERED_UNIFORM)
        return _run(zone, depth, uniform, medians, level >= PURE_WHITE)
    uniform = close.mean(axis=1) >= UNIFORM
    colours = medians.copy()
    light = channel_min(zone) >= WHITE_MARGIN
    light_share = light.mean(axis=1)
    flips = np.count_nonzero(light[:, 1:] != light[:, :-1], axis=1)
    dashed_maybe = ~uniform & (light_share >= 0.15) & (light_share <= 0.75) & (flips >= 12)
    for line in np.nonzero(dashed_maybe)[0]:
        dash = _dash_colour(zone[line])
        if dash is not None:
            uniform[line], colours[line] = True, dash
    return _run(zone, depth, uniform, colours, channel_min(colours) >= PURE_WHITE)


def _run(
    zone: np.ndarray, depth: int, uniform: np.ndarray, colours: np.ndarray, white: np.ndarray
) -> tuple[int, int, tuple[int, int, int]] | None:
    """The first run of ``uniform`` lines of one colour, not ``white``, that ends in a step
    to different content (a light grey run needs a step of :data:`LIGHT_STEP`)."""
    i = 0
    while i < depth:
        if not uniform[i] or white[i]:
            i += 1
            continue
        start, colour = i, colours[i]
        light = channel_min(colour) >= WHITE_MARGIN
        same = LIGHT_TOLERANCE if light else TOLERANCE
        while (
            i + 1 <= depth
            and uniform[i + 1]
            and np.abs(colours[i + 1] - colour).max() <= same
        ):
            i += 1
        end = i + 1
        if end > depth:
            return None
        if 0 < start and end - start <= 2 and _between(colour, colours[start - 1], zone[end]):
            i = end  # the soft, blended outline of a shape, not a drawn line
            continue
        inner = channel_max(np.abs(zone[end] - colour)) < (LIGHT_STEP if light else TOLERANCE)
        if inner.mean() < 0.5:
            return start, end - start, (int(colour[0]), int(colour[1]), int(colour[2]))
        i = end
    return None


def _between(colour: np.ndarray, outer: np.ndarray, inner_line: np.ndarray) -> bool:
    """Whether ``colour`` lies between ``outer`` and the median of ``inner_line`` in every
    channel (a blend of the two)."""
    inner = np.median(inner_line, axis=0)
    lo, hi = np.minimum(outer, inner), np.maximum(outer, inner)
    return bool(np.all((colour >= lo - 4) & (colour <= hi + 4)))


def _dash_colour(line: np.ndarray) -> np.ndarray | None:
    """The colour of a regularly dashed line (many dashes of even length), else None."""
    light = channel_min(line) >= WHITE_MARGIN
    dark = line[~light]
    if len(dark) < 0.25 * len(line) or len(dark) > 0.85 * len(line):
        return None
    colour = np.asarray(np.median(dark, axis=0))
    on = channel_max(np.abs(line - colour)) <= TOLERANCE
    if (on | light).mean() < UNIFORM:
        return None
    edges = np.nonzero(np.diff(on.astype(np.int8)))[0]
    if len(edges) < 12:
        return None
    runs = np.diff(edges)
    if runs.std() > 0.35 * runs.mean():
        return None
    return colour

def _box(edge: str, offset: int, thickness: int, w: int, h: int) -> Box:
    """The band's box in image pixels."""
    if edge == "top":
        return (0, offset, w, offset + thickness)
    if edge == "bottom":
        return (0, h - offset - thickness, w, h - offset)
    if edge == "left":
        return (offset, 0, offset + thickness, h)
    return (w - offset - thickness, 0, w - offset, h)
