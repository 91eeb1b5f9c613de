"""FX1xx: what ``imagecheck fix`` reports about the copies it makes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from imagecheck.findings import Hit, Severity
from imagecheck.i18n import msg
from imagecheck.rules.registry import event_rule


@event_rule("FX101", "fix-upscaled", "quality", Severity.WARNING)
def fix_upscaled(scaling: tuple[float, float], p: Mapping[str, float]) -> Iterator[Hit]:
    """Fixed copy enlarges the product past the stated upscaling limit.

    ``imagecheck fix`` scales the product to the profile's fill on a canvas of its
    preferred size. Enlarging a small image adds no detail: past ``--max-upscale`` the
    copy is marked with this warning instead of passing silently, since platforms reject
    images that look unclear.

    Fix: export the product photo from the original at a larger size and fix that.
    """
    scale, limit = scaling
    yield Hit(msg("the fixed copy enlarges the product {scale:.2f}x, past the {limit:g}x limit",
                  scale=scale, limit=limit), value=round(scale, 3), threshold=limit)
