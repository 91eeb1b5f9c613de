"""JSON reporter: the versioned schema documented in ``docs/report-schema.md``."""

from __future__ import annotations

import json
from typing import Any

from imagecheck.findings import Finding
from imagecheck.report.fix_parts import fix_dict
from imagecheck.report.model import SCHEMA_VERSION, Report


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as plain JSON data."""
    out: dict[str, Any] = {
        "code": f.code,
        "category": f.category,
        "severity": str(f.severity),
        "message": f.message,
        "value": f.value,
        "threshold": f.threshold,
        "box": list(f.box) if f.box else None,
    }
    if f.target is not None:
        out["target"] = f.target
    if f.details:
        out["details"] = f.details
    return out


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "platform": report.platform,
        "fail_on": str(report.fail_on),
        "interrupted": report.interrupted,
        "notes": list(report.notes),
        "images": [
            {
                "path": r.path,
                "listing": r.listing,
                "role": r.role,
                "role_source": r.role_source,
                "width": r.width,
                "height": r.height,
                "verdict": r.verdict(report.fail_on),
                "findings": [finding_dict(f) for f in r.findings],
                **({"fix": fix_dict(r.fix)} if r.fix is not None else {}),
            }
            for r in report.images
        ],
        "shop": (
            {"summary": report.shop_summary,
             "findings": [finding_dict(f) for f in report.shop_findings]}
            if report.shop_summary or report.shop_findings
            else None
        ),
        "summary": report.summary(),
    }


def render(report: Report, color: bool = False) -> str:
    """The report as indented JSON (UTF-8, non-ASCII kept readable)."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2, default=str) + "\n"
