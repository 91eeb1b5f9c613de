"""Text in the image: each line OCR read classed as overlay, print or artefact.

The OCR engines are in :mod:`imagecheck.analysis.ocr`; here every line they read is
classed by where it sits: on flat colour running to an image edge (an added overlay), on
the product (print), or a misreading (an artefact).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from imagecheck.analysis.ocr import OcrBackend, OcrBox
from imagecheck.analysis.pixels import luma, median_colour
from imagecheck.findings import Box
from imagecheck.i18n import N_, Message, and_list, join, msg, nmsg, term

#: Promotional wording, named in findings (matched case-insensitively, spaces ignored).
PROMO_TERMS: tuple[str, ...] = (
    "包邮", "特价", "秒杀", "限时", "新品", "正品", "满减", "优惠", "折扣", "促销", "抢购",
    "热卖", "爆款", "免息", "到手价", "活动价", "券", "立减", "直降", "买一送一", "赠品", "清仓",
    "SALE", "FREESHIPPING", "%OFF", "BUY1GET1", "BESTSELLER", "LIMITEDTIME", "HOTSALE",
)
#: Wording no product carries in print: a line with it is an overlay wherever it sits.
OVERLAY_ONLY_TERMS: tuple[str, ...] = (
    "包邮", "秒杀", "满减", "免息", "到手价", "活动价", "立减", "直降", "券", "FREESHIPPING",
    "%OFF",
)
#: A price: a currency sign before digits, or digits before 元.
PRICE_RE = re.compile(r"[¥￥]\s*\d|\d\s*元")
#: The promotional term that stands for a price found in a line.
PRICE = N_("price")
#: Max per-channel difference from the text's ground colour that still counts as that colour.
GROUND_TOLERANCE = 16
#: Long side of the copy the geometry is measured on.
VIEW_SIDE = 1000


@dataclass(frozen=True)
class TextBox:
    """One recognised line of text and what it is.

    ``kind`` is ``overlay`` (added on top of the photo), ``print`` (on the product) or
    ``artefact`` (an OCR misreading, ignored). ``box`` is in original-image pixels;
    ``tilt`` is the line's angle in degrees (positive: falling to the right).
    """

    text: str
    confidence: float
    box: Box
    kind: str
    why: str
    promo: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    tilt: float = 0.0


@dataclass(frozen=True)
class TextFacts:
    """The text found in one image; ``backend`` is ``None`` when OCR was switched off."""

    backend: str | None
    boxes: tuple[TextBox, ...] = ()

    @property
    def checked(self) -> bool:
        return self.backend is not None

    @property
    def overlays(self) -> tuple[TextBox, ...]:
        return tuple(b for b in self.boxes if b.kind == "overlay")

    @property
    def prints(self) -> tuple[TextBox, ...]:
        return tuple(b for b in self.boxes if b.kind == "print")


def normalised(text: str) -> str:
    """``text`` upper-cased without spaces, for matching word lists."""
    return re.sub(r"\s+", "", text).upper()


def promo_terms(text: str, terms: Sequence[str] = PROMO_TERMS) -> tuple[str, ...]:
    """The promotional terms (and a price, if any) in ``text``."""
    flat = normalised(text)
    found = [t for t in terms if normalised(t) in flat]
    if PRICE_RE.search(text):
        found.append(PRICE)
    return tuple(found)


def promo_words(terms: Sequence[str]) -> Message:
    """Promotional ``terms`` as a list to show, the price term in the reader's language."""
    return join([term(t) if t == PRICE else t for t in terms])


#: Signs read as part of a number ("15%", "¥9"): glyphs as much as its digits.
NUMBER_SIGNS = frozenset("%％¥￥$€£")


def _glyph_count(text: str) -> int:
    """Letters, digits, CJK characters and number signs in ``text``."""
    return sum(1 for c in text if c.isalnum() or c in NUMBER_SIGNS)


