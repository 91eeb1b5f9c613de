"""The per-image analysis object: facts that rules share, each computed once, on first use.

The analysers in this package take arrays and small typed values and return frozen
results; :class:`Facts` composes them, each on first use, so a rule set that does not
need a fact does not compute it.
"""

from __future__ import annotations

from functools import cached_property

import cv2
import numpy as np

from imagecheck.analysis.background import Background, analyse_background
from imagecheck.analysis.border import Band, find_bands
from imagecheck.analysis.composition import Composition, analyse_composition
from imagecheck.analysis.degradation import Degradation, analyse_degradation
from imagecheck.analysis.graphic import GraphicFacts, analyse_graphic
from imagecheck.analysis.logos import LogoFacts, analyse_logos, load_logo
from imagecheck.analysis.marks import Marks, analyse_marks
from imagecheck.analysis.ocr import check_backend, get_backend, start_backend
from imagecheck.analysis.options import AnalysisOptions
from imagecheck.analysis.quality import sharpness
from imagecheck.analysis.subject import Subject, analyse_subject, text_panel
from imagecheck.analysis.text import TextFacts, analyse_text
from imagecheck.analysis.tint import TintFacts, analyse_tint
from imagecheck.analysis.work import WorkMap
from imagecheck.findings import Box
from imagecheck.loading import LoadedImage

#: Logo marks covering this share of the subject's box make the image a logo file.
LOGO_LOCKUP_COVER = 0.3


def preflight(options: AnalysisOptions, threads: int | None = None) -> None:
    """Check that the OCR backend ``options`` name can load and load their logo files, so
    that a backend that is not installed (:class:`~imagecheck.analysis.ocr.OcrUnavailable`:
    for rapidocr, its package, model files or inference libraries) or an unusable logo
    file (:class:`~imagecheck.analysis.logos.LogoFileError`) stops a run before its first
    image, not in every one. rapidocr's models load in the process that checks, with its
    share of the cores (one whose files are there but cannot load fails each image's text
    rules, IN005). Given ``threads``, this process is about to check images: its OCR
    models start loading, in the background, with that many inference threads
    (:func:`~imagecheck.analysis.ocr.start_backend`)."""
    check_backend(options.ocr)
    if threads is not None:
        start_backend(options.ocr, threads)
    for path in options.logos:
        load_logo(path)


