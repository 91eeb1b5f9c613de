"""Recentring the product and scaling it to the profile's fill on a white square canvas
(FR201, FR202, IQ501-IQ503, IQ506).

The product is never padded on a side where it runs off the image (that would show the
cut): along an axis where it touches an edge, the window keeps the image's extent there.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from imagecheck.findings import Box
from imagecheck.i18n import msg

#: Enlargement within this share of the limit counts as within it (rounding to pixels).
SLACK = 0.02


@dataclass(frozen=True)
class Layout:
    """Where the square window of side ``side`` (source pixels) starts, and the canvas
    side it is scaled to."""

    x0: float
    y0: float
    side: float
    canvas: int

    @property
    def scale(self) -> float:
        return self.canvas / self.side


def layout(width: int, height: int, box: Box, touches: tuple[str, ...], size: int,
           fill: float, min_fill: float, max_upscale: float,
           min_side: int) -> Layout | str:
    """The layout putting the product ``box`` centred, spanning ``fill`` of a ``size``
    canvas; where that would enlarge it more than ``max_upscale``, a smaller canvas (down
    to ``min_side``) is taken first, then a lower fill (down to ``min_fill``), and only
    then is it enlarged further. Returns why not, where the product's edges forbid any
    square window."""
    x0, y0, x1, y1 = box
    pw, ph = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    across = bool({"left", "right"} & set(touches))
    down = bool({"top", "bottom"} & set(touches))
    if across and down:
        if abs(width - height) > 1:
            return msg("the product runs off edges on both axes: squaring it would cut it or"
                       " show the cut")
        wx, wy, side = 0.0, 0.0, float(width)
    elif across:
        if ph > width:
            return msg("the product runs off the side edges and is taller than the image is"
                       " wide")
        wx, wy, side = 0.0, min(max(cy - width / 2, y1 - width), y0), float(width)
    elif down:
        if pw > height:
            return msg("the product runs off the top or bottom edge and is wider than the image"
                       " is tall")
        wx, wy, side = min(max(cx - height / 2, x1 - height), x0), 0.0, float(height)
    else:
        side = max(pw, ph) / fill
        wx, wy = cx - side / 2, cy - side / 2
    limit = max_upscale * (1 + SLACK)
    canvas = size
    if size / side > limit:  # a smaller canvas first, down to the smallest allowed ...
        canvas = min(size, max(min_side, round(side * max_upscale)))
        if canvas / side > limit and not (across or down):  # ... then a lower fill
            side = max(side, min(canvas / max_upscale, max(pw, ph) / min_fill))
            wx, wy = cx - side / 2, cy - side / 2
    return Layout(wx, wy, side, canvas)


def render(rgb: np.ndarray, plan: Layout) -> np.ndarray:
    """The window of ``plan`` scaled onto a white canvas (placed to the whole pixel, so
    an unscaled product keeps its pixels exactly)."""
    return place(rgb, plan.scale, offset(plan), plan.canvas)


def offset(plan: Layout) -> tuple[int, int]:
    """Where the image's top-left corner lands on the canvas of ``plan``."""
    return round(-plan.x0 * plan.scale), round(-plan.y0 * plan.scale)


def place(rgb: np.ndarray, scale: float, at: tuple[int, int], side: int,
          interpolation: int | None = None) -> np.ndarray:
    """``rgb`` scaled by ``scale`` (area-averaged down, cubic up, unless ``interpolation``
    says) with its top-left corner at ``at`` on a white ``side`` square; for an array of
    another shape (a mask), the same placement on zeros."""
    h, w = rgb.shape[:2]
    if abs(scale - 1) > 1e-3:
        if interpolation is None:
            interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        rgb = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))),
                         interpolation=interpolation)
        h, w = rgb.shape[:2]
    canvas = np.full((side, side, *rgb.shape[2:]), 255 if rgb.ndim == 3 else 0, rgb.dtype)
    ox, oy = at
    x0, y0 = max(0, ox), max(0, oy)
    x1, y1 = min(side, ox + w), min(side, oy + h)
    if x0 < x1 and y0 < y1:
        canvas[y0:y1, x0:x1] = rgb[y0 - oy: y1 - oy, x0 - ox: x1 - ox]
    return canvas
