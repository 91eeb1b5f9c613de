"""CSV reporter: one row per finding, and one row for each image with none.

``problem`` numbers the findings of one image (or of the shop) that describe one
object, from 1, and ``problem_main`` is the code of that problem's main finding
(:mod:`imagecheck.problems`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import partial

from imagecheck.findings import Finding
from imagecheck.fix.model import FixRecord
from imagecheck.i18n import translate
from imagecheck.problems import Problem, group_findings, problem_numbers
from imagecheck.report.fix_parts import fix_cells
from imagecheck.report.model import Report

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("path", "role", "verdict", "code", "category", "severity", "message", "value",
           "threshold", "box", "target", "problem", "problem_main")
#: Added by ``imagecheck fix`` reports: the copy, the corrections applied, the rules now
#: passing, and why the row's rule could not be fixed.
FIX_COLUMNS = ("fixed_copy", "fixes", "now_passing", "not_fixed_because")


def _cell(value: object) -> object:
    """``value`` safe to open in a spreadsheet: text that could start a formula gets a
    leading apostrophe, as OWASP recommends; numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def render(report: Report, color: bool = False) -> str:
    """The report as CSV text (with a header row)."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    fixes = any(r.fix is not None for r in report.images)
    out.writerow(COLUMNS + FIX_COLUMNS if fixes else COLUMNS)

    def rows(path: str, role: str, verdict: str, findings: tuple[Finding, ...],
             problems: tuple[Problem, ...],
             extra: Callable[[str | None], list[object]] | None = None) -> None:
        if not findings:
            out.writerow([_cell(path), role, verdict] + [""] * (len(COLUMNS) - 3)
                         + (extra(None) if extra else []))
        mains = [p.main.code for p in problems]
        for f, (n, _) in zip(findings, problem_numbers(problems), strict=True):
            box = " ".join(str(v) for v in f.box) if f.box else ""
            cells = [path, role, verdict, f.code, f.category, str(f.severity),
                     translate(f.message, report.lang),
                     "" if f.value is None else f.value,
                     "" if f.threshold is None else f.threshold, box, f.target or "", n,
                     mains[n - 1]]
            out.writerow([_cell(c) for c in cells] + (extra(f.code) if extra else []))

    for r in report.images:
        extra: Callable[[str | None], list[object]] | None = None
        if r.fix is not None:
            extra = partial(_fix_cells, r.fix, report.lang)
        elif fixes:
            extra = _no_fix_cells
        rows(r.path, r.role, r.verdict(report.fail_on), r.findings, r.problems(), extra)
    if report.shop_verdict is not None:
        rows("<shop>", "shop", report.shop_verdict, report.shop_findings,
             group_findings(report.shop_findings), _no_fix_cells if fixes else None)
    return buf.getvalue()


def _fix_cells(record: FixRecord, lang: str, code: str | None) -> list[object]:
    return [_cell(c) for c in fix_cells(record, code, lang)]


def _no_fix_cells(code: str | None) -> list[object]:
    return [""] * len(FIX_COLUMNS)
