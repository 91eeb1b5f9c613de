"""Background analysis: which pixels are plain background, and how white it is.

The background is grown from the image edges across smooth colour (a flood fill that
compares neighbours, so soft shadows and gradients are followed but the product's
outline stops it). Of the regions reached, the one holding most of the edge, plus any
other of the same colour (background split by a product touching two edges), is the
background.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from imagecheck.analysis.pixels import channel_max, channel_min, luma

#: Neighbour colour step (per channel, after a light blur) the flood may cross.
FLOOD_STEP = 3
#: A pixel counts as near-pure white when every channel is at least this.
WHITE_LEVEL = 245
#: ... and its channels differ by at most this (a neutral white, not a pale tint).
WHITE_TINT = 14
#: Background regions whose median colour is within this of the main one join it.
SAME_COLOUR = 24
#: Flood seeds are taken every this many pixels along the edges.
SEED_STEP = 3
#: Near-white regions holding at least this share of the outer band are the background.
WHITE_BAND_SHARE = 0.25
#: A background covering less than this share of the image is not a plain background,
#: unless it is a near-pure white margin (``MARGIN_WHITE`` of it near-white) holding at
#: least ``MARGIN_RING`` of the image's edge ring, two edges' worth (a product that fills
#: the frame: the background is what little there is).
MIN_PLAIN_SHARE = 0.12
MARGIN_RING = 0.4
MARGIN_WHITE = 0.9
#: A background whose median colour is not near-pure white (every channel at least
#: ``PURE_LEVEL``) is white only where nearly all of it (``GREY_WHITE_SHARE``) is near-white;
#: about half near-white is a light-grey gradient.
PURE_LEVEL = 250
GREY_WHITE_SHARE = 0.8


@dataclass(frozen=True)
class Background:
    """The background: pixels of the plain region(s) reached from the image edges.

    ``mask`` is at working size; ``inset`` is the width, in working pixels, of a frame
    round the image that the background was looked for inside of."""

    mask: np.ndarray
    colour: tuple[int, int, int]
    share: float
    white_share: float
    kind: str
    spread: float
    inset: int = 0


def analyse_background(
    work: np.ndarray, alpha: np.ndarray | None = None, inset: int = 0
) -> Background:
    """Find the background of the working image ``work`` (alpha, if any, decides).

    ``inset`` pixels along every edge are a frame, not background: the background is
    looked for inside it.
    """
    if alpha is not None and np.mean(alpha < 16) > 0.02:
        mask = alpha < 16
    else:
        h, w = work.shape[:2]
        mask = np.zeros((h, w), bool)
        if min(h, w) <= 4 * inset:
            inset = 0
        if inset:
            mask[inset:-inset, inset:-inset] = _flood_background(work[inset:-inset, inset:-inset])
        else:
            mask = _flood_background(work)
    share = float(mask.mean())
    if not mask.any():
        return Background(mask, (0, 0, 0), 0.0, 0.0, "none", 0.0, inset)
    # Judge colour where the background is least disturbed by the product: the outer
    # band of the image (a white product leaking into the mask sits inside it).
    band = _outer_band(mask.shape)
    pixels = work[mask & band] if (mask & band).sum() >= 0.2 * band.sum() else work[mask]
    pixels = pixels[:: max(1, len(pixels) // 20000)]
    colour = tuple(int(c) for c in np.median(pixels, axis=0))
    white_share = float(near_white(pixels).mean())
    level = luma(pixels)
    spread = float(np.percentile(level, 95) - np.percentile(level, 5))
    ring = float(mask[_outer_band(mask.shape, 0.03)].mean())
    margin = ring >= MARGIN_RING and white_share >= MARGIN_WHITE
    kind = _kind(colour, white_share, 1.0 if margin else share, spread)
    return Background(mask, colour, share, white_share, kind, spread, inset)  # type: ignore[arg-type]


def near_white(pixels: np.ndarray) -> np.ndarray:
    """Which RGB pixels (..., 3) are near-pure, neutral white."""
    lo = channel_min(pixels)
    tint = channel_max(pixels).astype(np.int16) - lo
    return np.asarray((lo >= WHITE_LEVEL) & (tint <= WHITE_TINT))


def _outer_band(shape: tuple[int, ...], share: float = 0.08) -> np.ndarray:
    """A mask of the image's outer band, ``share`` of each side deep."""
    h, w = shape[:2]
    dy, dx = max(1, round(h * share)), max(1, round(w * share))
    band = np.ones((h, w), bool)
    band[dy:-dy, dx:-dx] = False
    return band


