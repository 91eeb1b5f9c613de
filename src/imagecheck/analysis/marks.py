"""Marks added over the photo: corner badges and stickers, promotional strips, watermarks.

Everything is measured on the working copy (``facts.work``) brought up to a fixed long
side of :data:`MARK_SIDE` pixels, so thresholds mean the same at every image size.

*Badges* are grown from seeds in each corner zone: a flood fill with a fixed colour
range gives regions of one flat colour. A badge candidate is small and anchored at or
near a corner; for each the analysis measures what rules judge it by: how saturated
its fill is, how flat (graphic, not photographic), how solid its outline, how strongly
it contrasts with what lies round it, and the glyphs (text or a mark) of a strongly
different colour inside its outline.

*Strips* are promotional bands across the top or bottom edge: a long, straight
horizontal step in the image with a band between it and the edge, measured the same way.

*Watermark text* is OCR text (``facts.text``) that names a web site, a stock agency or a
copyright claim, or carries a stock-photo number: words a product does not carry in
print. Each is measured for its contrast with what lies under it, and for the line of
other wording it is set in a block with, if any (a label's next line, the name a logo's
domain sits under). *Tiled text* is one wording read again and again across the frame,
as a tiled watermark is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Protocol, TypeVar

import cv2
import numpy as np

from imagecheck.findings import Box

if TYPE_CHECKING:
    from imagecheck.analysis.facts import Facts

#: Long side, in pixels, of the image marks are looked for on.
MARK_SIDE = 400
#: Corner zones reach this share of each side in from the corner.
CORNER_ZONE = 0.3
#: A badge's box lies within this share of each side from both edges of its corner.
ANCHOR = 0.08
#: Flood-fill seeds are this many pixels apart in each corner zone.
SEED_STEP = 6
#: Colour range (Lab units, each channel) a flood may span from its seed.
FLOOD_RANGE = 14
#: Lab difference from the fill colour at which a pixel is a glyph or surroundings.
GLYPH_CONTRAST = 40
#: A region pixel is flat fill when within this of the fill colour (Lab, each channel).
FLAT_STEP = 5
#: Badge candidates' fill covers between these shares of the image ...
MIN_BADGE_AREA = 0.004
MAX_BADGE_AREA = 0.08
#: ... and span at most this share of either side.
MAX_BADGE_SIDE = 0.4
#: Strips are looked for this far in from the top and bottom edges (share of height).
STRIP_ZONE = 0.3
#: A row is a strip's edge when this share of it steps sharply to the next row.
STRIP_STEP_SHARE = 0.5
#: Strips are at least this thick (share of height).
MIN_STRIP = 0.04

#: Top-level domains a site mark ends in (OCR may read the dot as a comma or dash).
_TLDS = (
    "com|cn|net|org|cc|tv|co|hk|tw|jp|de|uk|io|me|info|biz|top|vip|xyz|club|site|online"
    "|shop|store|lifestyle"
)
#: What makes a line of text a watermark, by kind of mark.
WATERMARK_PATTERNS: dict[str, re.Pattern[str]] = {
    "site": re.compile(
        r"[a-z]{2,5}\s*[:：]\s*/|www\s*[.,·]"
        rf"|[a-z0-9][a-z0-9-]*\s?[.·,\-]\s?(?:{_TLDS})(?![a-z0-9])"
        r"|taobao|tmall|weidian|yangkeduo|shop\d{5,}"
        # A Chinese site mark (JD.COM 京东) whose dot and name OCR misread as one glyph.
        r"|[\u4e00-\u9fff]com(?=[\u4e00-\u9fff]|$)",
        re.IGNORECASE,
    ),
    "stock agency": re.compile(
        r"fotolia|shutterstock|istock|getty\s*images|adobe\s*stock|by\s*adobe|dreamstime"
        r"|stock\s*photo"
        r"|depositphotos|123rf|alamy|pond5|视觉中国|昵图|千图|摄图|包图|全景网|图虫|汇图",
        re.IGNORECASE,
    ),
    "copyright": re.compile(
        r"©|copyright|all\s*rights\s*reserved|版权所有|盗图|watermark|水印", re.IGNORECASE
    ),
    "stock number": re.compile(r"#\s?\d{6,}"),
    "sample stamp": re.compile(r"^\W*(?:sample|样品|样图|样张)\W*$", re.IGNORECASE),
}

BoxMapper = Callable[[int, int, int, int], Box]


@dataclass(frozen=True)
class Mark:
    """One candidate mark and the measurements rules judge it by.

    ``box`` is in original-image pixels; ``where`` names the corner (``bottom-left``) or
    edge (``bottom``); ``area`` is the share of the image inside its outline's convex
    hull (fill and glyphs). ``colour`` is the fill colour (RGB); ``chroma`` its saturation
    (Lab chroma); ``flatness`` the share of the fill within a few levels of that colour;
    ``solidity`` how convex its outline is once glyph gaps are closed; ``contrast`` the
    median Lab difference between the fill and the pixels just outside it;
    ``glyph_share`` the share of the outline's hull taken by glyph pixels and ``glyphs``
    how many separate glyph parts there are.
    """

    kind: str
    box: Box
    where: str
    colour: tuple[int, int, int]
    area: float
    chroma: float
    flatness: float
    solidity: float
    contrast: float
    glyph_share: float
    glyphs: int


@dataclass(frozen=True)
class Marks:
    """The mark candidates of one image."""

    badges: tuple[Mark, ...]
    strips: tuple[Mark, ...]


def analyse_marks(facts: Facts) -> Marks:
    """Find badge and strip candidates in ``facts``' working image, brought up to
    :data:`MARK_SIDE` on its long side."""
    work = facts.work
    k = MARK_SIDE / max(work.shape[:2])
    if k > 1:
        work = cv2.resize(work, None, fx=k, fy=k, interpolation=cv2.INTER_LINEAR)
    lab = cv2.cvtColor(cv2.GaussianBlur(work, (3, 3), 0), cv2.COLOR_RGB2LAB)
    to_orig = max(facts.width, facts.height) / max(work.shape[:2])

    def mapper(x0: int, y0: int, x1: int, y1: int) -> Box:
        return (
            max(0, int(x0 * to_orig)),
            max(0, int(y0 * to_orig)),
            min(facts.width, int(np.ceil(x1 * to_orig))),
            min(facts.height, int(np.ceil(y1 * to_orig))),
        )

    return Marks(_badges(lab, mapper), _strips(lab, mapper))


def _corner_seeds(h: int, w: int) -> list[tuple[int, int, str]]:
    """Seed points on a grid in each corner zone, nearest the corner first."""
    zx, zy = int(w * CORNER_ZONE), int(h * CORNER_ZONE)
    rows = {"top": range(1, zy, SEED_STEP), "bottom": range(h - 2, h - zy, -SEED_STEP)}
    cols = {"left": range(1, zx, SEED_STEP), "right": range(w - 2, w - zx, -SEED_STEP)}
    return [
        (x, y, f"{v}-{hz}")
        for v, ys in rows.items()
        for hz, xs in cols.items()
        for y in ys
        for x in xs
    ]


def _badges(lab: np.ndarray, mapper: BoxMapper) -> tuple[Mark, ...]:
    """Flat-colour regions anchored at a corner, each measured as a badge candidate."""
    h, w = lab.shape[:2]
    done = np.zeros((h + 2, w + 2), np.uint8)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (1 << 8)
    rng = (FLOOD_RANGE,) * 3
    found: list[Mark] = []
    for x, y, corner in _corner_seeds(h, w):
        if done[y + 1, x + 1]:
            continue
        mask = np.zeros((h + 2, w + 2), np.uint8)
        area, _, _, (bx, by, bw, bh) = cv2.floodFill(lab, mask, (x, y), 0, rng, rng, flags)
        done[by : by + bh + 2, bx : bx + bw + 2] |= mask[by : by + bh + 2, bx : bx + bw + 2]
        if area < MIN_BADGE_AREA * h * w or bw > MAX_BADGE_SIDE * w or bh > MAX_BADGE_SIDE * h:
            continue
        vert, horiz = corner.split("-")
        gap_x = bx if horiz == "left" else w - bx - bw
        gap_y = by if vert == "top" else h - by - bh
        if gap_x > ANCHOR * w or gap_y > ANCHOR * h:
            continue
        region = mask[1:-1, 1:-1].astype(bool)
        found.append(_measure("badge", lab, region, (bx, by, bx + bw, by + bh), corner, mapper))
    return tuple(found)


def _strips(lab: np.ndarray, mapper: BoxMapper) -> tuple[Mark, ...]:
    """Bands between a long straight horizontal step and the top or bottom edge."""
    h, w = lab.shape[:2]
    lo, hi = int(MIN_STRIP * h), int(STRIP_ZONE * h)
    found = []
    for edge in ("top", "bottom"):
        # The edge zone as rows from the edge inwards, every other column.
        zone = (lab[: hi + 2] if edge == "top" else lab[::-1][: hi + 2])[:, ::2].astype(np.int16)
        # Compare rows two apart, so a step softened over two rows still counts.
        step = np.abs(zone[2:] - zone[:-2]).max(axis=2) > GLYPH_CONTRAST // 2
        share = step.mean(axis=1)
        # share[i] is the step between rows i and i + 2 from the edge: the strip is rows 0..i.
        cut = next((i for i in range(lo - 1, hi - 1) if share[i] >= STRIP_STEP_SHARE), None)
        if cut is None:
            continue
        depth = cut + 2
        y0, y1 = (0, depth) if edge == "top" else (h - depth, h)
        band = np.zeros((h, w), bool)
        band[y0:y1] = True
        found.append(_measure("strip", lab, band, (0, y0, w, y1), edge, mapper))
    return tuple(found)


def _measure(
    kind: str,
    lab: np.ndarray,
    region: np.ndarray,
    bounds: tuple[int, int, int, int],
    where: str,
    mapper: BoxMapper,
) -> Mark:
    """Measure a region (a flood region, or a band whose fill is its commonest colour)."""
    h, w = lab.shape[:2]
    x0, y0, x1, y1 = bounds
    pad = 3
    px0, py0, px1, py1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
    sub = lab[py0:py1, px0:px1].astype(np.int16)
    reg = region[py0:py1, px0:px1]
    fill = _fill_colour(sub[reg])
    diff = np.abs(sub - fill).max(axis=2)
    filled = reg & (diff <= FLOOD_RANGE)
    # Flatness away from the fill's edges, where glyph and outline anti-aliasing blur in.
    core = cv2.erode(filled.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    core = core if core.any() else filled
    flatness = float((diff[core] <= FLAT_STEP).mean()) if core.any() else 0.0
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    closed = cv2.morphologyEx(filled.astype(np.uint8), cv2.MORPH_CLOSE, disc)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    outline = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(outline)
    hull_mask = np.zeros_like(closed)
    cv2.fillConvexPoly(hull_mask, hull, 1)
    hull_area = max(1, int(hull_mask.sum()))
    solidity = float(cv2.contourArea(outline) / max(1.0, cv2.contourArea(hull)))
    glyph = hull_mask.astype(bool) & ~filled & (diff > GLYPH_CONTRAST)
    glyphs = cv2.connectedComponents(glyph.astype(np.uint8), connectivity=8)[0] - 1
    ring = cv2.dilate(hull_mask, np.ones((5, 5), np.uint8)).astype(bool) & ~hull_mask.astype(bool)
    contrast = float(np.median(diff[ring])) if ring.any() else 0.0
    rgb = cv2.cvtColor(fill.astype(np.uint8).reshape(1, 1, 3), cv2.COLOR_LAB2RGB)[0, 0]
    return Mark(
        kind=kind,
        box=mapper(x0, y0, x1, y1),
        where=where,
        colour=(int(rgb[0]), int(rgb[1]), int(rgb[2])),
        area=float(hull_area / (h * w)),
        chroma=float(np.hypot(fill[1] - 128, fill[2] - 128)),
        flatness=flatness,
        solidity=solidity,
        contrast=contrast,
        glyph_share=float(glyph.sum() / hull_area),
        glyphs=int(glyphs),
    )


def _fill_colour(pixels: np.ndarray) -> np.ndarray:
    """The commonest colour of ``pixels`` (Lab, int16), by a coarse histogram."""
    q = pixels // 8
    keys = (q[:, 0].astype(np.int32) << 10) | (q[:, 1].astype(np.int32) << 5) | q[:, 2]
    top = np.bincount(keys).argmax()
    return np.median(pixels[keys == top], axis=0).astype(np.int16)


def watermark_kinds(text: str) -> tuple[str, ...]:
    """The kinds of watermark wording (:data:`WATERMARK_PATTERNS`) found in ``text``."""
    return tuple(kind for kind, pattern in WATERMARK_PATTERNS.items() if pattern.search(text))


#: Pinyin syllables (without tones; ``v`` for ü): initials by finals, loosely.
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q",
             "x", "r", "z", "c", "s", "y", "w")
_FINALS = ("iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "van",
           "ai", "ei", "ao", "ou", "an", "en", "in", "un", "vn", "ia", "ie", "iu", "ua", "uo",
           "ui", "ue", "ve", "a", "o", "e", "i", "u", "v")
_ALONE = ("a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "er")
PINYIN = frozenset([i + f for i in _INITIALS for f in _FINALS] + list(_ALONE))
_CJK = re.compile(r"[\u4e00-\u9fff]")


def spells_in_pinyin(latin: str, name: str) -> bool:
    """Whether ``latin`` (``DIDIJIAYUAN``) is the pinyin of the Chinese ``name``
    (滴滴家园): letters only, splitting into exactly one syllable per character. A shop's
    mark often sets its name over its pinyin."""
    letters = latin.lower().replace(" ", "")
    n = len(_CJK.findall(name))
    if n < 2 or not letters.isascii() or not letters.isalpha() or _CJK.sub("", name).strip():
        return False
    # reach[i]: the syllable counts with which letters[:i] can be split.
    reach: list[set[int]] = [set() for _ in range(len(letters) + 1)]
    reach[0].add(0)
    for i in range(len(letters)):
        for j in range(i + 1, min(len(letters), i + 6) + 1):
            if reach[i] and letters[i:j] in PINYIN:
                reach[j] |= {c + 1 for c in reach[i] if c < n}
    return n in reach[-1]


def text_contrast(gray: np.ndarray, box: Box) -> tuple[float, float]:
    """How strongly the text in ``box`` stands out of what lies under it.

    Returns the stroke contrast (grey levels between the strokes and a median estimate
    of the ground without them) and an opacity estimate: the share of the way from the
    ground to white (light text) or to black (dark text) the strokes go. A watermark is
    typically faint: low contrast, opacity well under 1.
    """
    x0, y0, x1, y1 = box
    h, w = gray.shape
    pad = max(2, (y1 - y0) // 2)
    crop = gray[max(0, y0 - pad) : min(h, y1 + pad), max(0, x0 - pad) : min(w, x1 + pad)]
    if crop.size == 0:
        return 0.0, 0.0
    k = min(101, max(3, ((y1 - y0) // 2) | 1))
    ground = cv2.medianBlur(crop, k).astype(np.float32)
    diff = crop.astype(np.float32) - ground
    light, dark = float(np.percentile(diff, 95)), float(-np.percentile(diff, 5))
    if light >= dark:
        strokes = diff >= light / 2
        room = np.maximum(1.0, 255.0 - ground[strokes])
        return light, float(np.median(diff[strokes] / room))
    strokes = diff <= -dark / 2
    return dark, float(np.median(-diff[strokes] / np.maximum(1.0, ground[strokes])))


class _Line(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def box(self) -> Box: ...


L = TypeVar("L", bound=_Line)

#: Two lines are set in one block (a label's lines, a logo's name over its domain) when
#: they overlap by this share of the narrower one's width, lie at most this share of the
#: shorter one's height apart, and the partner is at least :data:`BLOCK_HEIGHT` of the
#: line's height (a heading above a tagline, or a sibling line).
BLOCK_OVERLAP = 0.5
BLOCK_GAP = 0.5
BLOCK_HEIGHT = 0.7


def block_partner(line: L, lines: Sequence[L]) -> L | None:
    """A line of other wording set in one block with ``line``, directly above or below it.

    Solid site wording in such a block is print or a logo lockup (``suning.com`` under
    苏宁超市, ``www.dove.com`` in a label's address lines), not a mark laid over the photo.
    Watermark wording does not count as a partner (``fotolia`` over ``by Adobe``).
    """
    x0, y0, x1, y1 = line.box
    for other in lines:
        ox0, oy0, ox1, oy1 = other.box
        if other is line or watermark_kinds(other.text):
            continue
        low = min(y1 - y0, oy1 - oy0)
        overlap = min(x1, ox1) - max(x0, ox0)
        if (
            overlap >= BLOCK_OVERLAP * min(x1 - x0, ox1 - ox0)
            and max(oy0 - y1, y0 - oy1) <= BLOCK_GAP * low
            and oy1 - oy0 >= BLOCK_HEIGHT * (y1 - y0)
        ):
            return other
    return None


#: Two OCR lines read the same mark when they share a run of at least this many
#: characters making up at least :data:`SAME_SHARE` of the shorter line.
SAME_RUN = 4
SAME_SHARE = 0.8


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _same_mark(a: str, b: str) -> bool:
    """Whether two (normalised) lines are readings of one mark: OCR of a tiled mark
    often cuts it at different places, so a long enough shared run is enough."""
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size >= SAME_RUN and run.size >= SAME_SHARE * min(len(a), len(b))


def repeated_text(lines: Sequence[_Line]) -> list[_Line]:
    """The largest group of ``lines`` that read the same mark (fragments included)."""
    words = [(line, _letters(line.text)) for line in lines]
    words = [(line, w) for line, w in words if len(w) >= SAME_RUN]
    best: list[_Line] = []
    for _, w in words:
        group = [line for line, other in words if _same_mark(w, other)]
        if len(group) > len(best):
            best = group
    return best
