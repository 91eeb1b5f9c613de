"""One problem per object: the findings that describe the same overlay, grouped.

A corner badge fires the badge rule (OV411), the tag rule (OV412), the text rule for
its words (TX301), the promo rule for its price (TX302) and the logo rule for a seal
printed in it (LG305): five findings, one thing for the merchant to remove. Reports for
people show one line per :class:`Problem`, naming its main rule and the related codes;
machine formats keep every finding and say which problem it belongs to.

What is one object: findings about something laid over the photo (categories in
:data:`OVERLAY_CATEGORIES`, above info severity) whose places overlap by at least
:data:`MIN_OVERLAP` of the smaller one, and, through them, whatever overlaps those (a
badge on a strip carrying a price is one problem). Two findings of the same rule whose
boxes touch or nearly touch side by side (at most :data:`NEAR_GAP` of the smaller box's
shorter side apart, facing each other along most of it) are one object too: parts of one
mark found one by one (the glyphs of a word, each a small graphic). A finding that lists
the boxes it is made of (``details["boxes"]``: a watermark read in many places) overlaps through
those, not through the box around them all. Every other finding (background, framing,
quality, input, printed text, shop) is a problem of its own.

The main finding is the most severe; among equally severe ones, the most specific by
:data:`SPECIFICITY` (a badge explains the words and logo on it; a logo says more than
"text"), then the first in the result. A problem is as severe as its main finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from imagecheck.findings import Box, Finding, Severity
from imagecheck.grouping import linked_groups

#: Categories of findings about something laid over the photo.
OVERLAY_CATEGORIES = frozenset({"badge", "text", "logo", "watermark"})
#: Rule codes, most specific first: the main finding of a problem is the first of these
#: among its most severe findings (codes not listed come after, in code order).
SPECIFICITY: tuple[str, ...] = ("OV411", "OV412", "TX309", "OV431", "OV432", "LG306",
                                "LG303", "LG305", "TX302", "TX301")
#: Share of the smaller of two boxes that must lie in the other for one object.
MIN_OVERLAP = 0.5
#: Boxes of one rule this share of the smaller box's shorter side apart, or nearer, are
#: parts of one object when they face each other along :data:`MIN_OVERLAP` of it.
NEAR_GAP = 0.1


@dataclass(frozen=True)
class Problem:
    """Findings that describe one object: the ``main`` one and those ``related`` to it;
    ``positions`` are their places in the findings grouped, main first."""

    main: Finding
    related: tuple[Finding, ...] = ()
    positions: tuple[int, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The main finding, then the related ones."""
        return (self.main, *self.related)

    @property
    def severity(self) -> Severity:
        """The problem's severity: its main finding's, the highest of them all."""
        return self.main.severity

    def related_codes(self) -> dict[str, int]:
        """The related findings' codes, in code order, with how many of each."""
        return dict(sorted(Counter(f.code for f in self.related).items()))


def group_findings(findings: Sequence[Finding]) -> tuple[Problem, ...]:
    """The problems ``findings`` (one target's) describe, in the order of their main
    findings in ``findings``; every finding is in exactly one problem."""
    out = []
    for main, members in _groups(findings):
        rest = [i for i in members if i != main]
        out.append(Problem(findings[main], tuple(findings[i] for i in rest), (main, *rest)))
    return tuple(out)


def problem_numbers(problems: Sequence[Problem]) -> list[tuple[int, bool]]:
    """For each finding :func:`group_findings` made ``problems`` of, in its order: the
    number of its problem, from 1, and whether it is that problem's main finding."""
    numbers = [(0, False)] * sum(len(p.positions) for p in problems)
    for n, p in enumerate(problems, 1):
        for i in p.positions:
            numbers[i] = (n, i == p.positions[0])
    return numbers


def _groups(findings: Sequence[Finding]) -> list[tuple[int, list[int]]]:
    """``(main, members)`` index lists, ordered by main."""
    places = {i: _places(f) for i, f in enumerate(findings) if _overlay(f)}

    def linked(a: int, b: int) -> bool:
        touch = findings[a].code == findings[b].code
        return any(_overlap(p, q) or (touch and _adjoin(p, q))
                   for p in places[a] for q in places[b])

    members = linked_groups(len(findings), combinations(places, 2), linked)
    groups = [(min(group, key=lambda i: _rank(findings[i], i)), group) for group in members]
    return sorted(groups)


def _overlay(f: Finding) -> bool:
    return f.category in OVERLAY_CATEGORIES and f.severity > Severity.INFO and f.box is not None


def _places(f: Finding) -> list[Box]:
    """Where ``f`` is: the boxes it lists it is made of, else its box."""
    boxes = f.details.get("boxes")
    if isinstance(boxes, list | tuple) and boxes and all(
            isinstance(b, list | tuple) and len(b) == 4 for b in boxes):
        return [(int(b[0]), int(b[1]), int(b[2]), int(b[3])) for b in boxes]
    return [f.box] if f.box is not None else []


def _overlap(a: Box, b: Box) -> bool:
    """Whether at least :data:`MIN_OVERLAP` of the smaller box lies in the other."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height >= MIN_OVERLAP * smaller


def _adjoin(a: Box, b: Box) -> bool:
    """Whether two boxes touch or nearly touch side by side: their facing sides at most
    :data:`NEAR_GAP` of the smaller box's shorter side apart (either way), facing each
    other along at least :data:`MIN_OVERLAP` of the smaller box's side."""
    gap_x = max(a[0], b[0]) - min(a[2], b[2])
    gap_y = max(a[1], b[1]) - min(a[3], b[3])
    smaller = min((a, b), key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))
    side_x, side_y = smaller[2] - smaller[0], smaller[3] - smaller[1]
    near = NEAR_GAP * min(side_x, side_y)
    return (abs(gap_x) <= near and -gap_y >= MIN_OVERLAP * side_y) or (
        abs(gap_y) <= near and -gap_x >= MIN_OVERLAP * side_x)


def _rank(f: Finding, index: int) -> tuple[int, int, str, int]:
    specific = SPECIFICITY.index(f.code) if f.code in SPECIFICITY else len(SPECIFICITY)
    return (-f.severity, specific, f.code, index)
