"""Whitening an off-white or light-grey plain background (BG101) through the background
mask only: each background pixel is scaled by white over the local background colour, so
the ground turns white and a soft contact shadow keeps its depth; the product's pixels are
not touched."""

from __future__ import annotations

import cv2
import numpy as np

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.pixels import luma
from imagecheck.i18n import msg, term

#: Background kinds that may be whitened (coloured backdrops and scenes need a cut-out).
WHITENABLE = ("white", "off-white", "grey", "gradient")
#: The local background colour must be at least this light in every channel ...
MIN_LEVEL = 150
#: ... and this neutral (largest channel difference).
MAX_TINT = 24
#: Pixels more than this much darker than the local background are shadow: left out of
#: the estimate of the background colour.
SHADOW_STEP = 8
#: Levels of sensor noise below the local background colour still turned pure white.
NOISE = 4
#: In the band along the product's outline, a pixel is background where every channel is
#: within this of the local background colour.
NEAR = 12


def refuse(facts: Facts) -> str | None:
    """Why the background of ``facts`` cannot be whitened, or ``None``."""
    bg = facts.background
    hexcolour = "#{:02X}{:02X}{:02X}".format(*bg.colour)
    if bg.kind == "scene":
        return msg("a scene with no plain background: making it white needs a cut-out of the"
                   " product")
    if bg.kind not in WHITENABLE:
        return msg("the background is {kind} ({colour}): making it white needs a cut-out of"
                   " the product", kind=term(bg.kind), colour=hexcolour)
    if min(bg.colour) < MIN_LEVEL or max(bg.colour) - min(bg.colour) > MAX_TINT:
        return msg("the background ({colour}) is too dark or tinted to whiten without a"
                   " cut-out of the product", colour=hexcolour)
    return None


def whiten(rgb: np.ndarray, facts: Facts) -> dict[str, object]:
    """Whiten the background of ``rgb`` (the image ``facts`` describes) in place; returns
    the parameters (the background colour and the largest gain)."""
    mask = facts.background.mask
    est = local_background(facts.work, mask)
    h, w = rgb.shape[:2]
    k = facts.scale
    full_mask = full_size(mask, k, h, w)
    full_est = cv2.resize(est, (w, h), interpolation=cv2.INTER_LINEAR)
    sure = cv2.erode(full_mask, np.ones((2 * k + 1, 2 * k + 1), np.uint8)).astype(bool)
    band = cv2.dilate(full_mask, np.ones((2 * k + 1, 2 * k + 1), np.uint8)).astype(bool) & ~sure
    pixels = rgb.astype(np.float32)
    ys, xs = np.nonzero(band)  # a thin ring: measured there only
    near = np.abs(pixels[ys, xs] - full_est[ys, xs]).max(axis=1) <= NEAR
    touched = sure  # the sure background, and the band's pixels near the ground colour
    touched[ys[near], xs[near]] = True
    weight = cv2.blur(touched.astype(np.float32), (3, 3))[..., None]
    # pixels + (min(pixels * gain, 255) - pixels) * weight, in place in one buffer (the
    # full-size float arrays dominate the cost on a large image).
    out = np.asarray(full_est, np.float32)  # (no copy: it is float32 already)
    out -= NOISE
    np.maximum(out, 1.0, out=out)
    np.divide(255.0, out, out=out)  # the gain
    max_gain = float(out.max())
    out *= pixels
    np.minimum(out, 255.0, out=out)
    out -= pixels
    out *= weight
    out += pixels + 0.5
    rgb[:] = np.clip(out, 0, 255, out=out)
    return {"background": "#{:02X}{:02X}{:02X}".format(*facts.background.colour),
            "max_gain": round(max_gain, 3)}


def full_size(mask: np.ndarray, k: int, h: int, w: int) -> np.ndarray:
    """The working ``mask`` (``k`` times smaller) at the image's ``h`` x ``w``, as 0/1
    bytes: it covers whole multiples of the scale; the few rows and columns beyond it
    take the nearest."""
    full = cv2.resize(mask.astype(np.uint8), (mask.shape[1] * k, mask.shape[0] * k),
                      interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(full, 0, max(0, h - full.shape[0]), 0,
                              max(0, w - full.shape[1]), cv2.BORDER_REPLICATE)[:h, :w]


def local_background(work: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The background colour at every working pixel: a wide average of the background
    pixels round it (normalised convolution), shadows left out."""
    h, w = mask.shape
    sigma = max(h, w) / 8
    pixels = work.astype(np.float32)
    est = spread(pixels, mask, sigma)
    lit = mask & (luma(pixels) >= luma(est) - SHADOW_STEP)
    if lit.sum() >= 0.5 * mask.sum():
        est = spread(pixels, lit, sigma)
    return est


def spread(pixels: np.ndarray, where: np.ndarray, sigma: float) -> np.ndarray:
    """The average of ``pixels`` (H x W, or H x W x C) ``where`` the mask is set, round
    every pixel (normalised convolution, a Gaussian of ``sigma``)."""
    weight = where.astype(np.float32)
    den = cv2.GaussianBlur(weight, (0, 0), sigma)
    if pixels.ndim == 3:
        weight, den = weight[..., None], den[..., None]
    num = cv2.GaussianBlur(pixels * weight, (0, 0), sigma)
    return np.asarray(num / np.maximum(den, 1e-6), np.float32)
