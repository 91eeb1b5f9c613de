"""What ``imagecheck fix`` did to an image, as the reporters show it (JSON data, text
lines, CSV cells)."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from imagecheck.fix.model import FixRecord
from imagecheck.i18n import msg, term, translate

if TYPE_CHECKING:
    from PIL import Image

    from imagecheck.report.model import ImageResult


def fix_dict(record: FixRecord, lang: str = "en") -> dict[str, Any]:
    """``record`` as plain JSON data (``docs/report-schema.json``, ``fix``), its reasons
    and note in ``lang``."""
    return {
        "output": record.output,
        "dry_run": record.dry_run,
        "applied": [{"name": a.name, "codes": list(a.codes), "params": dict(a.params)}
                    for a in record.applied],
        "before": list(record.before),
        "passing": list(record.passing),
        "failing": [{"code": code, "reason": translate(why, lang)}
                    for code, why in record.failing.items()],
        "note": translate(record.note, lang),
    }


def fix_lines(record: FixRecord, lang: str = "en") -> list[str]:
    """``record`` as indented text lines in ``lang`` (the corrections' parameters and the
    rule codes as they are)."""
    lines = []
    if record.output or record.applied:
        if not record.output:
            where = msg("fix: no copy")
        elif record.dry_run:
            where = msg("fix: would write {path}", path=record.output)
        else:
            where = msg("fix: wrote {path}", path=record.output)
        lines.append(f"    {translate(where, lang)}")
    lines.extend(f"      {translate(term(a.name), lang)}"
                 + (f" ({', '.join(a.codes)})" if a.codes else "")
                 + (f": {_params(a.params)}" if a.params else "") for a in record.applied)
    if record.passing:
        lines.append("    " + translate(msg("now passing: {codes}",
                                          codes=" ".join(record.passing)), lang))
    lines.extend("    " + translate(msg("still failing: {code}: {reason}", code=code, reason=why),
                                    lang) for code, why in record.failing.items())
    if record.note:
        lines.append("    " + translate(msg("fix: {note}", note=record.note), lang))
    return lines


def fix_cells(record: FixRecord, code: str | None, lang: str = "en") -> list[object]:
    """The CSV cells of ``record`` on the row of rule ``code``: the copy, the corrections
    applied (``;``-separated), the rules now passing, and why ``code`` was not fixed (in
    ``lang``)."""
    return [record.output or "", ";".join(a.name for a in record.applied),
            " ".join(record.passing), translate(record.failing.get(code or "", ""), lang)]


def _params(params: Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


#: Gap between the original and the fixed copy in a side-by-side thumbnail.
GAP = 8


def paired(result: ImageResult) -> bool:
    """Whether ``result`` has a fixed copy on disk to show beside its original."""
    return (result.fix is not None and result.fix.output is not None
            and not result.fix.dry_run and os.path.isfile(result.fix.output))


def pair_size(side: int) -> tuple[int, int]:
    """The size of a side-by-side thumbnail whose halves fit ``side``."""
    return 2 * side + GAP, side


def side_by_side(result: ImageResult, side: int, lang: str = "en") -> Image.Image | None:
    """The original (as it was) and the fixed copy (its findings drawn, words in ``lang``)
    side by side, each fitted into a ``side`` square; ``None`` if either cannot be read."""
    from PIL import Image

    from imagecheck.annotate import annotated

    assert result.fix is not None and result.fix.output is not None
    before = annotated(replace(result, findings=()), side, lang)
    after = annotated(replace(result, path=result.fix.output), side, lang)
    if before is None or after is None:
        return None
    pair = Image.new("RGB", pair_size(side), (236, 236, 236))
    for i, half in enumerate((before, after)):
        x = i * (side + GAP) + (side - half.width) // 2
        pair.paste(half, (x, (side - half.height) // 2))
    return pair
