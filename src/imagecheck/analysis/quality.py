"""Sharpness: how crisp the subject's edges are, independent of size and contrast."""

from __future__ import annotations

import cv2
import numpy as np

#: Sharpness is measured on a copy whose long side is at most this (full size below it).
SHARP_SIDE = 1000


def sharpness(gray: np.ndarray, box: tuple[int, int, int, int] | None) -> float:
    """Edge crispness of ``gray`` inside ``box``: the strongest Laplacian responses
    relative to the strongest gradients there. A sharp step edge scores about 1 or
    more; blur spreads the edge and the score falls roughly as 1 / blur radius."""
    if box is not None:
        x0, y0, x1, y1 = box
        if x1 - x0 >= 16 and y1 - y0 >= 16:
            gray = gray[y0:y1, x0:x1]
    h, w = gray.shape
    scale = SHARP_SIDE / max(h, w)
    if scale < 1.0:
        gray = cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))),
                          interpolation=cv2.INTER_AREA)
    g = gray.astype(np.float32)
    lap = np.abs(cv2.Laplacian(g, cv2.CV_32F, ksize=1))
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 4.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 4.0
    grad = cv2.magnitude(gx, gy)
    top_grad = float(np.percentile(grad, 99.5))
    if top_grad < 4.0:
        return 0.0
    return float(np.percentile(lap, 99.5)) / top_grad
