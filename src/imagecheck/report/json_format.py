"""JSON reporter: the versioned schema ``docs/report-schema.json``.

Every finding is kept; ``problem`` numbers the findings of one image (or of the shop)
that describe one object (from 1, see :mod:`imagecheck.problems`), and ``main`` marks
the one a person is shown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from imagecheck.findings import Finding
from imagecheck.i18n import translate
from imagecheck.problems import Problem, group_findings, problem_numbers
from imagecheck.report.fix_parts import fix_dict
from imagecheck.report.model import SCHEMA_VERSION, Report


def findings_list(findings: Sequence[Finding], problems: Sequence[Problem], lang: str = "en"
                  ) -> list[dict[str, Any]]:
    """``findings`` as plain JSON data (messages in ``lang``), in their order, each with
    the number of its problem (of ``problems``, grouped from them) and whether it is that
    problem's main finding."""
    return [finding_dict(f, lang) | {"problem": n, "main": main}
            for f, (n, main) in zip(findings, problem_numbers(problems), strict=True)]


def finding_dict(f: Finding, lang: str = "en") -> dict[str, Any]:
    """A finding as plain JSON data, its message in ``lang``."""
    out: dict[str, Any] = {
        "code": f.code,
        "category": f.category,
        "severity": str(f.severity),
        "message": translate(f.message, lang),
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
        "lang": report.lang,
        "platform": report.platform,
        "fail_on": str(report.fail_on),
        "interrupted": report.interrupted,
        "notes": [translate(n, report.lang) for n in report.notes],
        "images": [
            {
                "path": r.path,
                "listing": r.listing,
                "role": r.role,
                "role_source": r.role_source,
                "width": r.width,
                "height": r.height,
                "verdict": r.verdict(report.fail_on),
                "findings": findings_list(r.findings, r.problems(), report.lang),
                **({"fix": fix_dict(r.fix, report.lang)} if r.fix is not None else {}),
            }
            for r in report.images
        ],
        "shop": (
            {"verdict": report.shop_verdict, "summary": report.shop_summary,
             "findings": findings_list(report.shop_findings,
                                       group_findings(report.shop_findings), report.lang)}
            if report.shop is not None
            else None
        ),
        "summary": report.summary(),
    }


def render(report: Report, color: bool = False) -> str:
    """The report as indented JSON (UTF-8, non-ASCII kept readable)."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2, default=str) + "\n"
