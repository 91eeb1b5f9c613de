"""Per-pixel channel reductions (luma; the smallest and largest channel, much faster than
``array.max(axis=-1)`` over 3 channels)."""

from __future__ import annotations

import cv2
import numpy as np

#: Rec. 601 weights of red, green and blue in luma.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], np.float32)


def luma(a: np.ndarray) -> np.ndarray:
    """The luma of every pixel of ``a`` (..., 3), as float32."""
    return np.asarray(a.astype(np.float32, copy=False) @ LUMA_WEIGHTS)


def channel_min(a: np.ndarray) -> np.ndarray:
    """The smallest of the three channels of every pixel of ``a`` (..., 3)."""
    return np.asarray(np.minimum(np.minimum(a[..., 0], a[..., 1]), a[..., 2]))


def channel_max(a: np.ndarray) -> np.ndarray:
    """The largest of the three channels of every pixel of ``a`` (..., 3)."""
    return np.asarray(np.maximum(np.maximum(a[..., 0], a[..., 1]), a[..., 2]))


def median_colour(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``np.median(rgb[mask], axis=0)`` of a uint8 image: the same float64 values, from
    per-channel histograms rather than sorting every pixel; ``mask`` must not be empty."""
    if mask.size >= 1 << 24:  # beyond what float32 histogram counts hold exactly
        return np.asarray(np.median(rgb[mask], axis=0))
    rgb = np.ascontiguousarray(rgb)
    weights = mask.view(np.uint8) if mask.dtype == bool else mask.astype(np.uint8)
    out = np.empty(rgb.shape[-1], np.float64)
    for c in range(rgb.shape[-1]):
        counts = np.cumsum(cv2.calcHist([rgb], [c], weights, [256], [0, 256]).ravel())
        n = counts[-1]
        lo, hi = np.searchsorted(counts, [(n - 1) // 2, n // 2], side="right")
        out[c] = (lo + hi) / 2
    return out
