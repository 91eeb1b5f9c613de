"""Is the image a drawn graphic (a logo, a seal, a sign, clip-art) rather than a photo?

A photo of a product, even a flat one, carries shading, texture and sensor noise: its
content has many small colour steps. A drawn graphic is a few flat fills with crisp
anti-aliased edges: its content sits in a handful of colours and its gradients are
either nil or steep. :func:`graphic_features` measures that with cheap statistics of the
working copy; a logistic model (``imagecheck/models/graphic.json``, trained by
``training/graphic/train.py`` on rendered graphics against real product photos, no
listing-dev image) turns them into a probability.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from imagecheck.analysis.ocr import ModelInfo

#: The shipped model: feature names, standardisation and logistic weights.
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "graphic.json"
#: Probability from which the image counts as a graphic (the rules' default); the
#: training script sets it on photos alone and writes it into the model file, and a test
#: keeps the two equal.
GRAPHIC_THRESHOLD = 0.92
#: Per-channel difference from the edge colour that makes a pixel content.
CONTENT_DIFF = 24
#: Feature names, in the order :func:`graphic_features` returns them.
FEATURES = (
    "content_share",
    "top1", "top2", "top4", "top8", "palette_entropy", "bins_used",
    "grad_nil", "grad_low", "grad_mid", "grad_steep", "mid_per_steep",
    "flat_share", "edge_density",
    "sat_mean", "sat_high", "hue_top2",
    "gray_levels90", "nonflat_at_edge", "flat_top3",
)


def graphic_features(work: np.ndarray) -> np.ndarray:
    """The statistics the model reads, from an RGB working copy (long side <= 400)."""
    h, w = work.shape[:2]
    edge = np.concatenate([work[0], work[-1], work[:, 0], work[:, -1]])
    ground = np.median(edge, axis=0).astype(np.uint8)
    # A scalar second operand (OpenCV's Scalar; its stubs know only arrays) saves a copy.
    diff = cv2.absdiff(work, (*(float(v) for v in ground), 0.0))  # type: ignore[call-overload]
    content = cv2.max(cv2.max(diff[..., 0], diff[..., 1]), diff[..., 2]) > CONTENT_DIFF
    n = int(content.sum())
    share = n / (h * w)
    if n < 0.005 * h * w:
        content = np.ones((h, w), bool)  # no content apart from the edge colour: all of it
        n = h * w
    # Palette: 4 bits a channel over the content.
    q = (work[content] >> 4).astype(np.int32)
    codes = (q[:, 0] << 8) | (q[:, 1] << 4) | q[:, 2]
    counts = np.sort(np.bincount(codes, minlength=4096))[::-1] / n
    cum = np.cumsum(counts)
    nz = counts[counts > 0]
    entropy = float(-(nz * np.log2(nz)).sum())
    bins_used = float((counts > 0.005).sum())
    # Gradients of the grey copy, over the content.
    gray = cv2.cvtColor(work, cv2.COLOR_RGB2GRAY).astype(np.float32)
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3) / 8
    magnitude = cv2.magnitude(gx, gy)
    g = magnitude[content]
    nil, low = float((g < 1).mean()), float(((g >= 1) & (g < 4)).mean())
    mid, steep = float(((g >= 4) & (g < 20)).mean()), float((g >= 20).mean())
    # Flat: a 3x3 neighbourhood spanning at most 3 grey levels.
    k = np.ones((3, 3), np.uint8)
    g8 = gray.astype(np.uint8)
    span = cv2.dilate(g8, k).astype(np.int16) - cv2.erode(g8, k)
    flat = float((span[content] <= 3).mean())
    # Where a graphic is not flat it is at an edge (anti-aliasing, ringing); a photo's
    # shading and texture lie away from edges.
    near_edge = cv2.dilate((magnitude >= 20).astype(np.uint8), np.ones((5, 5), np.uint8))
    rough = content & (span > 3)
    at_edge = float(near_edge[rough].mean()) if rough.any() else 1.0
    # The flat parts of a graphic are a few fills.
    smooth = content & (span <= 3)
    if smooth.any():
        fq = (work[smooth] >> 3).astype(np.int32)
        fc = np.bincount((fq[:, 0] << 10) | (fq[:, 1] << 5) | fq[:, 2])
        flat_top3 = float(np.sort(fc)[::-1][:3].sum() / fc.sum())
    else:
        flat_top3 = 0.0
    edges = cv2.Canny(g8, 60, 150) > 0
    edge_density = float(edges[content].mean())
    # Colour.
    hsv = cv2.cvtColor(work, cv2.COLOR_RGB2HSV)
    sat = hsv[..., 1][content].astype(np.float32) / 255
    hue = hsv[..., 0][content][sat > 0.3]
    if hue.size:
        hh = np.sort(np.bincount(hue // 10, minlength=18))[::-1] / hue.size
        hue_top2 = float(hh[:2].sum())
    else:
        hue_top2 = 1.0
    levels = np.sort(np.bincount(g8[content], minlength=256))[::-1]
    levels90 = float(np.searchsorted(np.cumsum(levels), 0.9 * n) + 1) / 256
    return np.array([
        share,
        cum[0], cum[1], cum[3], cum[7], entropy, bins_used,
        nil, low, mid, steep, mid / (steep + 0.01),
        flat, edge_density,
        float(sat.mean()), float((sat > 0.5).mean()), hue_top2,
        levels90, at_edge, flat_top3,
    ], np.float64)


@dataclass(frozen=True)
class GraphicModel:
    """The logistic model: standardise, weigh, squash."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    sha256: str
    path: str
    version: str
    licence: str

    def info(self) -> ModelInfo:
        """The model's row in ``imagecheck models``."""
        return ModelInfo("graphic-vs-photo", self.version, self.path, self.sha256, self.licence)

    def probability(self, features: np.ndarray) -> float:
        z = float(((features - self.mean) / self.scale) @ self.weights + self.bias)
        return float(1.0 / (1.0 + np.exp(-z)))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> GraphicModel:
    """The shipped model (read once per process)."""
    data = path.read_bytes()
    spec = json.loads(data)
    if tuple(spec["features"]) != FEATURES:
        raise ValueError(f"{path}: its features do not match this version of imagecheck")
    return GraphicModel(
        mean=np.asarray(spec["mean"]), scale=np.asarray(spec["scale"]),
        weights=np.asarray(spec["weights"]), bias=float(spec["bias"]),
        threshold=float(spec["threshold"]), sha256=hashlib.sha256(data).hexdigest(),
        path=str(path), version=f"imagecheck graphic {spec['version']}",
        licence=str(spec["licence"]),
    )


@dataclass(frozen=True)
class GraphicFacts:
    """How likely the image is a drawn graphic, not a photo (0-1)."""

    probability: float


def analyse_graphic(work: np.ndarray) -> GraphicFacts:
    """The model's probability that ``work`` (the working copy) is a drawn graphic."""
    return GraphicFacts(round(load_model().probability(graphic_features(work)), 4))
