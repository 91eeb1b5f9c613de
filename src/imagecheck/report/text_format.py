"""Text reporter: a line per image with its verdict, then its findings with values."""

from __future__ import annotations

import re

from imagecheck.findings import Finding, Severity
from imagecheck.report.fix_parts import fix_lines
from imagecheck.report.model import Report, evidence

_COLOURS = {"pass": "32", "fail": "31", "error": "35", "error_sev": "31", "warning": "33",
            "info": "36"}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """``text`` on one line: control characters (a newline in a file name) escaped, so
    no input can forge a line of the report."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _paint(text: str, key: str, color: bool) -> str:
    return f"\033[{_COLOURS[key]}m{text}\033[0m" if color else text


def finding_line(f: Finding, color: bool = False) -> str:
    """One finding as an indented line with its evidence."""
    sev = str(f.severity)
    label = _paint(f"{sev:<7}", "error_sev" if f.severity is Severity.ERROR else sev, color)
    parts = " ".join(f"{k}={v}" for k, v in evidence(f).items())
    tail = f"  [{parts}]" if parts else ""
    target = f"{f.target}: " if f.target else ""
    return f"    {label} {f.code} {f.category:<10} {_plain(target + f.message + tail)}"


def render(report: Report, color: bool = False) -> str:
    """The report as human-readable lines and a closing summary."""
    lines = []
    for r in report.images:
        verdict = r.verdict(report.fail_on)
        size = f"{r.width}x{r.height}" if r.width else "-"
        lines.append(f"{_paint(verdict.upper(), verdict, color):<4}  {_plain(r.path)}  "
                     f"[{r.role}, {size}]")
        lines.extend(finding_line(f, color) for f in r.findings)
        if r.fix is not None:
            lines.extend(_plain(line) for line in fix_lines(r.fix))
    if report.shop_findings or report.shop_summary:
        failed = any(f.severity >= report.fail_on for f in report.shop_findings)
        verdict = "fail" if failed else "pass"
        lines.append(f"{_paint(verdict.upper(), verdict, color):<4}  shop")
        lines.extend(finding_line(f, color) for f in report.shop_findings)
    s = report.summary()
    lines.extend(f"note: {n}" for n in report.notes)
    has_shop = bool(report.shop_findings or report.shop_summary)
    shop = f"shop {'fail' if s['shop_failed'] else 'pass'}; " if has_shop else ""
    counts = (
        f"{s['images']} image(s): {s['pass']} pass, {s['fail']} fail, {s['error']} error; "
        if report.images or not has_shop
        else ""
    ) + shop
    lines.append(
        f"{counts}{s['findings']} finding(s); platform {report.platform},"
        f" fail-on {report.fail_on}" + (" (interrupted)" if report.interrupted else "")
    )
    return "\n".join(lines) + "\n"
