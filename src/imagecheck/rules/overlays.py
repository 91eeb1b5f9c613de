"""OV41x corner badges, stickers and price tags; TX309 promotional strips
(a text rule); OV43x watermarks.

OV401 borders live in rules/border.py. TX309, OV431 and OV432 read the OCR text
(``facts.text``); with ``--ocr none`` they yield nothing and the report says text was
not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.marks import (
    Mark,
    block_partner,
    repeated_text,
    spells_in_pinyin,
    text_contrast,
    watermark_kinds,
)
from imagecheck.analysis.text import TextBox, promo_words
from imagecheck.findings import Hit, Severity
from imagecheck.i18n import join, msg, nmsg, term
from imagecheck.rules.registry import Param, rule

#: Glyph measures every badge-like mark needs: at least this many glyph parts ...
MIN_GLYPHS = 2


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*colour)


def _details(mark: Mark) -> dict[str, object]:
    return {
        "where": mark.where,
        "colour": _hex(mark.colour),
        "chroma": round(mark.chroma, 1),
        "flatness": round(mark.flatness, 2),
        "solidity": round(mark.solidity, 2),
        "contrast": round(mark.contrast, 1),
        "glyph_share": round(mark.glyph_share, 2),
        "glyphs": mark.glyphs,
    }


def _rise(strip: Mark, tag: Mark) -> int:
    """How far ``tag`` stands out of ``strip`` towards the image centre, in pixels."""
    return strip.box[1] - tag.box[1] if strip.where == "bottom" else tag.box[3] - strip.box[3]


def _best_per_corner(marks: list[Mark]) -> list[Mark]:
    """The largest mark in each corner (flood regions of one badge overlap)."""
    best: dict[str, Mark] = {}
    for m in marks:
        if m.where not in best or m.area > best[m.where].area:
            best[m.where] = m
    return sorted(best.values(), key=lambda m: m.where)


def _is_badge(m: Mark, p: Mapping[str, float]) -> bool:
    """Whether badge candidate ``m`` passes OV411's thresholds ``p``."""
    if m.worded:
        return _is_worded_badge(m, p)
    if m.text and not m.wording and m.rectangularity >= p["tile_rectangularity"]:
        # An upright tile whose text has no badge wording is a brand-logo tile.
        return False
    if (
        m.area < p["min_area"]
        or m.flatness < p["min_flatness"]
        or m.solidity < p["min_solidity"]
        or m.contrast < p["min_contrast"]
    ):
        return False
    texted = m.glyph_share >= p["min_glyph_share"] and m.glyphs >= MIN_GLYPHS
    geometric = m.solidity >= p["plain_solidity"]
    if m.chroma < p["min_chroma"]:
        # A neutral (white, grey, black) region in a corner is usually background or
        # product: only a geometric, crisply bounded one carrying plenty of text counts.
        return (
            texted
            and geometric
            and m.contrast >= p["neutral_contrast"]
            and m.glyph_share >= p["neutral_glyph_share"]
        )
    return texted or (
        geometric and m.flatness >= p["plain_flatness"] and m.contrast >= p["plain_contrast"]
    )


def _is_worded_badge(m: Mark, p: Mapping[str, float]) -> bool:
    """Whether a candidate found from its badge wording is a badge: a saturated ground
    that stands out of what lies round it, carrying promotional, gift, guarantee or
    campaign words, or only figures on a graphic ground: flat, or a clean convex shape
    (a gradient tag)."""
    if m.chroma < p["min_chroma"] or m.contrast < p["worded_contrast"]:
        return False
    if any(word != "figure" for word in m.wording):
        return True
    return m.flatness >= p["min_flatness"] or m.solidity >= p["plain_solidity"]


