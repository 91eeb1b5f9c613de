"""The working copy most facts are measured on, and the map from its pixels to the image's."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from imagecheck.findings import Box

#: Long side, in pixels, of the working copy most facts are computed on.
WORK_SIDE = 400


@dataclass(frozen=True)
class WorkMap:
    """How a working copy, ``scale`` times smaller than a ``width`` x ``height`` image,
    maps to that image's pixels."""

    scale: int
    width: int
    height: int

    @classmethod
    def of(cls, width: int, height: int) -> WorkMap:
        """The map of an image's working copy: the smallest whole factor that brings the
        long side to at most :data:`WORK_SIDE` (a whole factor makes the area-average
        downscale fast and exact)."""
        return cls(max(1, -(-max(width, height) // WORK_SIDE)), width, height)

    @property
    def size(self) -> tuple[int, int]:
        """The working copy's width and height."""
        k = self.scale
        return max(1, self.width // k), max(1, self.height // k)

    def shrink(self, array: np.ndarray) -> np.ndarray:
        """``array`` (an image-sized RGB or single-channel array) at working size."""
        if self.scale == 1:
            return array
        w, h = self.size
        k = self.scale
        return cv2.resize(array[: h * k, : w * k], (w, h), interpolation=cv2.INTER_AREA)

    def to_original(self, box: tuple[int, int, int, int]) -> Box:
        """A working-size box in original-image pixels, clipped to the image."""
        s = self.scale
        x0, y0, x1, y1 = box
        return (
            max(0, int(x0 * s)),
            max(0, int(y0 * s)),
            min(self.width, int(np.ceil(x1 * s))),
            min(self.height, int(np.ceil(y1 * s))),
        )
