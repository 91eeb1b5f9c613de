"""Marks added over the photo: corner badges and stickers, promotional strips, watermarks.

Everything is measured on the working copy brought up to a fixed long side of
:data:`MARK_SIDE` pixels, so thresholds mean the same at every image size; boxes are
reported in original-image pixels.

*Badges* are grown from seeds in each corner zone: a flood fill with a fixed colour
range gives regions of one flat colour. A badge candidate is small and anchored at or
near a corner; for each the analysis measures what rules judge it by: how saturated
its fill is, how flat (graphic, not photographic), how solid its outline, how strongly
it contrasts with what lies round it, and the glyphs (text or a mark) of a strongly
different colour inside its outline.

*Worded badges* are found from the text instead: an OCR line in a corner zone carrying
badge wording (:func:`badge_wording`: a promotional term, a price or other figure, a gift,
guarantee or marketplace-campaign word) is a badge candidate when its ground, grown from
the line's commonest colour by a flood that follows gradients but stops at edges, is a
region of its own in that corner: not the image's background (which floods far beyond
any badge) and not the strokes of coloured lettering (a ground has a core; strokes are
all edge). This finds badges whose fill is a gradient or that sit a little way in from
the corner. Every badge candidate carries the
confident OCR text read inside it and the badge wording in that text, so rules can tell a
promotional badge from a brand-logo tile.

*Strips* are promotional bands across the top or bottom edge: a long, straight
horizontal step in the image with a band between it and the edge, measured the same way.

*Watermark text* is OCR text (the text fact) that names a web site, a stock agency or a
copyright claim, or carries a stock-photo number: words a product does not carry in
print. Each is measured for its contrast with what lies under it, and for the line of
other wording it is set in a block with, if any (a label's next line, the name a logo's
domain sits under). *Tiled text* is one wording read again and again across the frame,
as a tiled watermark is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import combinations
from typing import Protocol, TypeVar

import cv2
import numpy as np

from imagecheck.analysis.text import PROMO_TERMS, TextBox, promo_terms
from imagecheck.findings import Box
from imagecheck.grouping import linked_groups

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
#: Badge candidates' fill covers at least this share of the image ...
MIN_BADGE_AREA = 0.004
#: ... and span at most this share of either side.
MAX_BADGE_SIDE = 0.4
#: Worded badges: the line's centre lies in a corner zone reaching this share of each
#: side in, and the badge starts in that zone and has its centre in that quarter ...
WORDED_ZONE = 0.35
#: ... and the grown ground spans at most this share of either side (one that spans a
#: whole side is a strip or a panel) and of the image.
MAX_WORDED_SIDE = 0.9
MAX_WORDED_AREA = 0.15
#: OCR lines read with at least this confidence count as text inside a badge.
MIN_WORD_CONFIDENCE = 0.8
#: Flood-fill seeds taken from a worded line's ground.
WORDED_SEEDS = 12
#: A line's box is taken to hold a second ground when this share of it is another colour.
GROUND_SHARE = 0.15
#: Worded grounds are grown by a flood that steps at most this far (Lab units, each
#: channel) from pixel to pixel, so it follows a gradient fill but stops at an edge ...
GROUND_STEP = 4
#: ... and at least this share of a ground lies more than two pixels from its edge
#: (lettering is all edge).
MIN_GROUND_CORE = 0.2
#: A line lies inside a mark when this share of its box is inside the mark's box.
INSIDE_SHARE = 0.6
#: Badge wording besides promotional terms and prices: a figure set with Chinese words
#: (30天, 12期, 610升, 双11; a bare number or code is as often a model name or a rating
#: mark printed on a pack), gifts (赠, 送), guarantees and seals (价保, 包赔, 保修, 无忧,
#: 专柜, 国行, 行货, 保真), trials and marketplace campaigns.
BADGE_WORDS = re.compile(
    r"\d\s*[\u4e00-\u9fff]|[\u4e00-\u9fff]\s*\d|赠|送|价保|包赔|包换|保修|无忧|专柜|国行"
    r"|行货|保真|试用|天猫|聚划算|双十一|家年华|品牌日|年货节|狂欢"
)
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
        r"|[\u4e00-\u9fff]com(?=[\u4e00-\u9fff]|$)"
        # A Chinese site mark's domain set before its name (JD.COM 京东, XX.COM 优品汇),
        # faint, so OCR garbles the domain: the dot misread or lost (JDCOM京东, JD&COM京东;
        # COM京东 where the name's start is cut) after at most a two-letter name (not a
        # word's end: UNICOM 中国联通, China Telecom 中国电信 are print), or com misread by
        # one letter after the dot (XX.CDM优品汇).
        r"|(?<![a-z])(?:[a-z]{1,2})?com\s?(?=[\u4e00-\u9fff])"
        r"|[a-z0-9]{2}[.·]\s?(?:c[a-z0-9]m|[a-z0-9]om)\s?(?=[\u4e00-\u9fff])",
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

#: Stock agencies' names long enough to be recognised with one letter misread
#: (``stockpnotos``, ``shutterstuck``); shorter ones (istock, 123rf) and ones a word is
#: one letter from (dreamstime, dreamtime) only as written.
MISREAD_AGENCIES = ("shutterstock", "gettyimages", "adobestock", "stockphoto", "depositphotos")

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
    how many separate glyph parts there are; ``rectangularity`` the share of its box the
    hull fills (1 for an upright rectangle, about 0.79 for a roundel). ``text`` is the
    confident OCR text read inside the box and ``wording`` the badge wording in it
    (:func:`badge_wording`); ``worded`` is true for a mark found from its wording.
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
    rectangularity: float = 0.0
    text: str = ""
    wording: tuple[str, ...] = ()
    worded: bool = False


@dataclass(frozen=True)
class Marks:
    """The mark candidates of one image."""

    badges: tuple[Mark, ...]
    strips: tuple[Mark, ...]


def analyse_marks(
    work: np.ndarray, size: tuple[int, int], lines: Sequence[TextBox], terms: Sequence[str] = ()
) -> Marks:
    """Find badge and strip candidates in the working copy ``work`` (RGB) of a ``size``
    (width, height) image, brought up to :data:`MARK_SIDE` on its long side; ``lines`` is
    the image's OCR text and ``terms`` the user's promotional words."""
    width, height = size
    k = MARK_SIDE / max(work.shape[:2])
    if k > 1:
        work = cv2.resize(work, None, fx=k, fy=k, interpolation=cv2.INTER_LINEAR)
    lab = cv2.cvtColor(cv2.GaussianBlur(work, (3, 3), 0), cv2.COLOR_RGB2LAB)
    to_orig = max(width, height) / max(work.shape[:2])

    def mapper(x0: int, y0: int, x1: int, y1: int) -> Box:
        return (
            max(0, int(x0 * to_orig)),
            max(0, int(y0 * to_orig)),
            min(width, int(np.ceil(x1 * to_orig))),
            min(height, int(np.ceil(y1 * to_orig))),
        )

    sure = [b for b in lines if b.confidence >= MIN_WORD_CONFIDENCE]
    badges = _badges(lab, mapper) + _worded(lab, sure, terms, to_orig, mapper)
    return Marks(tuple(_read(m, lines, terms) for m in badges), _strips(lab, mapper))


def badge_wording(text: str, terms: Sequence[str] = ()) -> tuple[str, ...]:
    """The badge wording in ``text``: promotional terms (with ``terms``) and a price
    (:func:`~imagecheck.analysis.text.promo_terms`), ``figure`` for a number, and the
    gift, guarantee and campaign words of :data:`BADGE_WORDS`."""
    words = list(promo_terms(text, PROMO_TERMS + tuple(terms)))
    words += [
        "figure" if any(c.isdigit() for c in m.group()) else m.group()
        for m in BADGE_WORDS.finditer(text)
    ]
    return tuple(dict.fromkeys(words))


def _read(mark: Mark, lines: Sequence[TextBox], terms: Sequence[str]) -> Mark:
    """``mark`` with the text of the lines lying inside its box and the wording in it."""
    x0, y0, x1, y1 = mark.box
    inside = []
    for line in lines:
        lx0, ly0, lx1, ly1 = line.box
        overlap = max(0, min(x1, lx1) - max(x0, lx0)) * max(0, min(y1, ly1) - max(y0, ly0))
        if overlap >= INSIDE_SHARE * max(1, (lx1 - lx0) * (ly1 - ly0)):
            inside.append(line)
    sure = " ".join(b.text for b in inside if b.confidence >= MIN_WORD_CONFIDENCE)
    return replace(
        mark, text=" ".join(b.text for b in inside), wording=badge_wording(sure, terms)
    )


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


def _worded(
    lab: np.ndarray,
    lines: Sequence[TextBox],
    terms: Sequence[str],
    to_orig: float,
    mapper: BoxMapper,
) -> tuple[Mark, ...]:
    """The ground of each line with badge wording in a corner zone, grown by flood fill
    from the line's commonest colour, measured as a badge candidate when it is compact."""
    h, w = lab.shape[:2]
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    rng = (GROUND_STEP,) * 3
    found: list[Mark] = []
    for line in lines:
        x0, y0, x1, y1 = (int(v / to_orig) for v in line.box)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, max(x1, x0 + 1)), min(h, max(y1, y0 + 1))
        corner = _corner((x0, y0, x1, y1), w, h, WORDED_ZONE)
        if corner is None or not badge_wording(line.text, terms):
            continue
        sub = lab[y0:y1, x0:x1].astype(np.int16)
        for fill in _ground_colours(sub.reshape(-1, 3)):
            ys, xs = np.nonzero(np.abs(sub - fill).max(axis=2) <= FLAT_STEP)
            mask = np.zeros((h + 2, w + 2), np.uint8)
            for i in np.linspace(0, len(ys) - 1, num=min(len(ys), WORDED_SEEDS)).astype(int):
                sx, sy = x0 + int(xs[i]), y0 + int(ys[i])
                if not mask[sy + 1, sx + 1]:
                    cv2.floodFill(lab, mask, (sx, sy), 0, rng, rng, flags)
            region = mask[1:-1, 1:-1].astype(bool)
            rows, cols = np.nonzero(region.any(axis=1))[0], np.nonzero(region.any(axis=0))[0]
            if not len(rows):
                continue
            bounds = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
            bx0, by0, bx1, by1 = bounds
            if (
                bx1 - bx0 > MAX_WORDED_SIDE * w
                or by1 - by0 > MAX_WORDED_SIDE * h
                or region.sum() > MAX_WORDED_AREA * h * w
                or _quadrant(bounds, w, h) != corner
                or min(bx0, w - bx1) > WORDED_ZONE * w
                or min(by0, h - by1) > WORDED_ZONE * h
                or _core_share(region) < MIN_GROUND_CORE
            ):
                continue
            mark = _measure("badge", lab, region, bounds, corner, mapper, grown=True)
            found.append(replace(mark, worded=True))
    return tuple(found)