class Facts:
    """Everything rules may read about one image.

    Expensive facts are ``cached_property`` attributes: computed the first time a rule
    asks, then shared. Masks are at working size (``work``); every box is in
    original-image pixels.
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
    def work_map(self) -> WorkMap:
        """How the working copy maps to the image's pixels."""
        return WorkMap.of(self.width, self.height)

    @property
    def scale(self) -> int:
        """Original pixels per working pixel."""
        return self.work_map.scale

    @cached_property
    def work(self) -> np.ndarray:
        """A downscaled RGB copy, long side at most :data:`~imagecheck.analysis.work.WORK_SIDE`."""
        return self.work_map.shrink(self.image.rgb)

    @cached_property
    def work_alpha(self) -> np.ndarray | None:
        """The alpha channel at working size, where the image had transparency."""
        alpha = self.image.alpha
        return None if alpha is None else self.work_map.shrink(alpha)

    @cached_property
    def gray(self) -> np.ndarray:
        """Full-resolution grayscale, for sharpness and fine structure."""
        return cv2.cvtColor(self.image.rgb, cv2.COLOR_RGB2GRAY)

    @cached_property
    def frame(self) -> int | None:
        """How deep (original pixels) a frame round the image reaches, where bands run
        along three edges or more (``None``: no frame)."""
        if len(self.bands) < 3:
            return None
        return max(b.offset + b.thickness for b in self.bands)

    @cached_property
    def background(self) -> Background:
        """The plain background connected to the image edges (inside a frame, if the
        image has one), and how white it is."""
        inset = 0 if self.frame is None else 1 + int(self.frame / self.scale)
        return analyse_background(self.work, self.work_alpha, inset)

    @cached_property
    def subject(self) -> Subject:
        """The product: everything that is not background, and its bounding box."""
        return analyse_subject(self.background, self.work, self.work_map,
                               alpha=self.image.alpha is not None)

    @cached_property
    def bands(self) -> tuple[Band, ...]:
        """Uniform bands and lines along the edges (full resolution)."""
        return find_bands(self.image.rgb)

    @cached_property
    def marks(self) -> Marks:
        """Corner badge and promotional strip candidates, measured (analysis/marks.py)."""
        return analyse_marks(self.work, (self.width, self.height), self.text.boxes,
                             self.options.promo_words)

    @cached_property
    def composition(self) -> Composition:
        """Panels, seams, insets and comparison markers (analysis/composition.py)."""
        return analyse_composition(self.work, self.subject.mask, self.work_map)

    @cached_property
    def degradation(self) -> Degradation:
        """Effective resolution, pixelation, JPEG quality, resampling (degradation.py)."""
        work_gray = cv2.cvtColor(self.work, cv2.COLOR_RGB2GRAY)
        return analyse_degradation(self.gray, work_gray)

    @cached_property
    def graphic(self) -> GraphicFacts:
        """How likely the image is a drawn graphic (a logo, seal, sign or clip-art) rather
        than a photo: a small model over colour and gradient statistics (graphic.py)."""
        return analyse_graphic(self.work)

    @cached_property
    def sharpness(self) -> float:
        """Edge crispness of the subject (0.25-0.6 when sharp, lower when blurred)."""
        return sharpness(self.gray, self.subject.box)

    @cached_property
    def text(self) -> TextFacts:
        """Text lines read by OCR (``options.ocr``), each classed overlay/print/artefact.

        Raises :class:`~imagecheck.analysis.ocr.OcrUnavailable` if that backend cannot load.
        """
        backend = get_backend(self.options.ocr)
        if backend is None:
            return TextFacts(None)
        return analyse_text(self.image.rgb, backend, self.background.mask, self.subject.box,
                            self.options.promo_words, inset=self.frame or 0)

    @cached_property
    def tint(self) -> TintFacts:
        """Lines of tinted strokes blended over a neutral surface, read by OCR on a
        chroma-difference crop, where the text OCR found no watermark wording (tint.py)."""
        ocr = get_backend(self.options.ocr)
        if ocr is None:
            return TintFacts()
        return analyse_tint(self.image.rgb, self.work, ocr, self.text.boxes)

    @cached_property
    def logos(self) -> LogoFacts:
        """Brand marks: from text, small graphics and the user's logo files."""
        return analyse_logos(self.image.rgb, self.work, self.work_map, self.background,
                             self.subject, self.text, self.options.brands, self.options.logos)

    @cached_property
    def product(self) -> Subject:
        """The subject without what was added on top of the photo (text overlays and
        logo marks, and the columns of a text panel beside it): the product whose
        centring and fill the framing rules judge."""
        marks = [m.box for m in self.logos.marks]
        added = [t.box for t in self.text.overlays] + marks
        if not added or self.subject.box is None:
            return self.subject
        if marks and _covered(self.subject.box, marks, self.scale) >= LOGO_LOCKUP_COVER:
            # An image that is only a logo: the mark and its wordmark are the subject.
            return self.subject
        product = analyse_subject(self.background, self.work, self.work_map,
                                  alpha=self.image.alpha is not None, exclude=added,
                                  panel=self.text_panel)
        # Where nearly everything is overlay (a poster, a word cloud), that is the subject.
        if product.area_share < 0.3 * self.subject.area_share and self.text_panel is None:
            return self.subject
        return product

    @cached_property
    def text_panel(self) -> tuple[str, Box] | None:
        """A column of text to one side of the product (analysis/subject.py)."""
        return text_panel(self.text.boxes, self.width, self.height)


def _covered(box: Box, boxes: list[Box], k: int) -> float:
    """The share of ``box`` that ``boxes`` cover (overlaps counted once), measured on a
    grid of ``k`` pixels."""
    x0, y0, x1, y1 = (v // k for v in box)
    mask = np.zeros((y1 - y0, x1 - x0), bool)
    for bx0, by0, bx1, by1 in ((v // k for v in b) for b in boxes):
        mask[max(0, by0 - y0): max(0, by1 - y0), max(0, bx0 - x0): max(0, bx1 - x0)] = True
    return float(mask.mean()) if mask.size else 0.0
