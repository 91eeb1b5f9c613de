"""Cutting the product out of a plain coloured, grey or dark backdrop (BG101) and setting
it on white.

The analysis' background mask seeds it: the backdrop's colour is measured locally round
every pixel (as whitening does), enclosed patches of that colour (the gap between an arm
and a body) join it, and in a thin band along the product's outline a colour-difference
matte (each pixel's position between the backdrop's colour and the product's nearby
colour) sets how much of it is backdrop. That share of the backdrop's colour is swapped
for the white ground (no dark or coloured fringe), the rest of the backdrop turns white,
keeping a soft contact shadow as neutral grey where the backdrop is light enough to tell
a shadow from noise; the product's pixels off the band are not touched.

Only where the analysis supports it: a plain backdrop (one colour, no texture, a good part
of the image), a product that stands apart from it (its outline and parts differ from the
backdrop's colour, the backdrop does not show through it, it is not itself white, its
dark parts cannot be taken for its shadow), and a product on the backdrop rather than a
photo framed by it; and only where the cut comes out clean (no fine detail left on the
ground, no fringe of the backdrop's colour round the product).
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.pixels import LUMA_WEIGHTS, channel_min, luma
from imagecheck.fix.whiten import full_size, local_background, spread
from imagecheck.i18n import msg

#: The backdrop must cover at least this share of the image ...
MIN_SHARE = 0.2
#: ... vary by at most this much in luma from its darkest to its lightest (5th to 95th
#: percentile: a studio sweep's fall-off, not a scene's sky and sand) ...
MAX_SPREAD = 80
#: ... and 90% of its pixels within this many levels of its local colour (the flood did
#: not run into the product) ...
MAX_RESIDUAL = 20
#: ... and of the average of the backdrop within a few pixels (no texture: wood grain,
#: carpet, brick, knit).
MAX_TEXTURE = 3.5
TEXTURE_SIGMA = 2.0
#: On a backdrop darker than this (luma), 90% of it within ``DARK_REACH`` working pixels of
#: the product must lie within ``DARK_RESIDUAL`` levels of its local colour: more is a dark
#: part of the product that the flood took for backdrop.
DARK_LEVEL = 60
DARK_REACH = 12
DARK_RESIDUAL = 12
#: The product may run off at most this many edges (more: it fills the frame, a scene).
MAX_TOUCHES = 2
#: At most this many separate parts may stand on the backdrop (more: a layout of text
#: lines and graphics, whose fine strokes a matte would fray).
MAX_PARTS = 3
#: A subject filling this share of its box is a photo framed by the backdrop (a mat, a
#: letterbox), not a product standing on it.
MAX_RECTANGULAR = 0.99
#: The product's outline: its pixels this many working pixels inside its edge (past the
#: soft, blended edge itself).
OUTLINE_DEPTH = (2.0, 3.5)
#: Along the product's outline, a pixel this close (largest channel difference) to the
#: local backdrop colour blends with it ...
CONTRAST = 40
#: ... and at most this share of the outline may (more: the product shares the backdrop's
#: colour, and a cut would run through it).
MAX_BLENDING = 0.25
#: At least this share of each part of the product must lie this deep inside its edge:
#: where the backdrop's colour runs into the product, the flood takes it and leaves thin
#: fragments; text strokes are thin too, and a matte would fray them.
MIN_SOLID = 0.7
SOLID_DEPTH = 3.0
#: At most this share of the product (less its enclosed patches and shadow) may be this
#: close to the backdrop's colour: more, and the backdrop shows through it.
SEE_THROUGH = 20
MAX_SEE_THROUGH = 0.15
#: At most this share of the product may be near-white (it would fade into the ground).
MAX_WHITE = 0.5
WHITE_LEVEL = 225
#: Enclosed patches of at least this share of the image, of pixels this close to the
#: local backdrop colour, are backdrop too where the product rings them (at most
#: ``MAX_BLENDING`` of the ring round them within ``CONTRAST`` of the backdrop).
HOLE_SHARE = 0.002
HOLE_NEAR = 12
#: The product's shadow on the backdrop: pixels of the backdrop's colour at this share of
#: its level or more, in patches next to it of at most this share of the product's area.
MIN_SHADE = 0.3
MAX_SHADOW = 0.15
#: A shadow fades into the ground: its pixels next to it differ from the ground beside
#: them by at most this much in luma (median; a dark part of the product meets it with a
#: step).
SOFT_STEP = 12
#: Where the shaded backdrop's channels are less than ``SHADOW_HUE`` apart, a shadow is as
#: neutral as a black or grey part of the product: such pixels may make at most this
#: share of the product.
SHADOW_HUE = 30
MAX_UNSURE = 0.1
#: In the band along the outline, the matte needs the product's colour measured on at
#: least this weight of its pixels nearby (less: a thin stroke, kept as it is).
MIN_SUPPORT = 0.02
#: A band pixel farther than this (largest channel difference) from the line between the
#: backdrop's colour and the product's is neither: it is kept as product.
OFF_LINE = 40
#: At most this share of the ground (at full size) may differ from the backdrop by more
#: than ``CONTRAST``: more is detail finer than the working mask (thin lines, small text).
MAX_STRAY = 0.002
#: At most this share of the ring round the product may keep the backdrop's colour
#: (within this many levels of it) after the cut.
MAX_FRINGE = 0.02
FRINGE_NEAR = 24
#: Contact shadows are kept (as neutral grey) only on a backdrop at least this light in
#: luma; on a darker one a shadow cannot be told from noise, and the ground is pure white.
SHADOW_LEVEL = 90
#: Shading within this share of the backdrop's luma is noise: pure white.
SHADOW_DEADZONE = 0.06
#: Shading is kept next to the product, fading out over this share of the image's long
#: side (farther off it is the backdrop's own fall-off or a fold, not the product's).
SHADOW_REACH = 0.08


class _Ground(NamedTuple):
    """The ground a cut-out makes white: the background mask with the enclosed patches of
    the backdrop's colour (ringed by the product's other colours) and the product's
    shadow next to it; how many patches were added and how many left out (not clearly
    ringed by the product); the shadow's share of the image; and the share of the
    product that the shadow takes on a neutral backdrop (where it could as well be a black
    or grey part of the product)."""

    mask: np.ndarray
    holes: int
    left: int
    shadow: float
    unsure: float


def _judge(facts: Facts, est: np.ndarray) -> _Ground | str:
    """Why the product of ``facts`` cannot be cut out of its backdrop (of local colour
    ``est``), or the ground to make white."""
    bg, subject = facts.background, facts.subject
    hexcolour = "#{:02X}{:02X}{:02X}".format(*bg.colour)
    if bg.kind == "scene" or bg.share < MIN_SHARE:
        return msg("a scene with no plain background: a cut-out needs a plain backdrop")
    if subject.box is None:
        return msg("no product found to cut out")
    if bg.spread > MAX_SPREAD:
        return msg("the backdrop ({colour}) shades too much to tell it from the product",
                   colour=hexcolour)
    if len(subject.touches) > MAX_TOUCHES:
        return msg("the product fills the frame: no backdrop round it to cut away")
    pixels = facts.work.astype(np.float32)
    residual = np.abs(pixels - est).max(axis=2)
    texture = np.abs(pixels - spread(pixels, bg.mask, TEXTURE_SIGMA)).max(axis=2)
    if (np.percentile(residual[bg.mask], 90) > MAX_RESIDUAL
            or np.percentile(texture[bg.mask], 90) > MAX_TEXTURE):
        return msg("the backdrop ({colour}) is textured, not plain: a cut-out would not be"
                   " clean", colour=hexcolour)
    reach = np.ones((2 * DARK_REACH + 1, 2 * DARK_REACH + 1), np.uint8)
    beside = cv2.dilate(subject.mask.astype(np.uint8), reach).astype(bool) & bg.mask
    if (float(np.dot(bg.colour, LUMA_WEIGHTS)) < DARK_LEVEL and beside.any()
            and np.percentile(residual[beside], 90) > DARK_RESIDUAL):
        return msg("the backdrop ({colour}) is dark and uneven next to the product: a dark"
                   " part of the product may have merged with it", colour=hexcolour)
    sx0, sy0, sx1, sy1 = (v / facts.scale for v in subject.box)
    if subject.mask.sum() >= MAX_RECTANGULAR * (sx1 - sx0) * (sy1 - sy0):
        return msg("the backdrop frames a photo, not a product standing on it")
    return _apart(facts, est, residual, hexcolour)


def _apart(facts: Facts, est: np.ndarray, residual: np.ndarray, hexcolour: str
           ) -> _Ground | str:
    """Why the product of ``facts`` does not stand clearly apart from its backdrop (of
    local colour ``est``; ``residual``: each pixel's largest difference from it), or the
    ground to make white."""
    mask = facts.subject.mask
    depth = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)
    outline = (depth >= OUTLINE_DEPTH[0]) & (depth <= OUTLINE_DEPTH[1])
    if not outline.any():
        return msg("no product found to cut out")
    blending = (residual[outline] <= CONTRAST).mean()
    if blending > MAX_BLENDING:
        return msg("the product shares the backdrop's colour ({colour}) along {share:.0%}"
                   " of its outline: a cut would run through it", colour=hexcolour,
                   share=blending)
    parts, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    deep = np.bincount(labels[depth >= SOLID_DEPTH], minlength=parts)[1:]
    if (deep < MIN_SOLID * np.bincount(labels[mask], minlength=parts)[1:]).any():
        return msg("thin parts stand on the backdrop ({colour}): strokes, lines, or what"
                   " is left of a product of its colour; a cut would fray or run through"
                   " them", colour=hexcolour)
    if parts - 1 > MAX_PARTS:
        return msg("{parts} separate parts stand on the backdrop (a layout with text or"
                   " graphics): a cut-out would lose their edges", parts=parts - 1)
    ground = _ground(facts, est)
    if ground.unsure > MAX_UNSURE:
        return msg("on a neutral backdrop ({colour}), dark parts next to the product cannot"
                   " be told from its shadow", colour=hexcolour)
    if ground.left:
        return msg("patches of the backdrop's colour ({colour}) lie within the product's"
                   " outline, not clearly ringed by it: a cut-out cannot tell which is"
                   " which", colour=hexcolour)
    inside = mask & ~ground.mask
    if (residual[inside] <= SEE_THROUGH).mean() > MAX_SEE_THROUGH:
        return msg("the backdrop ({colour}) shows through the product (glass, mesh): a"
                   " cut-out cannot tell which is which", colour=hexcolour)
    if (channel_min(facts.work[mask]) >= WHITE_LEVEL).mean() > MAX_WHITE:
        return msg("the product is mostly white: on a white ground it would fade away")
    return ground


def cut_out(rgb: np.ndarray, facts: Facts) -> dict[str, object] | str:
    """Set the product of ``rgb`` (the image ``facts`` describes) on white in place;
    returns the parameters (the backdrop colour, the enclosed patches and the shadow
    joined to the ground, whether the shadow was kept as grey), or why the analysis does
    not support a cut-out (``rgb`` is then untouched), including, once cut, detail finer
    than the analysis' mask on the backdrop or a fringe of the backdrop's colour left
    along the product's edge."""
    est = local_background(facts.work, facts.background.mask)
    found = _judge(facts, est)
    if isinstance(found, str):
        return found
    h, w = rgb.shape[:2]
    k = facts.scale
    ground = full_size(found.mask, k, h, w).astype(bool)
    backdrop = cv2.resize(est, (w, h), interpolation=cv2.INTER_LINEAR)
    pixels = rgb.astype(np.float32)
    level = luma(backdrop)
    # The ground's shading, as a share of its backdrop's level round every pixel.
    ratio = np.minimum(spread(luma(pixels) / np.maximum(level, 1.0), ground, k), 1.0)
    keep_shadow = float(np.median(level[ground])) >= SHADOW_LEVEL
    white = np.full((h, w), 255.0, np.float32)
    if keep_shadow:  # near the product only: farther off, shading is the backdrop's own
        product = facts.subject.mask & ~found.mask
        away = cv2.distanceTransform((~product).astype(np.uint8), cv2.DIST_L2, 3)
        away /= max(product.shape)
        fade = cv2.resize(np.clip(1 - away / SHADOW_REACH, 0, 1), (w, h))
        white -= (1 - np.minimum(ratio / (1 - SHADOW_DEADZONE), 1.0)) * fade * 255
    cross = np.ones((2 * k + 1, 2 * k + 1), np.uint8)
    sure = cv2.erode(ground.astype(np.uint8), cross).astype(bool)
    reach = cv2.dilate(ground.astype(np.uint8), cross).astype(bool)
    band = reach & ~sure
    # The product's colour just inside its edge, and how much of the product there is.
    inner = spread(pixels, ~reach, 2.0 * k)
    support = cv2.GaussianBlur((~reach).astype(np.float32), (0, 0), 2.0 * k)
    stray = np.abs(pixels[sure] - backdrop[sure] * ratio[sure][:, None]).max(axis=1) > CONTRAST
    if stray.mean() > MAX_STRAY:
        return msg("fine detail (thin lines, small text) stands on the backdrop: a cut-out"
                   " would lose it")
    out = pixels.copy()
    out[sure] = white[sure][:, None]
    ys, xs = np.nonzero(band)
    p, f = pixels[ys, xs], inner[ys, xs]
    b = backdrop[ys, xs] * ratio[ys, xs][:, None]  # the (shaded) backdrop there
    gap = f - b
    alpha = np.clip(((p - b) * gap).sum(axis=1) / np.maximum((gap * gap).sum(axis=1), 1.0),
                    0, 1)
    # A band pixel off the line from the backdrop's colour to the product's (a
    # highlight, a rim of another colour) is product, as is one where the product nearby
    # is the backdrop's colour, or too thin (a stroke) to measure its colour.
    off = np.abs(p - b - alpha[:, None] * gap).max(axis=1) > OFF_LINE
    alpha[off | (np.abs(gap).max(axis=1) < HOLE_NEAR)
          | (support[ys, xs] < MIN_SUPPORT)] = 1.0
    out[ys, xs] = p + (1 - alpha)[:, None] * (white[ys, xs][:, None] - b)
    if (fringe := _fringe(out, backdrop, white, ~reach, k)) > MAX_FRINGE:
        return msg("{share:.0%} of the product's edge would keep a fringe of the backdrop's"
                   " colour: a cut-out would not be clean", share=fringe)
    rgb[:] = np.clip(out + 0.5, 0, 255)
    return {"background": "#{:02X}{:02X}{:02X}".format(*facts.background.colour),
            "enclosed": found.holes, "shadow_share": round(found.shadow, 4),
            "shadow_kept": keep_shadow}


def _fringe(out: np.ndarray, backdrop: np.ndarray, white: np.ndarray, product: np.ndarray,
            k: int) -> float:
    """The share of the ring round the ``product`` (3 working pixels wide) that the
    cut-out ``out`` leaves the backdrop's colour rather than its white (or grey, in a
    shadow) ground."""
    ring = cv2.dilate(product.astype(np.uint8), np.ones((6 * k + 1,) * 2, np.uint8))
    ys, xs = np.nonzero(ring.astype(bool) & ~product)
    if not len(ys):
        return 0.0
    pixels, colour, ground = out[ys, xs], backdrop[ys, xs], white[ys, xs][:, None]
    tol = np.minimum(FRINGE_NEAR, np.abs(ground - colour).max(axis=1) / 2)
    near = np.abs(pixels - colour).max(axis=1) <= tol
    return float((near & (np.abs(pixels - ground).max(axis=1) > tol)).mean())


def _ground(facts: Facts, est: np.ndarray) -> _Ground:
    """The ground of ``facts`` (see :class:`_Ground`), ``est`` the backdrop's local colour."""
    subject = facts.subject.mask
    mask = facts.background.mask | ~subject  # with the specks the analysis left out
    pixels = facts.work.astype(np.float32)
    # The backdrop darkened: the product's contact shadow, which the flood stops short of.
    shade = (pixels * est).sum(axis=2) / np.maximum((est * est).sum(axis=2), 1.0)
    dim = ((np.abs(pixels - shade[..., None] * est).max(axis=2) <= HOLE_NEAR)
           & (shade >= MIN_SHADE) & (shade < 1) & ~mask)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dim.astype(np.uint8),
                                                           connectivity=8)
    # A shadow lies between the ground and the product (text in a darker shade of the
    # backdrop stands alone), fades into the ground (a dark part of the product meets it
    # with a step) and is not large.
    beside = _touching(labels, n, mask) & _touching(labels, n, subject & ~dim)
    small = stats[:, cv2.CC_STAT_AREA] <= MAX_SHADOW * subject.sum()
    # Where the shaded backdrop has too little hue left, a shadow is as neutral as a black
    # or grey part of the product: on a neutral backdrop, the pixels that could be either
    # are taken for shadow where little of the product could be; on a backdrop of a hue,
    # they are left to the product.
    tint = est.max(axis=2) - est.min(axis=2)
    hued = shade * tint >= SHADOW_HUE
    shadow = ((beside & small & _soft(labels, n, dim, mask, pixels))[labels] & dim
              & (hued | (tint < SHADOW_HUE)))
    unsure = float((beside[labels] & dim & ~hued).sum() / max(1, subject.sum()))
    mask = mask | shadow
    near = (np.abs(pixels - est).max(axis=2) <= HOLE_NEAR) & ~mask
    n, labels, stats, _ = cv2.connectedComponentsWithStats(near.astype(np.uint8),
                                                           connectivity=8)
    holes = left = 0
    for i in np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= HOLE_SHARE * mask.size):
        if i == 0:
            continue
        patch = labels == i
        edge = cv2.dilate(patch.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        edge &= ~patch & ~mask
        if edge.any() and (np.abs(pixels[edge] - est[edge]).max(axis=1)
                           <= CONTRAST).mean() <= MAX_BLENDING:
            mask = mask | patch
            holes += 1
        else:
            left += 1
    return _Ground(mask, holes, left, float(shadow.mean()), unsure)


def _soft(labels: np.ndarray, n: int, dim: np.ndarray, ground: np.ndarray,
          pixels: np.ndarray) -> np.ndarray:
    """Which of the ``n`` labelled ``dim`` regions fade into the ``ground``: the median
    luma step from their pixels next to it to the ground's pixels beside them is at most
    :data:`SOFT_STEP`."""
    level = luma(pixels)
    weight = ground.astype(np.float32)
    count = cv2.blur(weight, (3, 3))
    edge = dim & (count > 0)
    step = np.abs(level - cv2.blur(level * weight, (3, 3)) / np.maximum(count, 1e-6))
    soft = np.zeros(n, bool)
    for i in np.unique(labels[edge]):
        soft[i] = np.median(step[edge & (labels == i)]) <= SOFT_STEP
    soft[0] = False
    return soft


def _touching(labels: np.ndarray, n: int, where: np.ndarray) -> np.ndarray:
    """Which of the ``n`` labelled regions (label 0: none) touch the pixels ``where``."""
    ring = cv2.dilate(where.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    touch = np.bincount(labels[ring], minlength=n) > 0
    touch[0] = False
    return np.asarray(touch)
