"""CSV reporter: one row per finding, and one row for each image with none."""

from __future__ import annotations

import csv
import io

from imagecheck.findings import Finding
from imagecheck.report.fix_parts import fix_cells
from imagecheck.report.model import Report

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("path", "role", "verdict", "code", "category", "severity", "message", "value",
           "threshold", "box", "target")
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

    def row(path: str, role: str, verdict: str, f: Finding | None) -> list[object]:
        if f is None:
            return [_cell(path), role, verdict, "", "", "", "", "", "", "", ""]
        box = " ".join(str(v) for v in f.box) if f.box else ""
        cells = [path, role, verdict, f.code, f.category, str(f.severity), f.message,
                 "" if f.value is None else f.value,
                 "" if f.threshold is None else f.threshold, box, f.target or ""]
        return [_cell(c) for c in cells]

    for r in report.images:
        verdict = r.verdict(report.fail_on)
        for f in r.findings or [None]:
            extra: list[object] = [""] * len(FIX_COLUMNS) if fixes else []
            if r.fix is not None:
                extra = [_cell(c) for c in fix_cells(r.fix, f.code if f else None)]
            out.writerow(row(r.path, r.role, verdict, f) + extra)
    for f in report.shop_findings:
        verdict = "fail" if f.severity >= report.fail_on else "pass"
        out.writerow(row("<shop>", "shop", verdict, f))
    return buf.getvalue()