def _core_share(region: np.ndarray) -> float:
    """The share of ``region`` more than two pixels from its edge: small for the strokes
    of lettering, large for the ground a badge's text sits on."""
    core = cv2.erode(region.astype(np.uint8), np.ones((5, 5), np.uint8))
    return float(core.sum() / max(1, region.sum()))


def _quadrant(box: tuple[int, int, int, int], w: int, h: int) -> str:
    """The corner of the quarter of the image that holds ``box``'s centre."""
    vert = "top" if box[1] + box[3] < h else "bottom"
    horiz = "left" if box[0] + box[2] < w else "right"
    return f"{vert}-{horiz}"


def _corner(box: tuple[int, int, int, int], w: int, h: int, zone: float) -> str | None:
    """The corner whose zone (``zone`` of each side in from it) holds ``box``'s centre."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    vert = "top" if cy < zone * h else "bottom" if cy > (1 - zone) * h else None
    horiz = "left" if cx < zone * w else "right" if cx > (1 - zone) * w else None
    return f"{vert}-{horiz}" if vert and horiz else None


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
    grown: bool = False,
) -> Mark:
    """Measure a region (a flood region, or a band whose fill is its commonest colour).

    A ``grown`` region (a worded badge's ground, which may be a gradient) is its fill as
    it is; otherwise the fill is the region's pixels near its commonest colour."""
    h, w = lab.shape[:2]
    x0, y0, x1, y1 = bounds
    pad = 3
    px0, py0, px1, py1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
    sub = lab[py0:py1, px0:px1].astype(np.int16)
    reg = region[py0:py1, px0:px1]
    fill = _fill_colour(sub[reg])
    diff = np.abs(sub - fill).max(axis=2)
    filled = reg if grown else reg & (diff <= FLOOD_RANGE)
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
    _, _, ow, oh = cv2.boundingRect(outline)
    rectangularity = float(cv2.contourArea(hull) / max(1, ow * oh))
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
        rectangularity=rectangularity,
    )


