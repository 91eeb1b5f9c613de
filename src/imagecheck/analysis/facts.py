"""The per-image analysis object: facts that rules share, each computed once, on first use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import cv2
import numpy as np

from imagecheck.findings import Box
from imagecheck.loading import LoadedImage

if TYPE_CHECKING:
    from imagecheck.analysis.border import Band
    from imagecheck.analysis.composition import Composition
    from imagecheck.analysis.degradation import Degradation
    from imagecheck.analysis.graphic import GraphicFacts
    from imagecheck.analysis.logos import LogoFacts
    from imagecheck.analysis.marks import Marks
    from imagecheck.analysis.text import TextFacts
    from imagecheck.analysis.tint import TintFacts

#: Long side, in pixels, of the working copy most facts are computed on.
WORK_SIDE = 400
#: Logo marks covering this share of the subject's box make the image a logo file.
LOGO_LOCKUP_COVER = 0.3


@dataclass(frozen=True)
class AnalysisOptions:
    """Choices that change what the analysis computes (part of the cache key)."""

    ocr: str = "rapidocr"
    logos: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    promo_words: tuple[str, ...] = ()


class Facts:
    """Everything rules may read about one image.

    Expensive facts are ``cached_property`` attributes: computed the first time a rule
    asks, then shared. Masks are at working size (``work``); boxes are reported in
    original-image pixels via :meth:`to_original`.
    """

    def __init__(
        self, image: LoadedImage, options: AnalysisOptions | None = None, role: str = "main"
    ) -> None:
        self.image = image
        self.options = options or AnalysisOptions()
        self.role = role

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    @cached_property
    def scale(self) -> int:
        """Original pixels per working pixel: the smallest whole factor that brings the
        long side to at most :data:`WORK_SIDE` (a whole factor makes the area-average
        downscale fast and exact)."""
        return max(1, -(-max(self.width, self.height) // WORK_SIDE))

    @cached_property
    def work(self) -> np.ndarray:
        """A downscaled RGB copy, long side at most :data:`WORK_SIDE`."""
        if self.scale == 1:
            return self.image.rgb
        k = self.scale
        size = (max(1, self.width // k), max(1, self.height // k))
        return cv2.resize(self.image.rgb[: size[1] * k, : size[0] * k], size,
                          interpolation=cv2.INTER_AREA)

    @cached_property
    def work_alpha(self) -> np.ndarray | None:
        """The alpha channel at working size, where the image had transparency."""
        alpha = self.image.alpha
        if alpha is None:
            return None
        if self.scale == 1:
            return alpha
        h, w = self.work.shape[:2]
        k = self.scale
        return cv2.resize(alpha[: h * k, : w * k], (w, h), interpolation=cv2.INTER_AREA)

    @cached_property
    def gray(self) -> np.ndarray:
        """Full-resolution grayscale, for sharpness and fine structure."""
        return cv2.cvtColor(self.image.rgb, cv2.COLOR_RGB2GRAY)

    @cached_property
    def background(self) -> Background:
        """The plain background connected to the image edges (inside a frame, if the
        image has one), and how white it is."""
        from imagecheck.analysis.background import analyse_background

        inset = 0
        if len(self.bands) >= 3:
            inset = 1 + int(max(b.offset + b.thickness for b in self.bands) / self.scale)
        return analyse_background(self.work, self.work_alpha, inset)

    @cached_property
    def subject(self) -> Subject:
        """The product: everything that is not background, and its bounding box."""
        from imagecheck.analysis.subject import analyse_subject

        return analyse_subject(self)

    @cached_property
    def bands(self) -> tuple[Band, ...]:
        """Uniform bands and lines along the edges (full resolution)."""
        from imagecheck.analysis.border import find_bands

        return find_bands(self.image.rgb)

    @cached_property
    def marks(self) -> Marks:
        """Corner badge and promotional strip candidates, measured (analysis/marks.py)."""
        from imagecheck.analysis.marks import analyse_marks

        return analyse_marks(self)

    @cached_property
    def composition(self) -> Composition:
        """Panels, seams, insets and comparison markers (analysis/composition.py)."""
        from imagecheck.analysis.composition import analyse_composition

        return analyse_composition(self.work, self.subject.mask)

    @cached_property
    def degradation(self) -> Degradation:
        """Effective resolution, pixelation, JPEG quality, resampling (degradation.py)."""
        from imagecheck.analysis.degradation import analyse_degradation

        work_gray = cv2.cvtColor(self.work, cv2.COLOR_RGB2GRAY)
        return analyse_degradation(self.gray, work_gray)

    @cached_property
    def graphic(self) -> GraphicFacts:
        """How likely the image is a drawn graphic (a logo, seal, sign or clip-art) rather
        than a photo: a small model over colour and gradient statistics (graphic.py)."""
        from imagecheck.analysis.graphic import analyse_graphic

        return analyse_graphic(self.work)

    @cached_property
    def sharpness(self) -> float:
        """Edge crispness of the subject (0.25-0.6 when sharp, lower when blurred)."""
        from imagecheck.analysis.quality import sharpness

        return sharpness(self.gray, self.subject.box)

    @cached_property
    def text(self) -> TextFacts:
        """Text lines read by OCR (``options.ocr``), each classed overlay/print/artefact."""
        from imagecheck.analysis.text import analyse_text

        return analyse_text(self)

    @cached_property
    def tint(self) -> TintFacts:
        """Lines of tinted strokes blended over a neutral surface, read by OCR on a
        chroma-difference crop, where the text OCR found no watermark wording (tint.py)."""
        from imagecheck.analysis.tint import analyse_tint

        return analyse_tint(self)

    @cached_property
    def logos(self) -> LogoFacts:
        """Brand marks: from text, small graphics and the user's logo files."""
        from imagecheck.analysis.logos import analyse_logos

        return analyse_logos(self)

    @cached_property
    def product(self) -> Subject:
        """The subject without what was added on top of the photo (text overlays and
        logo marks, and the columns of a text panel beside it): the product whose
        centring and fill the framing rules judge."""
        from imagecheck.analysis.subject import analyse_subject

        marks = [m.box for m in self.logos.marks]
        added = [t.box for t in self.text.overlays] + marks
        if not added or self.subject.box is None:
            return self.subject
        if marks and _covered(self.subject.box, marks, self.scale) >= LOGO_LOCKUP_COVER:
            # An image that is only a logo: the mark and its wordmark are the subject.
            return self.subject
        product = analyse_subject(self, added, self.text_panel)
        # Where nearly everything is overlay (a poster, a word cloud), that is the subject.
        if product.area_share < 0.3 * self.subject.area_share and self.text_panel is None:
            return self.subject
        return product

    @cached_property
    def text_panel(self) -> tuple[str, Box] | None:
        """A column of text to one side of the product (analysis/subject.py)."""
        from imagecheck.analysis.subject import text_panel

        return text_panel(self.text.boxes, self.width, self.height)

    def to_original(self, box: tuple[int, int, int, int]) -> Box:
        """Map a working-size box to original-image pixels, clipped to the image."""
        s = self.scale
        x0, y0, x1, y1 = box
        return (
            max(0, int(x0 * s)),
            max(0, int(y0 * s)),
            min(self.width, int(np.ceil(x1 * s))),
            min(self.height, int(np.ceil(y1 * s))),
        )


def _covered(box: Box, boxes: list[Box], k: int) -> float:
    """The share of ``box`` that ``boxes`` cover (overlaps counted once), measured on a
    grid of ``k`` pixels."""
    x0, y0, x1, y1 = (v // k for v in box)
    mask = np.zeros((y1 - y0, x1 - x0), bool)
    for bx0, by0, bx1, by1 in ((v // k for v in b) for b in boxes):
        mask[max(0, by0 - y0): max(0, by1 - y0), max(0, bx0 - x0): max(0, bx1 - x0)] = True
    return float(mask.mean()) if mask.size else 0.0


@dataclass(frozen=True)
class Background:
    """The background: pixels of the plain region(s) reached from the image edges."""

    mask: np.ndarray
    colour: tuple[int, int, int]
    share: float
    white_share: float
    kind: str
    spread: float
    inset: int = 0


@dataclass(frozen=True)
class Subject:
    """The subject (product) region and its geometry."""

    mask: np.ndarray
    box: Box | None
    work_box: tuple[int, int, int, int] | None
    area_share: float
    offset: tuple[float, float]
    fill: float
    touches: tuple[str, ...]