def classify_boxes(
    rgb: np.ndarray,
    ocr: Sequence[OcrBox],
    background: np.ndarray | None = None,
    subject_box: Box | None = None,
    terms: Sequence[str] = PROMO_TERMS,
    inset: int = 0,
) -> list[TextBox]:
    """Class each OCR line of ``rgb`` (the array OCR read) as overlay, print or artefact.

    An overlay sits on flat colour that runs, along the line, to an image edge: the plain
    background beside the product, or a banner or strip laid across the photo; or on a small
    flat shape (badge, tag, tile) that itself lies on the ``background`` (a bool mask of
    any size). Text on a product is bounded by the product's own outline and shading.
    ``inset`` is the width of a frame round the image: its inner side counts as the edge.
    Several lines sharing one tilt are print on a product seen at an angle, though their
    ground runs to one edge (the frame cuts the product, not an overlay); a diagonal
    overlay (ribbon, stamp) crosses its ground from edge to edge.
    Letters the image edge cuts through (a sign or number plate at the edge of a scene,
    print on a close-up, level or tilted) and the mirror image of print in a glossy
    surface below the product (a reflection) are not laid on the picture: print. So is a
    line on a face of the product (an area of its ground colour, not the ``background``;
    without that mask nothing tells the two apart and this is not tried) that carries
    more print than overlays: its run got to the edge through a soft side.
    Wording no product carries (prices, 秒杀, 包邮...) is an overlay wherever it is. A lone
    character, or two in a box as tall as a quarter of the image or spanning half the
    product, is an OCR artefact.
    """
    h, w = rgb.shape[:2]
    scale = min(1.0, VIEW_SIDE / max(h, w))
    view = rgb if scale == 1.0 else cv2.resize(
        rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    bg = np.zeros(view.shape[:2], bool) if background is None else cv2.resize(
        background.astype(np.uint8), view.shape[1::-1], interpolation=cv2.INTER_NEAREST
    ).astype(bool)
    bg_colour = median_colour(view, bg) if bg.any() else None
    out = []
    artefacts = [_is_artefact(item, (h, w), subject_box) for item in ocr]
    slant = _shared_tilt([item for item, junk in zip(ocr, artefacts, strict=True) if not junk])
    quads = [np.asarray(item.quad, np.float32) * scale for item in ocr]  # in the view
    for item, quad, junk in zip(ocr, quads, artefacts, strict=True):
        found = promo_terms(item.text, terms)
        if junk:
            out.append(TextBox(item.text, item.confidence, item.box, "artefact",
                               msg("too few characters for the size of the box"), found))
            continue
        promo_only = any(t in OVERLAY_ONLY_TERMS for t in found) or PRICE in found
        cut = not inset and not promo_only and _cut_by_frame(view, quad, bg)
        edges, on_shape = ((), False) if cut else _placement(
            view, quad, bg, bg_colour, round(inset * scale))
        askew = len(edges) == 1 and slant is not None and (
            abs(_tilt(item.quad) - slant) <= SLANT_SPREAD
        )
        if cut:
            why = msg("cut off by the image edge: part of the photographed scene or product")
            kind = "print"
        elif edges and not askew and _mirrors_above(view, quad):
            why, kind = msg("a reflection: the mirror image of the print above it"), "print"
        elif edges and not askew:
            why = nmsg("on flat colour that runs to the {edges} edge of the image",
                       "on flat colour that runs to the {edges} edges of the image",
                       n=len(edges), edges=and_list([term(e) for e in edges]))
            kind = "overlay"
        elif on_shape:
            why, kind = msg("on a flat badge, tag or tile laid on the background"), "overlay"
        elif promo_only:
            why = msg("promotional wording that products do not carry in print")
            kind = "overlay"
        elif askew:
            why = msg("print on a surface seen at an angle: its lines share a tilt of"
                      " {slant:+.0f} degrees", slant=slant)
            kind = "print"
        else:
            why, kind = msg("inside the product, bounded by its outline"), "print"
        out.append(TextBox(item.text, item.confidence, _clip(item.box, w, h), kind, why,
                           found, edges, round(_tilt(item.quad), 1)))
    for i in _on_print_faces(view, quads, out, bg) if background is not None else ():
        out[i] = replace(out[i], kind="print", edges=(),
                         why=msg("on a face of the product that carries more of its print"))
    return out


#: Share of a line's box on a face that puts the line on it.
FACE_SHARE = 0.3
#: Ground colours this close (per channel) share one labelling of the image's faces.
FACE_SAME = 4


def _on_print_faces(
    view: np.ndarray, quads: Sequence[np.ndarray], boxes: Sequence[TextBox],
    background: np.ndarray,
) -> list[int]:
    """The lines classed overlay for their flat ground running to an edge that lie on a
    face of the product: the connected area of the line's ground colour holds more lines
    of print than of overlays (the line itself aside) and is not the plain ``background``.
    A line lies on a face where :data:`FACE_SHARE` of its box does (a caption straddling
    the product's edge and the backdrop does not).

    Print on one face of a box or bottle is bounded by its outline; a line on the same
    face whose run got through to the edge found a gap in that outline (a soft, shaded or
    faint side), not a banner. The plain background is no face: a caption beside the
    product stays an overlay, whatever print the product carries. Only lines that share
    their ground colour with a line of print are looked at.
    """
    if not any(b.kind == "overlay" and b.edges and not b.promo for b in boxes):
        return []
    lines = [i for i, b in enumerate(boxes) if b.kind != "artefact"]
    ground = {i: _ground_colour(view, quads[i]).astype(np.int16) for i in lines}
    labelled: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # colour, near, labels
    found = []
    for i in lines:
        line = boxes[i]
        if line.kind != "overlay" or not line.edges or line.promo or not any(
            boxes[j].kind == "print" and np.abs(ground[j] - ground[i]).max() <= GROUND_TOLERANCE
            for j in lines
        ):
            continue
        same = [k for k, (colour, _, _) in enumerate(labelled)  # one labelling per colour
                if np.abs(colour - ground[i]).max() <= FACE_SAME]
        if not same:
            near = np.abs(view.astype(np.int16) - ground[i]).max(axis=-1) <= GROUND_TOLERANCE
            labelled.append((ground[i], near,
                             cv2.connectedComponents(near.astype(np.uint8), connectivity=4)[1]))
        _, near, labels = labelled[same[0] if same else -1]
        x0, y0, x1, y1 = _pixel_box(quads[i], *view.shape[:2])
        ids = labels[y0:y1, x0:x1][near[y0:y1, x0:x1]]
        if len(ids) == 0:
            continue
        face = labels == np.bincount(ids).argmax()
        if background[face].mean() >= 0.5 or _share_on(face, quads[i]) < FACE_SHARE:
            continue
        votes = Counter(boxes[j].kind for j in lines
                        if j != i and _share_on(face, quads[j]) >= FACE_SHARE)
        if votes["print"] > votes["overlay"]:
            found.append(i)
    return found


def _share_on(face: np.ndarray, quad: np.ndarray) -> float:
    """Share of the pixels of ``quad``'s box that lie on ``face``."""
    x0, y0, x1, y1 = _pixel_box(quad, *face.shape)
    return float(face[y0:y1, x0:x1].mean()) if x1 > x0 and y1 > y0 else 0.0


def _tilt(quad: Sequence[tuple[float, float]]) -> float:
    """Angle of a quad's top edge, in degrees (positive: falling to the right)."""
    (ax, ay), (bx, by) = quad[0], quad[1]
    return float(np.degrees(np.arctan2(by - ay, bx - ax)))


def _pixel_box(quad: np.ndarray, h: int, w: int) -> tuple[int, int, int, int]:
    """The whole pixels ``quad`` covers, clipped to an ``h`` x ``w`` image: x0, y0, x1, y1."""
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    return max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1))