@rule(
    "OV411",
    "corner-badge",
    "badge",
    Severity.ERROR,
    params={
        "min_area": Param(0.006, 0, 0.1, "share of the image inside the badge outline"),
        "min_chroma": Param(35, 0, 150, "saturation (Lab chroma) of the badge fill"),
        "min_flatness": Param(0.75, 0, 1, "share of the fill within a few levels of its colour"),
        "min_solidity": Param(0.75, 0, 1, "convexity of the badge outline"),
        "min_contrast": Param(25, 0, 200, "Lab difference between the fill and its surroundings"),
        "min_glyph_share": Param(0.04, 0, 1, "share of the badge taken by text or a mark"),
        "plain_solidity": Param(0.93, 0, 1, "outline convexity of a badge without text"),
        "plain_flatness": Param(0.85, 0, 1, "fill flatness of a badge without text"),
        "plain_contrast": Param(50, 0, 200, "edge contrast of a badge without text"),
        "neutral_contrast": Param(60, 0, 200, "edge contrast of a white, grey or black badge"),
        "neutral_glyph_share": Param(0.12, 0, 1, "text share of a white, grey or black badge"),
        "tile_rectangularity": Param(
            0.9, 0, 1, "box share an upright tile fills (with text but no badge wording: a logo)"
        ),
        "worded_contrast": Param(20, 0, 200, "edge contrast of a badge found from its wording"),
    },
)
def corner_badge(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image has a corner badge, sticker, roundel, ribbon or tag.

    Pinduoduo's carousel rule forbids 角标 and 标签 (corner badges, labels and stickers);
    Taobao's white-background image forbids 牛皮癣 (sticker clutter), and Amazon, JD and
    Kuaishou main images must carry no added graphics. The check grows flat-colour
    regions from each corner and reports one that is a badge: a saturated, flat
    (graphic, not photographic) fill with a clean convex outline that stands out from
    what lies round it, anchored at or near the corner, carrying text or a mark of a
    strongly different colour, and at least ``min_area`` of the image in size (a brand
    icon in a corner is smaller, and is the logo rules' business). A plain sticker
    without text counts when its fill is flatter, its outline more nearly geometric and
    its edge crisper (the ``plain_*`` thresholds). A white, grey or black region in a
    corner is usually background or product, so it counts only when geometric, crisply
    bounded and carrying plenty of text (``neutral_*``), like a white corner ribbon. A red
    product touching a corner is not a badge: its shading is not flat and it carries no
    glyphs.

    Fix: remove the badge; put promotions in the listing's title or detail images.
    """
    marks = [m for m in facts.marks.badges if _is_badge(m, p)]
    for m in _best_per_corner(marks):
        yield Hit(
            msg("badge in the {corner} corner, colour {colour}, with text or a mark on it",
                corner=term(m.where), colour=_hex(m.colour)),
            value=round(m.solidity, 2),
            threshold=p["min_solidity"],
            box=m.box,
            details=_details(m),
        )


@rule(
    "OV412",
    "strip-corner-tag",
    "badge",
    Severity.ERROR,
    params={
        "min_chroma": Param(35, 0, 150, "saturation (Lab chroma) of the strip and the tag"),
        "min_glyph_share": Param(0.05, 0, 1, "share of the tag taken by text or a mark"),
        "min_rise": Param(0.02, 0, 0.3, "how far the tag rises out of the strip (share of height)"),
    },
)
def strip_corner_tag(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image has a price tag or sticker at the end of a promotional strip.

    The JD/Tmall promotion template: a coloured strip of copy across the bottom (or top)
    edge with a price tag, roundel or 秒杀 label in its corner standing out of the strip.
    Pinduoduo's carousel rule forbids 角标 and 标签 (corner badges and labels); Taobao's
    white-background image forbids 牛皮癣. The check finds a long straight step near
    the top or bottom edge that bounds a saturated band carrying text, and a saturated
    region carrying glyphs at one of that edge's corners that rises out of the band.

    Fix: remove the strip and the tag; show the price and promotion in the listing text.
    """
    h = facts.height
    for strip in facts.marks.strips:
        if strip.chroma < p["min_chroma"] or strip.glyphs < MIN_GLYPHS:
            continue
        tags = [
            m
            for m in facts.marks.badges
            if m.where.startswith(strip.where)
            and m.chroma >= p["min_chroma"]
            and m.glyph_share >= p["min_glyph_share"]
            and m.glyphs >= MIN_GLYPHS
            and _rise(strip, m) >= p["min_rise"] * h
        ]
        for m in _best_per_corner(tags):
            rise = _rise(strip, m)
            yield Hit(
                msg("price tag or sticker in the {corner} corner, colour {colour}, standing"
                    " {rise}px out of a strip along the {edge} edge (colour {strip_colour})",
                    corner=term(m.where), colour=_hex(m.colour), rise=rise,
                    edge=term(strip.where), strip_colour=_hex(strip.colour)),
                value=round(rise / h, 3),
                threshold=p["min_rise"],
                box=(
                    min(m.box[0], strip.box[0]),
                    min(m.box[1], strip.box[1]),
                    max(m.box[2], strip.box[2]),
                    max(m.box[3], strip.box[3]),
                ),
                details={**_details(m), "strip": strip.box, "strip_colour": _hex(strip.colour)},
            )


@rule(
    "TX309",
    "promo-strip",
    "text",
    Severity.ERROR,
)
def promo_strip(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image has a promotional strip (label banner) along its top or bottom edge.

    Pinduoduo's carousel rule forbids 标签 (labels) and added text; Taobao's
    white-background image forbids 牛皮癣, and other platforms' main images must carry no
    promotional copy. The check finds a band between a long straight step and the top
    or bottom edge, and reports it when the OCR text inside it is promotional
    (秒杀, 包邮, 正品, a price...). It is counted as overlaid text: the strip is the
    carrier of promotional copy; a tag at its corner is OV412.

    Fix: remove the strip; put the promotion in the listing's title or detail images.
    """
    for strip in facts.marks.strips:
        x0, y0, x1, y1 = strip.box
        promo = sorted(
            {
                term
                for line in facts.text.boxes
                if line.box[1] >= y0 and line.box[3] <= y1
                for term in line.promo
            }
        )
        if not promo:
            continue
        yield Hit(
            msg("promotional strip along the {edge} edge, colour {colour}, {depth}px high,"
                " with promotional copy ({words})", edge=term(strip.where),
                colour=_hex(strip.colour), depth=y1 - y0, words=promo_words(promo)),
            value=round((y1 - y0) / facts.height, 3),
            box=strip.box,
            details={**_details(strip), "promo": promo},
        )


@rule(
    "OV431",
    "watermark-text",
    "watermark",
    Severity.ERROR,
    params={
        "min_confidence": Param(0.5, 0.0, 1.0, "lowest OCR confidence of a line that counts"),
        "max_lines": Param(3, 1, 100, "lines reported one by one before the rest are summed up"),
        "max_block_opacity": Param(
            0.5, 0.0, 1.0, "opacity from which a line set in a block of other wording is print"
        ),
    },
)
def watermark_text(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image carries a site, shop-URL, stock-agency or copyright watermark.

    Pinduoduo's carousel rule forbids 水印 (watermarks); Taobao, JD, Kuaishou and Amazon
    main images must not carry them either, and a stock or other shop's mark suggests
    the photo is not the seller's own. The check reads the OCR text for what products do
    not carry in print: a web address or domain (``shop123.taobao.com``, ``www.``), a
    stock agency (fotolia, shutterstock, 视觉中国...), a copyright or 盗图 notice, a
    stock-photo number (``#168668046``), or a shop's mark: its Chinese name over the
    name's pinyin (滴滴家园 / DIDIJIAYUAN) laid over the photo. It reports each line (up
    to ``max_lines``, then the rest together) with its contrast against what lies under
    it and an opacity estimate (watermarks are usually faint). Lines of tinted strokes
    blended over a neutral surface (a pink ``JD.COM 京东`` across a black laptop) are read
    too, on a chroma-difference copy of their crop (analysis/tint.py). A line set in a
    block with other wording (a label's next line, the name a domain or pinyin sits
    under) counts only when it is fainter than ``max_block_opacity``: solid, it is print
    or a logo's lockup (``suning.com`` under 苏宁超市, ``www.dove.com`` among a label's
    address lines).

    Fix: use the original photo without the watermark, or one you have the rights to.
    """
    read = [b for b in facts.text.boxes if b.kind != "artefact"]
    tinted = [(b, t) for t in facts.tint.lines for b in t.read]
    lines = []
    for line, tint in [*((b, None) for b in facts.text.boxes), *tinted]:
        if line.confidence < p["min_confidence"] or line.kind == "artefact":
            continue
        partner = block_partner(line, read)
        kinds = watermark_kinds(line.text)
        if not kinds and partner is not None and _shop_mark(line, partner):
            kinds = ("shop mark",)
        if not kinds:
            continue
        contrast, opacity = text_contrast(facts.gray, line.box)
        if partner is not None and opacity >= p["max_block_opacity"]:
            continue
        lines.append((line, kinds, contrast, opacity, partner, tint))
    shown = int(p["max_lines"])
    for line, kinds, contrast, opacity, partner, tint in lines[:shown]:
        how = "" if tint is None else msg("; tinted strokes laid over the product")
        beside = (
            ""
            if partner is None
            else msg('; set beside "{partner}" but fainter than print ({opacity:.0%}, print'
                     " is at least {limit:.0%})", partner=partner.text, opacity=opacity,
                     limit=p["max_block_opacity"])
        )
        yield Hit(
            msg('watermark "{text}" ({kinds}), about {opacity:.0%} opaque{how}{beside}',
                text=line.text, kinds=join([term(k) for k in kinds]), opacity=opacity,
                how=how, beside=beside),
            value=line.text,
            box=line.box,
            details={
                "kinds": list(kinds),
                "confidence": round(line.confidence, 3),
                "contrast": round(contrast, 1),
                "opacity": round(opacity, 2),
                "ocr_kind": line.kind,
                "block_with": None if partner is None else partner.text,
                "tint": None if tint is None else {
                    "parts": tint.parts,
                    "ground_chroma": round(tint.ground_chroma, 1),
                    "hue_agreement": round(tint.hue_agreement, 2),
                },
            },
        )
    rest = [line for line, *_ in lines[shown:]]
    if rest:
        yield Hit(
            nmsg("{n} more watermark line: {lines}", "{n} more watermark lines: {lines}",
                 n=len(rest), lines=join([msg('"{text}"', text=x.text) for x in rest])),
            value=len(rest),
            box=(
                min(x.box[0] for x in rest),
                min(x.box[1] for x in rest),
                max(x.box[2] for x in rest),
                max(x.box[3] for x in rest),
            ),
            details={"lines": [x.text for x in rest], "boxes": [x.box for x in rest]},
        )


def _shop_mark(line: TextBox, partner: TextBox) -> bool:
    """A shop's name over its pinyin (滴滴家园 / DIDIJIAYUAN), both laid over the photo."""
    return line.kind == partner.kind == "overlay" and spells_in_pinyin(line.text, partner.text)


@rule(
    "OV432",
    "tiled-watermark",
    "watermark",
    Severity.ERROR,
    params={
        "min_repeats": Param(4, 2, 50, "readings of one wording that make a tiled mark"),
        "min_spread": Param(0.5, 0.0, 1.0, "share of the width and height the readings span"),
    },
)
def tiled_watermark(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Image carries a tiled watermark: one wording repeated across the frame.

    Pinduoduo's carousel rule forbids 水印 (watermarks); shops tile their name or URL
    over a photo (often faint and rotated) to stop it being copied, and the other
    platforms' main-image rules forbid it too. The check groups the OCR lines that read
    the same mark (a tiled mark is often read in fragments, ``小明家居旗舰店``,
    ``家居旗舰店``...) and reports one read at least ``min_repeats`` times spanning at
    least ``min_spread`` of both the width and the height, with its contrast and an
    opacity estimate. A product's own print repeated on a few packs in a row does not
    span the frame that way.

    Fix: use the photo without the watermark.
    """
    group = repeated_text(facts.text.boxes)
    if len(group) < p["min_repeats"]:
        return
    x0 = min(b.box[0] for b in group)
    y0 = min(b.box[1] for b in group)
    x1 = max(b.box[2] for b in group)
    y1 = max(b.box[3] for b in group)
    spread = min((x1 - x0) / facts.width, (y1 - y0) / facts.height)
    if spread < p["min_spread"]:
        return
    word = max((b.text for b in group), key=len)
    measured = [text_contrast(facts.gray, b.box) for b in group]
    contrast = float(sorted(c for c, _ in measured)[len(measured) // 2])
    opacity = float(sorted(o for _, o in measured)[len(measured) // 2])
    yield Hit(
        msg('"{text}" repeated {n} times across the image, about {opacity:.0%} opaque',
            text=word, n=len(group), opacity=opacity),
        value=len(group),
        threshold=p["min_repeats"],
        box=(x0, y0, x1, y1),
        details={
            "text": word,
            "spread": round(spread, 2),
            "contrast": round(contrast, 1),
            "opacity": round(opacity, 2),
            "boxes": [b.box for b in group],
        },
    )
