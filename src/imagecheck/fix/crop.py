"""Cropping frames, borders and bands off the edges (OV401)."""

from __future__ import annotations

from collections.abc import Sequence

from imagecheck.analysis.border import Band
from imagecheck.findings import Box

#: Pixels cut beyond each band, for its soft, blended inner edge.
BLEED = 2


def border_crop(bands: Sequence[Band], width: int, height: int) -> Box | None:
    """The box inside ``bands`` (each cut with what lies outside it), or ``None`` when
    that would leave less than half of either side."""
    cut = {"left": 0, "top": 0, "right": 0, "bottom": 0}
    for band in bands:
        cut[band.edge] = max(cut[band.edge], band.offset + band.thickness + BLEED)
    box = (cut["left"], cut["top"], width - cut["right"], height - cut["bottom"])
    if box[2] - box[0] < width / 2 or box[3] - box[1] < height / 2:
        return None
    return box