def _kind(colour: tuple[int, ...], white_share: float, share: float, spread: float) -> str:
    """Name the background: white, off-white, grey, coloured, gradient or scene (``share``
    is the background's share of the image, 1 for a margin round the whole edge)."""
    if share < MIN_PLAIN_SHARE:
        return "scene"
    lo, hi = min(colour), max(colour)
    if white_share >= (0.5 if lo >= PURE_LEVEL else GREY_WHITE_SHARE):
        return "white"
    if spread > 30:
        return "gradient"
    if hi - lo > 24:
        return "coloured"
    if lo >= 232:
        return "off-white"
    return "grey"


def _flood_background(work: np.ndarray) -> np.ndarray:
    """Grow smooth regions from the edges; keep the main one and its look-alikes."""
    h, w = work.shape[:2]
    smooth = cv2.GaussianBlur(work, (3, 3), 0)
    labels = np.zeros((h + 2, w + 2), np.uint8)
    step = (FLOOD_STEP,) * 3
    region = 0
    for y, x in _edge_seeds(h, w):
        if labels[y + 1, x + 1]:
            continue
        region += 1
        if region > 255:
            break
        flags = 4 | cv2.FLOODFILL_MASK_ONLY | (region << 8)
        cv2.floodFill(smooth, labels, (int(x), int(y)), (0, 0, 0), step, step, flags)
    inner = labels[1:-1, 1:-1]
    if region == 0:
        return np.zeros((h, w), bool)
    sizes = np.bincount(inner.ravel(), minlength=256)
    # Region colours from every other pixel each way: plenty, and four times cheaper.
    sample = inner[::2, ::2].ravel()
    counts = np.bincount(sample, minlength=256)
    means = np.stack(
        [np.bincount(sample, weights=smooth[::2, ::2, c].ravel(), minlength=256)
         for c in range(3)],
        axis=1,
    ) / np.maximum(counts, 1)[:, None]
    big = sizes >= 0.002 * h * w
    # The main background is the region holding most of the outer band (not the largest
    # region: a dark product filling the frame can be larger than the white around it).
    # White regions together holding a good part of the band win even so: a product
    # touching the edges may hold more of the band than the white backdrop around it.
    band_labels = inner[_outer_band((h, w), 0.03)]
    band_counts = np.bincount(band_labels, minlength=256)
    band_counts[0] = 0
    white = big & near_white(means)
    if band_counts[white].sum() >= WHITE_BAND_SHARE * band_labels.size:
        band_counts[~white] = 0
    main = int(np.argmax(band_counts))
    keep = big & (channel_max(np.abs(means - means[main])) <= SAME_COLOUR)
    keep[0] = False
    keep[main] = True
    return np.asarray(keep[inner])


def _edge_seeds(h: int, w: int) -> list[tuple[int, int]]:
    """Seed points along the four edges, and along a ring just inside them (so a thin
    outline or frame does not hide the background within it)."""
    seeds = []
    for inset in (0, max(2, round(0.015 * min(h, w)))):
        top, bottom, left, right = inset, h - 1 - inset, inset, w - 1 - inset
        if top > bottom or left > right:
            break
        xs = range(left, right + 1, SEED_STEP)
        ys = range(top, bottom + 1, SEED_STEP)
        seeds += [(top, x) for x in xs] + [(bottom, x) for x in xs]
        seeds += [(y, left) for y in ys] + [(y, right) for y in ys]
    return seeds
