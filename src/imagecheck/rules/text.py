"""TX3xx text and LG3xx logos added to the image.

Rules read ``facts.text`` (OCR lines classed overlay / print / artefact) and
``facts.logos``; they never run OCR themselves. With ``--ocr none`` the text rules
yield nothing and the report says text was not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from imagecheck.analysis.facts import Facts
from imagecheck.analysis.graphic import GRAPHIC_THRESHOLD
from imagecheck.analysis.logos import LogoMark, wordmark_line
from imagecheck.analysis.text import TextBox, promo_words
from imagecheck.findings import Hit, Severity, union_box
from imagecheck.i18n import Message, join, msg, nmsg
from imagecheck.rules.registry import Param, rule

_CONFIDENCE = Param(0.5, 0.0, 1.0, "lowest OCR confidence of a line that counts")
_MAX_LINES = Param(5, 1, 100, "lines reported one by one before the rest are summed up")
_GRAPHIC = Param(GRAPHIC_THRESHOLD, 0.5, 1.0,
                 "lowest probability (graphic-vs-photo model) that makes the image a graphic")


def _line_details(line: TextBox) -> dict[str, object]:
    return {
        "text": line.text,
        "confidence": round(line.confidence, 3),
        "kind": line.kind,
        "why": line.why,
        "edges": list(line.edges),
        "promo": list(line.promo),
    }


def _lines(
    lines: Sequence[TextBox],
    p: Mapping[str, float],
    what: Message,
    note: Callable[[TextBox], str] = lambda line: line.why,
) -> Iterator[Hit]:
    """One hit per line, the first ``max_lines`` of them, then one summing up the rest."""
    shown = int(p["max_lines"])
    for line in lines[:shown]:
        yield Hit(
            msg('{what} "{text}": {why}', what=what, text=line.text, why=note(line)),
            value=line.text,
            box=line.box,
            details=_line_details(line),
        )
    rest = lines[shown:]
    if rest:
        yield Hit(
            nmsg("{n} more line of {what}: {sample}", "{n} more lines of {what}: {sample}",
                 n=len(rest), what=what, sample=_sample(rest, 3)),
            value=len(rest),
            box=union_box(b.box for b in rest),
            details={"lines": [_line_details(b) for b in rest]},
        )


def _sample(lines: Sequence[TextBox], shown: int) -> Message:
    """The first ``shown`` of ``lines`` quoted, then "..." if there are more."""
    sample = join([msg('"{text}"', text=b.text) for b in lines[:shown]])
    return msg("{sample}...", sample=sample) if len(lines) > shown else sample


def _overlays(facts: Facts, p: Mapping[str, float]) -> list[TextBox]:
    return [b for b in facts.text.overlays if b.confidence >= p["min_confidence"]]


@rule(
    "TX301",
    "overlay-text",
    "text",
    Severity.ERROR,
    params={"min_confidence": _CONFIDENCE, "max_lines": _MAX_LINES},
)
def overlay_text(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Text has been added on top of the photo.

    Pinduoduo forbids added text on carousel images (the main image is the first of
    them) and Taobao, JD and Amazon main images must show the product alone. OCR reads
    every line; a line counts as added when it sits on flat colour that runs to an image
    edge (the plain background, a banner or strip), on a small flat badge or tag laid on
    the background, or uses wording no product carries in print (prices, 秒杀, 包邮).
    Text printed on the product itself is not reported here (see TX304): where the flat
    colour behind the words is bounded by the product's outline (a carton's side, a
    cover's rim) before the edge, it is the product's face, even when the background
    beyond the outline has the same colour. Nor are letters the image edge cuts through (a
    sign or number plate at the edge of a scene) or the mirror image of print in a glossy
    surface below the product.

    Fix: remove the text from the image; put selling points in the listing's title,
    description or detail images instead.
    """
    yield from _lines(_overlays(facts, p), p, msg("added text"))