#: Share of a cut line's edge pixels (along the edge) that are glyph strokes: some, but
#: not a solid fill (a badge or frame touching the edge).
CUT_INK = (0.15, 0.75)
#: A box this many pixels (or fewer) from an edge touches it.
CUT_NEAR = 2
#: Largest share of plain background along the edge beside a line the frame cuts,
#: within this many line heights either way.
CUT_PLAIN, CUT_REACH = 0.3, 3


def _cut_by_frame(view: np.ndarray, quad: np.ndarray, background: np.ndarray) -> bool:
    """Whether the line's glyphs run into an image edge where the picture goes on past it.

    An overlay is laid inside the picture; letters the frame cuts through belong to what
    was photographed (a sign or number plate at the edge of a scene, print on a
    close-up). Glyph strokes are the minority (Otsu) class of the line's box; where the
    box touches an edge, the outermost pixels there must be partly strokes, partly
    ground (not the solid fill of a frame), and the edge beside the line (a few line
    heights either way) must be mostly not plain ``background``: a tile or badge anchored
    to the edge of a plain backdrop is laid on it, not cut by the frame.
    """
    h, w = view.shape[:2]
    x0, y0, x1, y1 = _pixel_box(quad, h, w)
    sideways = x0 <= CUT_NEAR or x1 >= w - CUT_NEAR  # touches the left or right edge
    upright = y0 <= CUT_NEAR or y1 >= h - CUT_NEAR  # the top or bottom edge
    if x1 - x0 < 4 or y1 - y0 < 4 or not (sideways or upright):
        return False
    grey = cv2.cvtColor(np.ascontiguousarray(view[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    _, split = cv2.threshold(grey.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = split.reshape(grey.shape) > 0
    ink = ~bright if bright.mean() >= 0.5 else bright
    reach = CUT_REACH * max(2, min(x1 - x0, y1 - y0))
    sides = []
    if sideways:
        column = background[:, 0] if x0 <= CUT_NEAR else background[:, w - 1]
        strokes = ink[:, 0] if x0 <= CUT_NEAR else ink[:, -1]
        sides.append((strokes, np.concatenate([column[max(0, y0 - reach):y0],
                                               column[y1:y1 + reach]])))
    if upright:
        row = background[0] if y0 <= CUT_NEAR else background[h - 1]
        strokes = ink[0] if y0 <= CUT_NEAR else ink[-1]
        sides.append((strokes, np.concatenate([row[max(0, x0 - reach):x0], row[x1:x1 + reach]])))
    return any(CUT_INK[0] <= strokes.mean() <= CUT_INK[1]
               and len(beside) > 0 and beside.mean() < CUT_PLAIN
               for strokes, beside in sides)


#: Normalised correlation at which a line, flipped upside down, matches print above it.
MIRROR_MATCH = 0.7
#: How many line heights above a line its mirror image is looked for.
MIRROR_REACH = 6
#: Line height (pixels) the comparison is made at (taller lines are scaled down).
MIRROR_SIDE = 16


def _mirrors_above(view: np.ndarray, quad: np.ndarray) -> bool:
    """Whether the line is a reflection: flipped upside down, it matches what lies above it.

    A product standing on a glossy surface shows its print again below it, mirrored;
    the reflection runs on into the plain ground, so it looks like text on flat colour.
    Overlays are not mirrored copies of the picture's own print.
    """
    h, w = view.shape[:2]
    x0, y0, x1, y1 = _pixel_box(quad, h, w)
    tall = y1 - y0
    if tall < 4 or x1 - x0 < 2 * tall:  # too small, or vertical text
        return False
    top = max(0, y0 - MIRROR_REACH * tall)
    if y0 - top < tall:
        return False
    left = max(0, x0 - tall)
    grey = cv2.cvtColor(np.ascontiguousarray(view[top:y1, left:min(w, x1 + tall)]),
                        cv2.COLOR_RGB2GRAY)
    line, above = grey[-tall:, x0 - left:x1 - left][::-1], grey[:-tall]
    if tall > MIRROR_SIDE:  # compare at a line height of MIRROR_SIDE pixels
        f = MIRROR_SIDE / tall
        line, above = (cv2.resize(np.ascontiguousarray(part), None, fx=f, fy=f,
                                  interpolation=cv2.INTER_AREA) for part in (line, above))
    line, above = np.ascontiguousarray(line), np.ascontiguousarray(above)
    if line.std() < 1 or above.shape[0] < line.shape[0] or above.shape[1] < line.shape[1]:
        return False
    score = cv2.matchTemplate(above, line, cv2.TM_CCOEFF_NORMED)
    return bool(score.max() >= MIRROR_MATCH)


def _shared_tilt(lines: Sequence[OcrBox]) -> float | None:
    """The tilt that :data:`SLANT_LINES` or more tilted lines share, if any.

    Overlays are set level; a deliberate diagonal (a corner ribbon, a stamp) is one or
    two lines. Several lines at one tilt are print on a product photographed at an
    angle (boxes on a shelf, a card lying askew). A lone tilted line is not enough:
    OCR tilts short or italic words.
    """
    tilts = sorted(t for t in (_tilt(b.quad) for b in lines) if TILT < abs(t) < 90 - TILT)
    best: list[float] = []
    for i, t in enumerate(tilts):
        group = [u for u in tilts[i:] if u - t <= SLANT_SPREAD * 2]
        if len(group) > len(best):
            best = group
    return float(np.median(best)) if len(best) >= SLANT_LINES else None


def _clip(box: Box, w: int, h: int) -> Box:
    x0, y0, x1, y1 = box
    return (max(0, x0), max(0, y0), min(w, max(x1, x0 + 1)), min(h, max(y1, y0 + 1)))


def _is_artefact(item: OcrBox, shape: tuple[int, int], subject_box: Box | None) -> bool:
    """A lone character (too little to tell text from a shape), or two characters read
    from a box far too big for them."""
    if _glyph_count(item.text) > 2:
        return False
    if _glyph_count(item.text) <= 1:
        return True
    h, w = shape
    x0, y0, x1, y1 = item.box
    if (y1 - y0) > 0.25 * h or (x1 - x0) > 0.5 * w:
        return True
    if subject_box is not None:
        sx0, sy0, sx1, sy1 = subject_box
        area = max(1, (sx1 - sx0) * (sy1 - sy0))
        return (x1 - x0) * (y1 - y0) > 0.5 * area
    return False


def _ground_colour(view: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The colour behind the glyphs: the larger Otsu class of the pixels inside ``quad``."""
    corners = np.round(quad).astype(np.int32)
    size = view.shape[1::-1]
    x0, y0 = np.clip(corners.min(axis=0), 0, size)
    x1, y1 = np.clip(corners.max(axis=0) + 1, 0, size)
    mask = np.zeros((max(0, y1 - y0), max(0, x1 - x0)), np.uint8)
    cv2.fillPoly(mask, [corners - (x0, y0)], 1)
    pixels = view[y0:y1, x0:x1][mask > 0].astype(np.float32)
    if len(pixels) < 4:
        return np.median(pixels, axis=0) if len(pixels) else np.zeros(3, np.float32)
    level = luma(pixels).astype(np.uint8)
    _, split = cv2.threshold(level.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = split.ravel() > 0
    ground = bright if bright.mean() >= 0.5 else ~bright
    return np.median(pixels[ground], axis=0)


#: A badge or tag spans at most this share of the image width and height.
SHAPE_SHARE = 0.3
#: A line tilted more than this many degrees is followed in its own direction.
TILT = 8.0
#: Lines that share a tilt lie within this many degrees of their median tilt.
SLANT_SPREAD = 5.0
#: How many tilted lines must share a tilt before it is the picture's perspective.
SLANT_LINES = 3


@dataclass(frozen=True)
class _Ground:
    """The flat colour behind a line of text and how far it runs from the line.

    ``ends`` are the last ground columns/rows reached going left, right, up and down
    (in the pixels of the levelled view), crossing gaps up to a line height (other
    glyphs, small icons).
    """

    colour: np.ndarray
    ends: tuple[int, int, int, int]
    edges: tuple[str, ...]


def _placement(
    view: np.ndarray, quad: np.ndarray, background: np.ndarray,
    bg_colour: np.ndarray | None, inset: int
) -> tuple[tuple[str, ...], bool]:
    """The image edges the text's ground runs to, and whether it sits on a flat shape on
    the background (of median colour ``bg_colour``, ``None`` where there is none). A tilted
    line is first levelled (the view rotated about it), so its ground is followed along
    the line, not along the image rows."""
    inside = None
    top = quad[1] - quad[0]
    angle = float(np.degrees(np.arctan2(top[1], top[0])))
    if TILT < abs(angle) < 90 - TILT:
        view, background, inside, quad = _level(view, background, quad, angle)
    ground = _ground(view, quad, inside, inset)
    if ground is None:
        return (), False
    return ground.edges, _on_flat_shape(view, ground, background, bg_colour)


def _level(
    view: np.ndarray, background: np.ndarray, quad: np.ndarray, angle: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rotate ``view``, ``background`` and ``quad`` by ``angle`` about the quad's centre,
    on a canvas holding the whole image; also return the mask of real image pixels."""
    h, w = view.shape[:2]
    centre = tuple(float(c) for c in quad.mean(axis=0))
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], np.float32) @ matrix.T
    shift = -corners.min(axis=0)
    matrix[:, 2] += shift
    size = tuple(int(np.ceil(v)) for v in corners.max(axis=0) + shift)

    def warp(img: np.ndarray, interp: int) -> np.ndarray:
        return cv2.warpAffine(img, matrix, size, flags=interp, borderValue=0)

    inside = warp(np.full((h, w), 255, np.uint8), cv2.INTER_NEAREST) > 0
    levelled_bg = warp(background.astype(np.uint8), cv2.INTER_NEAREST).astype(bool)
    ones = np.hstack([quad, np.ones((len(quad), 1), np.float32)])
    return warp(view, cv2.INTER_LINEAR), levelled_bg, inside, ones @ matrix.T.astype(np.float32)


def _ground(
    view: np.ndarray, quad: np.ndarray, inside: np.ndarray | None, inset: int = 0
) -> _Ground | None:
    """Follow the text's ground colour from its box to the left, right, top and bottom.

    Along a band the width of the box, a column (row) is ground where at least half its
    pixels are within :data:`GROUND_TOLERANCE` of the ground colour (for columns, or of
    the gradient the ground follows along the line: :func:`_ramp`). ``edges`` names the
    image edges reached along the line (top/bottom for vertical text); ``inside`` marks
    the real image pixels of a levelled view (its own edges are the image's).
    """
    h, w = view.shape[:2]
    x0, y0, x1, y1 = _pixel_box(quad, h, w)
    if x1 <= x0 or y1 <= y0:
        return None
    colour = _ground_colour(view, quad)

    level = colour.astype(np.int16)
    darkest = np.maximum(level - GROUND_TOLERANCE, 0).astype(np.uint8)
    lightest = np.minimum(level + GROUND_TOLERANCE, 255).astype(np.uint8)

    def matches(band: np.ndarray, axis: int, ramp: np.ndarray | None = None) -> np.ndarray:
        if ramp is None:  # one colour: a range test per pixel
            near = cv2.inRange(band, darkest, lightest) > 0
        else:
            diff = np.abs(band.astype(np.int16) - ramp[None].astype(np.int16)).max(axis=-1)
            near = diff <= GROUND_TOLERANCE
        return np.asarray(np.count_nonzero(near, axis=axis) * 2 >= near.shape[axis])

    cols = matches(view[y0:y1], 0)
    ramp = _ramp(view, quad, x0, x1, w)
    if ramp is not None:
        cols |= matches(view[y0:y1], 0, ramp)
    rows = matches(view[:, x0:x1], 1)
    gap = max(2, min(x1 - x0, y1 - y0) // 4)
    left, right = _run(cols, x0 - 1, -1, gap), _run(cols, x1, 1, gap)
    top, bottom = _run(rows, y0 - 1, -1, gap), _run(rows, y1, 1, gap)
    vertical = (y1 - y0) > 1.5 * (x1 - x0)
    if vertical:
        lo, hi, names = top, bottom, ("top", "bottom")
        real = np.ones(h, bool) if inside is None else inside[:, x0:x1].mean(axis=1) >= 0.5
        start, stop = y0, y1
    else:
        lo, hi, names = left, right, ("left", "right")
        real = np.ones(w, bool) if inside is None else inside[y0:y1].mean(axis=0) >= 0.5
        start, stop = x0, x1
    first, last = _extent(real, start, stop)
    margin = max(2, int(0.02 * len(real))) + inset
    reached = (lo <= first + margin, hi >= last - margin)
    # Between the text and the edge (inside a frame), look across the line (the view
    # transposed for vertical text) for an outline the run crossed, or stopped at within
    # the margin.
    across = view.transpose(1, 0, 2) if vertical else view
    band = (x0, x1) if vertical else (y0, y1)
    line = rows if vertical else cols
    spans = ((first + inset + 2, start), (stop, last - inset - 1))
    edges = tuple(name for name, hit, span in zip(names, reached, spans, strict=True)
                  if hit and not _crosses_outline(across, line, *span, band))
    return _Ground(colour, (left, right, top, bottom), edges)


#: A product's outline: a step of at least this many grey levels between neighbouring
#: columns (or rows)...
OUTLINE_STEP = 12
#: ... on this share of the rows of a strip this many line heights above and below the line.
OUTLINE_SHARE, OUTLINE_REACH = 0.8, 2
#: Grey levels within which the two sides of a line are one colour (a drawn rule line).
RULE_SAME = 4


def _crosses_outline(
    view: np.ndarray, match: np.ndarray, lo: int, hi: int, band: tuple[int, int]
) -> bool:
    """Whether columns ``lo`` to ``hi`` (from the text to the edge) hold a straight
    outline: a column where it is not ground and a sharp step (into it or out of it) runs
    straight through most of the text's rows ``band`` and :data:`OUTLINE_REACH` line
    heights beyond them both ways (as far as the image goes).

    That is the edge of a box, a cover or a case: the flat colour behind the text is the
    product's face, bounded by the product, and the same colour beyond it (the background,
    or the next face) does not make the text an overlay on flat colour. A banner or strip
    laid on the photo runs to the edge without such a line across it."""
    gaps = np.flatnonzero(~match[lo:hi]) + lo
    if len(gaps) == 0:
        return False
    y0, y1 = band
    reach = OUTLINE_REACH * (y1 - y0)
    top, bottom = max(0, y0 - reach), min(view.shape[0], y1 + reach)
    c0, c1 = max(1, int(gaps.min()) - 1), min(view.shape[1], int(gaps.max()) + 3)
    grey = cv2.cvtColor(np.ascontiguousarray(view[top:bottom, c0 - 1:c1]), cv2.COLOR_RGB2GRAY)
    grey = grey.astype(np.int16)
    step = np.abs(np.diff(grey, axis=1)) >= OUTLINE_STEP
    # The median row steps too (texture and noise step here and there, not in line)...
    step &= np.abs(np.diff(np.median(grey, axis=0)))[None] >= OUTLINE_STEP
    # ... with a slant of a pixel either way allowed: a row counts where a neighbour steps.
    step[:, 1:-1] |= step[:, :-2] | step[:, 2:]
    straight = step.mean(axis=0) >= OUTLINE_SHARE
    # A column's steps are the one into it and the one out of it (a faint one-pixel side
    # may step only a little from a shaded face, and more to the white beyond).
    straight[:-1] |= straight[1:]
    for run in np.split(gaps, np.flatnonzero(np.diff(gaps) > 1) + 1):
        if not straight[run - c0].any():
            continue
        # Beyond a product's edge lies something else (the background, another face);
        # a hairline between two areas of one colour is a drawn rule (a panel's frame, a
        # table's grid) that the text may well be laid inside.
        a, b = int(run[0]) - 3, int(run[-1]) + 4
        if a < 0 or b > view.shape[1]:
            return True
        sides = cv2.cvtColor(np.ascontiguousarray(view[top:bottom, [a, b - 1]]),
                             cv2.COLOR_RGB2GRAY).astype(np.int16)
        if np.abs(np.median(sides[:, 0]) - np.median(sides[:, 1])) > RULE_SAME:
            return True
    return False


def _ramp(view: np.ndarray, quad: np.ndarray, x0: int, x1: int, w: int) -> np.ndarray | None:
    """The ground colour of every column, where the ground is a gradient along the line.

    The ground colours of the first and last quarter of the box, extended in a straight
    line (a banner or tile fading from one side to the other); ``None`` where they agree
    within :data:`GROUND_TOLERANCE` (flat ground). Not clipped: shading that would run
    past white or black is no designed gradient, and the run stops there."""
    if x1 - x0 < 16:
        return None
    quarter = (x1 - x0) / 4
    top = max(0, int(np.floor(quad[:, 1].min())))
    crop = view[top:int(np.ceil(quad[:, 1].max())), x0:x1]
    local = quad - np.array([x0, top], np.float32)
    ends = []
    for lo in (0.0, 3 * quarter):
        part = local.copy()
        part[:, 0] = np.clip(part[:, 0], lo, lo + quarter)
        ends.append(_ground_colour(crop, part))
    if np.abs(ends[1] - ends[0]).max() <= GROUND_TOLERANCE:
        return None
    step = (ends[1] - ends[0]) / (3 * quarter)
    xs = np.arange(w, dtype=np.float32)[:, None] - (x0 + quarter / 2)
    return np.asarray(np.round(ends[0] + xs * step))


def _extent(real: np.ndarray, start: int, stop: int) -> tuple[int, int]:
    """First and last index of the run of real image pixels around ``start:stop``."""
    outside = np.flatnonzero(~real)
    before = outside[outside < start]
    after = outside[outside >= stop]
    return (int(before.max()) + 1 if len(before) else 0,
            int(after.min()) - 1 if len(after) else len(real) - 1)


def _on_flat_shape(
    view: np.ndarray, ground: _Ground, background: np.ndarray, bg_colour: np.ndarray | None
) -> bool:
    """Whether the text sits on a small flat shape (badge, tag, tile) laid on the background.

    The shape's colour must differ from the background's (``bg_colour``), it must span at
    most :data:`SHAPE_SHARE` of the image each way (a product is larger), and on at least
    three sides what lies just beyond it is background (or the image edge).
    """
    h, w = view.shape[:2]
    left, right, top, bottom = ground.ends
    if right - left > SHAPE_SHARE * w or bottom - top > SHAPE_SHARE * h or bg_colour is None:
        return False
    if np.abs(bg_colour - ground.colour).max() <= 2 * GROUND_TOLERANCE:
        return False
    probe = max(2, int(0.01 * max(h, w)))
    cx0, cx1 = max(0, left), min(w, right + 1)
    cy0, cy1 = max(0, top), min(h, bottom + 1)
    sides = [
        (slice(cy0, cy1), slice(max(0, left - probe), max(0, left))),
        (slice(cy0, cy1), slice(right + 1, right + 1 + probe)),
        (slice(max(0, top - probe), max(0, top)), slice(cx0, cx1)),
        (slice(bottom + 1, bottom + 1 + probe), slice(cx0, cx1)),
    ]
    ref = bg_colour.astype(np.int16)
    open_sides = 0
    for rows, cols in sides:
        near_bg = np.abs(view[rows, cols].astype(np.int16) - ref).max(axis=-1)
        mask = background[rows, cols] & (near_bg <= GROUND_TOLERANCE)
        open_sides += mask.size == 0 or mask.mean() >= 0.5
    return open_sides >= 3


def _run(match: np.ndarray, start: int, step: int, gap: int) -> int:
    """Index of the last matching column reached from ``start`` crossing gaps up to ``gap``."""
    last = start - step
    misses = 0
    i = start
    while 0 <= i < len(match):
        if match[i]:
            last, misses = i, 0
        else:
            misses += 1
            if misses > gap:
                break
        i += step
    return last


def analyse_text(
    rgb: np.ndarray,
    backend: OcrBackend,
    background: np.ndarray | None = None,
    subject_box: Box | None = None,
    words: Sequence[str] = (),
    inset: int = 0,
) -> TextFacts:
    """OCR ``rgb`` with ``backend`` and class every line (:func:`classify_boxes`, with
    :data:`PROMO_TERMS` and the user's promotional ``words``)."""
    terms = tuple(dict.fromkeys(PROMO_TERMS + tuple(words)))
    boxes = classify_boxes(rgb, backend.read(rgb), background, subject_box, terms, inset=inset)
    return TextFacts(backend.name, tuple(boxes))
