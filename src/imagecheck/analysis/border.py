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
#: Lines lighter than this (every channel) are white margin, not a border.
WHITE_MARGIN = 236


@dataclass(frozen=True)
class Band:
    """A uniform band along one edge."""

    edge: str
    offset: int
    thickness: int
    colour: tuple[int, int, int]
    box: Box


def find_bands(rgb: np.ndarray) -> tuple[Band, ...]:
    """The band nearest each edge of ``rgb``, if there is one."""
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        return ()
    bands = []
    for edge in ("top", "bottom", "left", "right"):
        lines = _edge_lines(rgb, edge)
        depth = max(2, int(ZONE * lines.shape[0]))
        found = _band(lines[: depth + 1], depth)
        if found is None:
            continue
        offset, thickness, colour = found
        bands.append(Band(edge, offset, thickness, colour, _box(edge, offset, thickness, w, h)))
    return tuple(bands)


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


def _band(lines: np.ndarray, depth: int) -> tuple[int, int, tuple[int, int, int]] | None:
    """The first non-white run of uniform (or regularly dashed) lines within ``depth``
    lines of the edge that ends in a step to different content."""
    zone = lines[: depth + 1].astype(np.int16)
    # A uniform line's colour is the median of a sparse sample of it (cheap, and robust
    # to the few pixels that differ).
    medians = np.median(zone[:, ::5], axis=1)
    close = channel_max(np.abs(zone - medians[:, None, :])) <= TOLERANCE
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
    white = channel_min(colours) >= WHITE_MARGIN
    i = 0
    while i < depth:
        if not uniform[i] or white[i]:
            i += 1
            continue
        start, colour = i, colours[i]
        while (
            i + 1 <= depth
            and uniform[i + 1]
            and np.abs(colours[i + 1] - colour).max() <= TOLERANCE
        ):
            i += 1
        end = i + 1
        if end > depth:
            return None
        inner = channel_max(np.abs(zone[end] - colour)) <= TOLERANCE
        if inner.mean() < 0.5:
            return start, end - start, (int(colour[0]), int(colour[1]), int(colour[2]))
        i = end
    return None


def _dash_colour(line: np.ndarray) -> np.ndarray | None:
    """The colour of a regularly dashed line (many dashes of even length), else None."""
    light = channel_min(line) >= WHITE_MARGIN
    dark = line[~light]
    if len(dark) < 0.25 * len(line) or len(dark) > 0.85 * len(line):
        return None
    colour = np.median(dark, axis=0)
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