@rule(
    "TX302",
    "promotional-text",
    "text",
    Severity.ERROR,
    params={"min_confidence": _CONFIDENCE, "max_lines": _MAX_LINES},
)
def promotional_text(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Added text is promotional: prices, discounts, free shipping, limited-time offers.

    Pinduoduo, Taobao and JD forbid promotional wording (包邮, 特价, 秒杀, 限时, 满减, prices
    with ¥...) on main and carousel images; platform campaign tags are added by the
    platform itself. The finding names the words found, so the fix is clear.

    Fix: remove the promotional text; set prices and offers in the listing, not the image.
    """
    promo = [b for b in _overlays(facts, p) if b.promo]
    yield from _lines(promo, p, msg("promotional text"), lambda line: promo_words(line.promo))


@rule(
    "LG303",
    "brand-text",
    "logo",
    Severity.ERROR,
    params={"min_confidence": _CONFIDENCE},
)
def brand_text(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Added text names a brand from your brand list.

    Pinduoduo forbids added brand text or logos on main images, and other brands' names
    on any listing image. Brands come from ``--brand`` and the ``brands`` setting
    (your own and others'); they are matched in added text, case and spaces ignored.
    The brand printed on the product itself is not reported.

    Fix: remove the added brand name from the image.
    """
    for mark in facts.logos.marks:
        if mark.kind == "brand" and mark.score >= p["min_confidence"]:
            yield _mark_hit(mark)


def _mark_hit(mark: LogoMark) -> Hit:
    return Hit(
        msg('{why} ("{name}")', why=mark.why, name=mark.name) if mark.kind != "brand"
        else mark.why,
        value=mark.name,
        box=mark.box,
        details={"kind": mark.kind, "score": mark.score},
    )


@rule("TX304", "printed-text", "text", Severity.INFO)
def printed_text(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """Text printed on the product was read and left alone.

    Printing on the product (labels, brand names on packaging, screen content) is part of
    the product and allowed. This note lists what was read and judged to be print, so a
    misjudgement is easy to spot.

    Fix: nothing to fix.
    """
    prints = facts.text.prints
    if not prints:
        return
    yield Hit(
        nmsg("{n} line printed on the product: {sample}",
             "{n} lines printed on the product: {sample}", n=len(prints),
             sample=_sample(prints, 4)),
        value=len(prints),
        box=union_box(b.box for b in prints),
        details={"lines": [_line_details(b) for b in prints]},
    )


@rule("LG305", "added-logo", "logo", Severity.ERROR)
def added_logo(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """A brand logo or mark has been added to the image.

    Pinduoduo forbids added brand logos on main images (商品主图不得添加品牌logo) and
    Taobao, JD and Amazon main images must show the product alone. Found are: a short
    word set apart in a top corner as brand marks are, a store name (…旗舰店), a trademark
    sign in added text, an image that is only a wordmark (level words on the background,
    not lettering printed on a product or a tilted stamp), and a small separate graphic
    that stands out from the plain background in a top corner.

    Fix: remove the logo; the shop's brand is shown by the platform next to the listing.
    """
    for mark in facts.logos.marks:
        if mark.kind in ("wordmark", "mark"):
            yield _mark_hit(mark)


@rule("LG306", "logo-file-found", "logo", Severity.ERROR)
def logo_file_found(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """One of your logo files appears in the image.

    Give your own (and competitors') logo files with ``--logo FILE`` or the ``logos``
    setting; each is searched for at any scale and moderate rotation (feature matching,
    then multi-scale templates for small or plain logos).

    Fix: remove the logo from the image.
    """
    for mark in facts.logos.marks:
        if mark.kind == "file":
            yield _mark_hit(mark)


#: Backgrounds of photos, not of drawn graphics (set on white, a colour or transparency):
#: a flat-looking product on a grey or graded studio backdrop, or in a scene, is a photo.
STUDIO_BACKDROPS = ("grey", "gradient", "scene")


def _graphic_words(facts: Facts, p: Mapping[str, float]) -> tuple[bool, list[TextBox]] | None:
    """Whether the words read on a drawn graphic are only a wordmark, and the lines; None
    when the image is not a graphic (by the model, or by its backdrop), or when the other
    text and logo rules already reported its words or its logo (reported once)."""
    if facts.graphic.probability < p["min_probability"] or facts.subject.box is None:
        return None
    if facts.background.kind in STUDIO_BACKDROPS or facts.text.overlays or facts.logos.marks:
        return None
    lines = [b for b in facts.text.boxes if b.kind != "artefact"]
    return all(wordmark_line(b) for b in lines), lines


def _graphic_hit(facts: Facts, p: Mapping[str, float], what: Message,
                 lines: Sequence[TextBox]) -> Hit:
    words = " ".join(b.text for b in lines[:4])
    return Hit(
        msg('the image is {what} reading "{words}", not a photo of a product'
            " ({chance:.0%} sure by the graphic-vs-photo model)", what=what, words=words,
            chance=facts.graphic.probability) if words else
        msg("the image is {what}, not a photo of a product"
            " ({chance:.0%} sure by the graphic-vs-photo model)", what=what,
            chance=facts.graphic.probability),
        value=facts.graphic.probability,
        threshold=p["min_probability"],
        box=facts.subject.box,
        details={"probability": facts.graphic.probability},
    )


@rule("LG307", "graphic-logo", "logo", Severity.ERROR, params={"min_probability": _GRAPHIC})
def graphic_logo(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """The image is a logo or emblem graphic, not a product photo.

    A main image must show the product (Pinduoduo: 主图需展示商品主体); a brand mark
    uploaded on its own, a logo tile or a piece of clip-art shows none, and counts as an
    added logo. Found by a small graphic-vs-photo model (flat fills and crisp edges
    against the shading and texture of a photo; models/README.md) on a white, coloured
    or transparent ground (a grey or graded backdrop is a studio photo's), where any
    words on the graphic are a wordmark. Not reported again where the other text and
    logo rules already found the image's words or logo.

    Fix: use a photo of the product; show the brand in the shop, not as the image.
    """
    found = _graphic_words(facts, p)
    if found is not None and found[0]:
        yield _graphic_hit(facts, p, msg("a logo or emblem graphic"), found[1])


@rule("TX308", "graphic-text", "text", Severity.ERROR, params={"min_probability": _GRAPHIC})
def graphic_text(facts: Facts, p: Mapping[str, float]) -> Iterator[Hit]:
    """The image is a graphic carrying words (a seal, a stamp, a sign), not a product photo.

    A main image must show the product, and added text is forbidden on it; a quality
    seal, a stamp or a sign drawn as the whole image is both. Found by the
    graphic-vs-photo model (as LG307) where the words read on the graphic are more than
    a wordmark (digits, punctuation, many letters). There is no photo for the words to be
    laid over, so the overlay-text rules may take them for print; not reported again
    where the text and logo rules already found the image's words or logo.

    Fix: use a photo of the product; state qualities in the listing text.
    """
    found = _graphic_words(facts, p)
    if found is not None and not found[0]:
        yield _graphic_hit(facts, p, msg("a graphic with words"), found[1])
