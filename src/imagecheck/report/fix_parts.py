"""What ``imagecheck fix`` did to an image, as the reporters show it (JSON data, text
lines, CSV cells)."""

from __future__ import annotations

from typing import Any

from imagecheck.fix.model import FixRecord


def fix_dict(record: FixRecord) -> dict[str, Any]:
    """``record`` as plain JSON data (``docs/report-schema.json``, ``fix``)."""
    return {
        "output": record.output,
        "dry_run": record.dry_run,
        "applied": [{"name": a.name, "codes": list(a.codes), "params": dict(a.params)}
                    for a in record.applied],
        "before": list(record.before),
        "passing": list(record.passing),
        "failing": [{"code": code, "reason": why} for code, why in record.failing.items()],
        "note": record.note,
    }


def fix_lines(record: FixRecord) -> list[str]:
    """``record`` as indented text lines."""
    lines = []
    if record.output or record.applied:
        verb = "would write" if record.dry_run else "wrote"
        where = f"{verb} {record.output}" if record.output else "no copy"
        lines.append(f"    fix: {where}")
    lines.extend(f"      {a.name}" + (f" ({', '.join(a.codes)})" if a.codes else "")
                 + (f": {_params(a.params)}" if a.params else "") for a in record.applied)
    if record.passing:
        lines.append(f"    now passing: {' '.join(record.passing)}")
    lines.extend(f"    still failing: {code}: {why}" for code, why in record.failing.items())
    if record.note:
        lines.append(f"    fix: {record.note}")
    return lines


def fix_cells(record: FixRecord, code: str | None) -> list[object]:
    """The CSV cells of ``record`` on the row of rule ``code``: the copy, the corrections
    applied (``;``-separated), the rules now passing, and why ``code`` was not fixed."""
    return [record.output or "", ";".join(a.name for a in record.applied),
            " ".join(record.passing), record.failing.get(code or "", "")]


def _params(params: Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())
