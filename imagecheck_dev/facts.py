"""A synthetic image as the loader would hand it over, and its facts: the one way tests
build :class:`~imagecheck.analysis.facts.Facts` without a file."""

from __future__ import annotations

import numpy as np

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.loading import LoadedImage


def loaded(rgb: np.ndarray, file_size: int = 0) -> LoadedImage:
    """``rgb`` as if decoded from a PNG file of ``file_size`` bytes (nothing flattened,
    rotated or cut)."""
    return LoadedImage(rgb, "PNG", "RGB", file_size, 0.0, None, 1, False)


def facts_of(rgb: np.ndarray, options: AnalysisOptions | None = None, *, file_size: int = 0,
             role: str = "main") -> Facts:
    """The facts of ``rgb`` (see :func:`loaded`), analysed with ``options``."""
    return Facts(loaded(rgb, file_size), options, role)