def _ground_colours(pixels: np.ndarray) -> list[np.ndarray]:
    """A line's ground colours (Lab, int16): the commonest colour of ``pixels`` and, when
    at least :data:`GROUND_SHARE` of them differ from it, the commonest of those (the
    ground of a tilted badge whose box takes in some of what lies round it)."""
    first = _fill_colour(pixels)
    rest = pixels[np.abs(pixels - first).max(axis=1) > FLOOD_RANGE]
    if len(rest) < GROUND_SHARE * len(pixels):
        return [first]
    return [first, _fill_colour(rest)]


def _fill_colour(pixels: np.ndarray) -> np.ndarray:
    """The commonest colour of ``pixels`` (Lab, int16), by a coarse histogram."""
    q = pixels // 8
    keys = (q[:, 0].astype(np.int32) << 10) | (q[:, 1].astype(np.int32) << 5) | q[:, 2]
    top = np.bincount(keys).argmax()
    return np.asarray(np.median(pixels[keys == top], axis=0), np.int16)


def watermark_kinds(text: str) -> tuple[str, ...]:
    """The kinds of watermark wording (:data:`WATERMARK_PATTERNS`) found in ``text``; a
    stock agency's name also with one letter misread (:data:`MISREAD_AGENCIES`)."""
    return tuple(
        kind for kind, pattern in WATERMARK_PATTERNS.items()
        if pattern.search(text) or (kind == "stock agency" and _misread_agency(text))
    )


