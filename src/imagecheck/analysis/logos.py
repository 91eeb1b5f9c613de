"""Logos and brand marks added to an image.

Four kinds of evidence, each a :class:`LogoMark`:

- ``brand``: a name from the user's brand list read in overlay text;
- ``wordmark``: a short brand-like word set apart in a top corner, a store name
  (…旗舰店) or a trademark sign in overlay text, or an image that is only a wordmark;
- ``mark``: a small compact graphic on the plain background in a top corner, apart from
  the product;
- ``file``: one of the user's logo files, found at any scale and moderate rotation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from imagecheck.analysis.background import Background
from imagecheck.analysis.marks import badge_wording
from imagecheck.analysis.subject import Subject
from imagecheck.analysis.text import TILT, TextBox, TextFacts, normalised
from imagecheck.analysis.work import WorkMap
from imagecheck.findings import Box
from imagecheck.i18n import msg, reason
from imagecheck.loading import InputError, load_path

#: Store-name endings: a shop's name set on the image is brand text.
STORE_SUFFIXES: tuple[str, ...] = ("旗舰店", "专卖店", "专营店", "官方店", "OFFICIALSTORE")
#: Trademark signs.
TRADEMARK_SIGNS = ("®", "™")
#: Top corner zone where brand marks are placed: the top share of the height...
CORNER_HEIGHT = 0.2
#: ... and the outer share of the width on either side.
CORNER_WIDTH = 0.12
#: Sentence-like text (punctuation, digits, spaces) is not a wordmark.
_NOT_WORDMARK = re.compile(r"[\d\s,.:;!?，。：；！？、·()（）]")
#: Share of the subject's box the text lines of a wordmark-only image cover.
LOGO_ONLY_COVER = 0.3
#: Minimum OCR confidence for text to count as a brand mark.
MIN_MARK_CONFIDENCE = 0.8
#: A wordmark's box that is more product than this share is lettering printed on a
#: product's surface (a shirt, a sign), not a logo on the background.
ON_SURFACE = 0.85
#: Share of the content a logo-only image's lettering must hold (the rest: its emblem).
LETTERING_SHARE = 0.5
#: Per-channel difference from its surroundings that most of an added mark's pixels
#: exceed: marks are drawn to stand out; scene detail near a corner (foliage, a hinge,
#: a faint graphic on the product) does not.
MARK_CONTRAST = 100


class LogoFileError(ValueError):
    """A ``--logo`` file cannot be used; the message says why."""


@dataclass(frozen=True)
class LogoMark:
    """One brand mark found in the image, in original-image pixels."""

    kind: str
    name: str
    box: Box
    score: float
    why: str


def _glyphs(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def _cjk(text: str) -> int:
    return sum(1 for c in text if "\u3040" <= c <= "\u9fff")


#: A lone character before a word: a logo's emblem read as a glyph (``0 LUMA``).
_EMBLEM_GLYPH = re.compile(r"^\S\s+(?=\S)")


def _wordlike(line: TextBox) -> bool:
    """A short word with no digits, spaces or punctuation and no badge wording (天猫,
    赠...: a badge's word is the badge rule's business): how brand names are set. A lone
    character before it is the emblem beside the word, read as a glyph."""
    text = _EMBLEM_GLYPH.sub("", line.text.strip())
    return (
        not _NOT_WORDMARK.search(text)
        and not line.promo
        and not badge_wording(text)
        and 2 <= _glyphs(text) <= 10
        and _cjk(text) <= 4
        and line.confidence >= MIN_MARK_CONFIDENCE
    )


def brand_marks(lines: Sequence[TextBox], brands: Sequence[str]) -> list[LogoMark]:
    """Overlay lines naming one of ``brands`` (case and spaces ignored)."""
    wanted = [(b, normalised(b)) for b in brands if normalised(b)]
    out = []
    for line in lines:
        if line.kind != "overlay":
            continue
        flat = normalised(line.text)
        for brand, key in wanted:
            if key in flat:
                out.append(LogoMark("brand", brand, line.box, line.confidence,
                                    msg('brand name "{brand}" in added text "{text}"',
                                        brand=brand, text=line.text)))
    return out


def text_marks(
    lines: Sequence[TextBox],
    shape: tuple[int, int],
    subject_box: Box | None,
    content: np.ndarray | None = None,
) -> list[LogoMark]:
    """Brand marks recognisable from text alone.

    A short word set in a top corner apart from any block of text (logos are placed with
    clear space; a headline has sub-lines aligned under it, a slogan has words beside
    it); a
    store name (no product is printed with its shop's name); a trademark sign in overlay
    text; or an image whose only content is a few words (a logo file used as a listing
    image). A single Latin letter
    read with high confidence in a top corner is the initial of a logo tile. A word is in
    the corner when it or the emblem beside it (:func:`_with_emblem`) starts there.
    """
    h, w = shape
    out = []
    for line in lines:
        flat = normalised(line.text)
        if line.kind != "artefact" and any(s in flat for s in STORE_SUFFIXES):
            out.append(LogoMark("wordmark", line.text, line.box, line.confidence,
                                msg("a store name set on the image")))
        elif line.kind == "overlay" and any(s in line.text for s in TRADEMARK_SIGNS):
            out.append(LogoMark("wordmark", line.text, line.box, line.confidence,
                                msg("a trademark sign in added text")))
        elif _in_top_corner(_with_emblem(line, lines), w, h) and _corner_word(line, lines, h):
            out.append(LogoMark("wordmark", line.text, line.box, line.confidence,
                                msg("a short word set apart in a top corner, as brand"
                                    " marks are")))
    only = _logo_only(lines, subject_box, content, shape)
    if only is not None:
        out.append(only)
    return out


def _in_top_corner(box: Box, w: int, h: int) -> bool:
    x0, y0, x1, y1 = box
    return y0 < CORNER_HEIGHT * h and (x0 < CORNER_WIDTH * w or x1 > (1 - CORNER_WIDTH) * w)


def _with_emblem(line: TextBox, lines: Sequence[TextBox]) -> Box:
    """``line``'s box, taking in an emblem beside it: a line OCR found no word in (an
    artefact), level with it and at most its height away (an icon left of a wordmark)."""
    x0, y0, x1, y1 = line.box
    height = y1 - y0
    for other in lines:
        ox0, oy0, ox1, oy1 = other.box
        if (other.kind == "artefact" and min(y1, oy1) - max(y0, oy0) >= 0.5 * height
                and max(ox0 - x1, x0 - ox1) <= height):
            x0, y0, x1, y1 = min(x0, ox0), min(y0, oy0), max(x1, ox1), max(y1, oy1)
    return x0, y0, x1, y1


def _corner_word(line: TextBox, lines: Sequence[TextBox], h: int) -> bool:
    x0, y0, x1, y1 = line.box
    if y1 - y0 > CORNER_HEIGHT * h or y1 - y0 > x1 - x0:
        return False
    text = line.text.strip()
    if line.kind == "artefact":
        return len(text) == 1 and text.isascii() and text.isalpha() and line.confidence >= 0.9
    if line.kind != "overlay" or not _wordlike(line):
        return False
    height = y1 - y0
    beside = 0
    for other in lines:
        if other is line or other.kind == "artefact":
            continue
        ox0, oy0, ox1, oy1 = other.box
        below = y1 - 0.2 * height <= oy0 < y1 + 2 * height
        under = min(x1, ox1) - max(x0, ox0) > 0.5 * min(x1 - x0, ox1 - ox0)
        if other.kind == "overlay" and below and under:
            if _NOT_WORDMARK.search(other.text.strip()) or _glyphs(other.text) > 6:
                return False
        beside += min(y1, oy1) - max(y0, oy0) > 0.5 * height
    return beside < 2  # a row of three or more words is a slogan, not a mark


def _logo_only(
    lines: Sequence[TextBox],
    subject_box: Box | None,
    content: np.ndarray | None,
    shape: tuple[int, int],
) -> LogoMark | None:
    """The image is just a wordmark: up to three level word-like lines that between them
    cover most of the subject, set on the background (not printed on a product's surface)
    and holding most of the ``content`` (beside them at most an emblem). Words set at an
    angle are a stamp or seal, which is text."""
    real = [b for b in lines if b.kind != "artefact"]
    if not real or len(real) > 3 or subject_box is None:
        return None
    if any(abs(b.tilt) > TILT for b in real):
        return None
    if not all(wordmark_line(b) for b in real):
        return None
    sx0, sy0, sx1, sy1 = subject_box
    inside = 0
    for x0, y0, x1, y1 in (b.box for b in real):
        inside += max(0, min(x1, sx1) - max(x0, sx0)) * max(0, min(y1, sy1) - max(y0, sy0))
    cover = min(1.0, inside / max(1, (sx1 - sx0) * (sy1 - sy0)))
    if cover < LOGO_ONLY_COVER:
        return None
    box = (min(b.box[0] for b in real), min(b.box[1] for b in real),
           max(b.box[2] for b in real), max(b.box[3] for b in real))
    if content is not None and not _lettering_alone(content, box, shape):
        return None
    name = " ".join(b.text for b in real)
    return LogoMark("wordmark", name, box, round(cover, 3),
                    msg("the image is only a wordmark: its text covers {cover:.0%} of the"
                        " content", cover=cover))


def _lettering_alone(content: np.ndarray, box: Box, shape: tuple[int, int]) -> bool:
    """Whether the lettering in ``box`` (original pixels) stands on the background and
    holds most of the ``content`` mask."""
    ky, kx = content.shape[0] / shape[0], content.shape[1] / shape[1]
    x0, y0, x1, y1 = box
    inside = content[int(y0 * ky):int(np.ceil(y1 * ky)), int(x0 * kx):int(np.ceil(x1 * kx))]
    total = int(content.sum())
    if inside.size == 0 or total == 0:
        return False
    return bool(inside.mean() <= ON_SURFACE and inside.sum() >= LETTERING_SHARE * total)


def wordmark_line(line: TextBox) -> bool:
    """A line of a logo lockup: words without digits, prices or sentence punctuation."""
    text = line.text.strip()
    return (
        line.confidence >= MIN_MARK_CONFIDENCE
        and not line.promo
        and not re.search(r"[\d,.:;!?，。：；！？、]", text)
        and _glyphs(text) <= 16
    )


def _share_inside(box: Box, outer: Box) -> float:
    """The share of ``box`` that lies inside ``outer``."""
    x0, y0, x1, y1 = box
    inside = max(0, min(x1, outer[2]) - max(x0, outer[0])) * max(
        0, min(y1, outer[3]) - max(y0, outer[1]))
    return inside / max(1, (x1 - x0) * (y1 - y0))


def graphic_marks(
    background: Background, work: np.ndarray, work_map: WorkMap, words: Sequence[TextBox]
) -> list[LogoMark]:
    """Small compact shapes on the plain background in a top corner, apart from the product
    and from the text read, ``words``: a glyph of a line (overlay or print: a letter of a
    pale box's print stands alone on a white ground) is text, and a shape holding an
    overlay line of badge wording is a badge.

    Works on the working copy ``work`` and its ``background`` mask (``work_map`` maps them to
    the image); needs a plain background (not a scene).
    """
    bg = background
    if bg.kind == "scene" or not bg.mask.any():
        return []
    fg = (~bg.mask).astype(np.uint8)
    h, w = fg.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if n <= 2:
        return []
    areas = stats[1:, cv2.CC_STAT_AREA]
    main = 1 + int(np.argmax(areas))
    mx, my, mw, mh = stats[main, :4]
    pixels = work.astype(np.int16)
    out = []
    for i in range(1, n):
        x, y, cw, ch, area = (int(v) for v in stats[i])
        if i == main or not 0.0008 * h * w <= area <= 0.04 * h * w:
            continue
        box = (x, y, x + cw, y + ch)
        if not _in_top_corner(box, w, h) or y + ch > 0.3 * h:
            continue
        if max(cw, ch) > 3 * min(cw, ch) or area < 0.3 * cw * ch:
            continue
        if x == 0 or x + cw == w:
            continue  # cut by the side of the frame: part of something larger
        apart = x + cw < mx or x > mx + mw or y + ch < my or y > my + mh
        if not apart or not _stands_out(pixels, labels[y:y + ch, x:x + cw] == i, x, y):
            continue
        found = work_map.to_original(box)
        cx, cy = (found[0] + found[2]) / 2, (found[1] + found[3]) / 2
        size = (found[2] - found[0]) * (found[3] - found[1])
        if any(t.box[0] <= cx < t.box[2] and t.box[1] <= cy < t.box[3]
               and size < 0.5 * (t.box[2] - t.box[0]) * (t.box[3] - t.box[1]) for t in words):
            continue  # a glyph of a line: the text rules judge the line
        if any(t.kind == "overlay" and _share_inside(t.box, found) >= 0.6
               and (t.promo or badge_wording(t.text)) for t in words):
            continue  # a badge carrying promotional wording: the badge rule reports it
        share = round(area / (h * w), 4)
        out.append(LogoMark("mark", "graphic mark", found, share,
                            msg("a small separate graphic on the background in a top"
                                " corner")))
    return out


def _stands_out(work: np.ndarray, shape: np.ndarray, x: int, y: int) -> bool:
    """Whether most pixels of ``shape`` (a mask placed at ``x, y`` in ``work``) differ
    from the median colour of a thin ring round it by :data:`MARK_CONTRAST`."""
    h, w = work.shape[:2]
    pad = 3
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(w, x + shape.shape[1] + pad), min(h, y + shape.shape[0] + pad)
    inner = np.zeros((y1 - y0, x1 - x0), np.uint8)
    inner[y - y0:y - y0 + shape.shape[0], x - x0:x - x0 + shape.shape[1]] = shape
    ring = cv2.dilate(inner, np.ones((2 * pad + 1, 2 * pad + 1), np.uint8)) > inner
    patch = work[y0:y1, x0:x1]
    if not ring.any():
        return True
    diff = np.abs(patch[inner > 0] - np.median(patch[ring], axis=0)).max(axis=1)
    return float(np.percentile(diff, 90)) >= MARK_CONTRAST


# --------------------------------------------------------------------------------------------
# User logo files
# --------------------------------------------------------------------------------------------

#: Long side the image is searched at (features, and refining template matches).
SEARCH_SIDE = 640
#: Long side of the coarse template search.
COARSE_SIDE = 320
#: Smallest and largest logo width tried, as shares of the image width, and the step.
TEMPLATE_WIDTHS = (0.04, 0.9)
TEMPLATE_STEP = 1.12
#: Rotations tried by the coarse template search, in degrees (refined by +-4 after).
TEMPLATE_ANGLES = (-10.0, 0.0, 10.0)
#: Normalised correlation a coarse candidate needs, and a confirmed match.
COARSE_SCORE = 0.45
TEMPLATE_SCORE = 0.75
#: RANSAC inliers a feature match needs.
MIN_INLIERS = 12


@dataclass(frozen=True)
class LogoFile:
    """A user logo: its name and grey pixels on white."""

    name: str
    gray: np.ndarray


@lru_cache(maxsize=32)
def load_logo(path: str) -> LogoFile:
    """Read a logo file (transparent parts become white); :class:`LogoFileError` if unusable."""
    try:
        image = load_path(path)
    except InputError as exc:
        raise LogoFileError(msg("logo file {path}: {error}", path=path,
                                error=reason(exc))) from None
    gray = cv2.cvtColor(image.rgb, cv2.COLOR_RGB2GRAY)
    if min(gray.shape) < 8 or float(gray.std()) < 4:
        raise LogoFileError(msg("logo file {path} is too small or blank to search for", path=path))
    return LogoFile(Path(path).name, _crop_to_content(gray))


def _crop_to_content(gray: np.ndarray) -> np.ndarray:
    """Trim plain margins the colour of the corners."""
    corner = np.median([gray[0, 0], gray[0, -1], gray[-1, 0], gray[-1, -1]])
    ys, xs = np.nonzero(np.abs(gray.astype(np.int16) - corner) > 24)
    if len(xs) == 0:
        return gray
    return gray[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def find_logo(rgb: np.ndarray, logo: LogoFile) -> LogoMark | None:
    """Where ``logo`` appears in ``rgb``: feature matching first, then multi-scale
    templates (small or plain logos have too few features)."""
    h, w = rgb.shape[:2]
    scale = min(1.0, SEARCH_SIDE / max(h, w))
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if scale < 1.0:
        gray = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    found = _feature_match(gray, logo.gray) or _template_match(gray, logo.gray)
    if found is None:
        return None
    (x0, y0, x1, y1), score, how = found
    box = (
        max(0, int(x0 / scale)), max(0, int(y0 / scale)),
        min(w, int(np.ceil(x1 / scale))), min(h, int(np.ceil(y1 / scale))),
    )
    return LogoMark("file", logo.name, box, round(score, 3),
                    msg("logo file {name} found ({how})", name=logo.name, how=how))


_Found = tuple[tuple[float, float, float, float], float, str]


def _feature_match(gray: np.ndarray, logo: np.ndarray) -> _Found | None:
    orb = cv2.ORB_create(nfeatures=1500)  # type: ignore[attr-defined]
    side = max(logo.shape)
    logo_up = logo if side >= 200 else cv2.resize(logo, None, fx=200 / side, fy=200 / side)
    kp1, d1 = orb.detectAndCompute(logo_up, None)
    kp2, d2 = orb.detectAndCompute(gray, None)
    if d1 is None or d2 is None or len(kp1) < MIN_INLIERS or len(kp2) < MIN_INLIERS:
        return None
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(d1, d2, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
    if len(good) < MIN_INLIERS:
        return None
    src = np.array([kp1[m.queryIdx].pt for m in good], np.float32).reshape(-1, 1, 2)
    dst = np.array([kp2[m.trainIdx].pt for m in good], np.float32).reshape(-1, 1, 2)
    matrix, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
    if matrix is None or int(inliers.sum()) < MIN_INLIERS:
        return None
    lh, lw = logo_up.shape
    corners = np.array([[0, 0], [lw, 0], [lw, lh], [0, lh]], np.float32).reshape(-1, 1, 2)
    quad = cv2.perspectiveTransform(corners, matrix).reshape(-1, 2)
    if not cv2.isContourConvex(quad.astype(np.float32)) or cv2.contourArea(quad) < 64:
        return None
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    score = int(inliers.sum()) / len(good)
    return ((float(x0), float(y0), float(x1), float(y1)), score,
            msg("{n} matching features", n=int(inliers.sum())))


def _template_match(gray: np.ndarray, logo: np.ndarray) -> _Found | None:
    """Coarse search over scales and rotations on a small copy, then the best candidate
    refined around its place, scale and angle at the search size."""
    h, w = gray.shape
    k = min(1.0, COARSE_SIDE / max(h, w))
    small = cv2.resize(gray, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    widths = []
    share = TEMPLATE_WIDTHS[0]
    while share <= TEMPLATE_WIDTHS[1]:
        widths.append(share)
        share *= TEMPLATE_STEP
    coarse = _best_template(small, logo, [s * small.shape[1] for s in widths], TEMPLATE_ANGLES)
    if coarse is None or coarse[1] < COARSE_SCORE:
        return None
    (cx0, cy0, _, _), _, width, angle = coarse
    # Refine in a window round the candidate, at the full search size.
    pad = int(width / k)
    x0, y0 = max(0, int(cx0 / k) - pad), max(0, int(cy0 / k) - pad)
    window = gray[y0:min(h, y0 + 3 * pad + 1), x0:min(w, x0 + 3 * pad + 1)]
    sizes = [width / k * f for f in (0.92, 0.96, 1.0, 1.04, 1.08)]
    fine = _best_template(window, logo, sizes, (angle - 4, angle, angle + 4))
    if fine is None or fine[1] < TEMPLATE_SCORE:
        return None
    (fx0, fy0, fx1, fy1), score, _, best_angle = fine
    box = (fx0 + x0, fy0 + y0, fx1 + x0, fy1 + y0)
    return box, score, msg("template match, turned {angle:+.0f} degrees", angle=best_angle)


def _best_template(
    gray: np.ndarray, logo: np.ndarray, widths: Sequence[float], angles: Sequence[float]
) -> tuple[tuple[float, float, float, float], float, float, float] | None:
    """The best (box, score, width, angle) of ``logo`` in ``gray`` over the given sizes."""
    h, w = gray.shape
    best = None
    for width in widths:
        tw = int(round(width))
        th = int(round(tw * logo.shape[0] / logo.shape[1]))
        if tw < 10 or th < 6 or th >= h or tw >= w:
            continue
        base = cv2.resize(logo, (tw, th), interpolation=cv2.INTER_AREA)
        for angle in angles:
            templ = _rotated(base, angle)
            if templ.shape[0] >= h or templ.shape[1] >= w:
                continue
            result = cv2.matchTemplate(gray, templ, cv2.TM_CCOEFF_NORMED)
            result = np.nan_to_num(result, nan=-1.0, posinf=-1.0, neginf=-1.0)
            _, score, _, (x, y) = cv2.minMaxLoc(result)
            if best is None or score > best[1]:
                box = (float(x), float(y), float(x + templ.shape[1]), float(y + templ.shape[0]))
                best = (box, float(score), float(tw), float(angle))
    return best


def _rotated(templ: np.ndarray, angle: float) -> np.ndarray:
    """``templ`` rotated by ``angle`` on an expanded canvas filled with its border colour."""
    if angle == 0:
        return templ
    th, tw = templ.shape
    matrix = cv2.getRotationMatrix2D((tw / 2, th / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(th * sin + tw * cos), int(th * cos + tw * sin)
    matrix[0, 2] += nw / 2 - tw / 2
    matrix[1, 2] += nh / 2 - th / 2
    fill = float(np.median(np.concatenate([templ[0], templ[-1], templ[:, 0], templ[:, -1]])))
    return cv2.warpAffine(templ, matrix, (nw, nh), borderValue=fill)


# --------------------------------------------------------------------------------------------
# The fact
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogoFacts:
    """Brand marks found in one image."""

    marks: tuple[LogoMark, ...]


def analyse_logos(
    rgb: np.ndarray,
    work: np.ndarray,
    work_map: WorkMap,
    background: Background,
    subject: Subject,
    text: TextFacts,
    brands: Sequence[str] = (),
    logos: Sequence[str] = (),
) -> LogoFacts:
    """Every brand mark in the image ``rgb``: from its ``text``, from graphics on its
    working copy ``work`` (``work_map`` maps it to ``rgb``) given its ``background`` and
    ``subject``, the user's ``brands`` and the logo files at the paths ``logos``."""
    marks = brand_marks(text.boxes, brands)
    marks += text_marks(text.boxes, (rgb.shape[0], rgb.shape[1]), subject.box, subject.mask)
    marks += graphic_marks(background, work, work_map, text.overlays + text.prints)
    for path in logos:
        found = find_logo(rgb, load_logo(path))
        if found is not None:
            marks.append(found)
    return LogoFacts(tuple(marks))