def _misread_agency(text: str) -> bool:
    """Whether ``text`` holds a name of :data:`MISREAD_AGENCIES` with at most one letter
    changed, left out or added."""
    letters = "".join(c for c in text.lower() if c.isascii() and c.isalnum())
    return any(
        _one_edit(letters[i:i + n], name)
        for name in MISREAD_AGENCIES
        for n in (len(name) - 1, len(name), len(name) + 1)
        for i in range(len(letters) - n + 1)
    )


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one changed, left-out or added letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i + 1:] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1:]


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
SAME_RUN = 3
SAME_SHARE = 0.6


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _same_mark(a: str, b: str) -> bool:
    """Whether two (normalised) lines are readings of one mark: OCR of a tiled mark
    often cuts it at different places, so a long enough shared run is enough."""
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size >= SAME_RUN and run.size >= SAME_SHARE * min(len(a), len(b))


def repeated_text(lines: Sequence[_Line]) -> list[_Line]:
    """The largest group of ``lines`` that read the same mark: readings that share a run
    (:func:`_same_mark`) and, through them, the readings those share one with (each
    reading of a tiled mark is cut at other places: 小明家居 and 居旗舰店 share little,
    but both share a run with 小明家居旗舰)."""
    words = [(line, _letters(line.text)) for line in lines]
    words = [(line, w) for line, w in words if len(w) >= SAME_RUN]
    groups = linked_groups(len(words), combinations(range(len(words)), 2),
                           lambda i, j: _same_mark(words[i][1], words[j][1]))
    return [words[i][0] for i in max(groups, key=len, default=[])]
