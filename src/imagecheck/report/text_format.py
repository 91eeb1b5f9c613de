"""Text reporter: a line per image with its verdict, then a line per problem (its main
finding with values, and the codes of the findings about the same object); the shop
alike, its met conditions on one line whatever the platform; a closing summary."""

from __future__ import annotations

import re

from imagecheck.findings import Finding, Severity
from imagecheck.problems import Problem
from imagecheck.report.model import Report, ShopResult, evidence

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


def related(p: Problem) -> str:
    """`` (also TX301 x2, TX305)``: the codes of a problem's related findings, or ``""``."""
    if not p.related:
        return ""
    codes = ", ".join(code if n == 1 else f"{code} x{n}" for code, n in p.related_codes().items())
    return f" (also {codes})"


def problem_line(p: Problem, color: bool = False) -> str:
    """One problem: its main finding's line, then the related codes."""
    return finding_line(p.main, color) + related(p)


def shop_lines(shop: ShopResult, verdict: str, color: bool = False) -> list[str]:
    """The shop's verdict line, a line per problem, and one line naming the conditions met
    (their own "met" findings, which only some platforms' rules give, folded into it)."""
    met = shop.met()
    lines = [f"{_paint(verdict.upper(), verdict, color):<4}  shop {_plain(shop.shop)}"
             f"  [{'+'.join(shop.platforms)}]"]
    lines += [problem_line(p, color) for p in shop.problems()]
    if met:
        lines.append(f"    {_paint('met    ', 'pass', color)} {', '.join(met)}")
    return lines


def shop_counts(report: Report) -> str:
    """``shop fail: 9 problem(s), 13 condition(s) met`` (empty without a shop)."""
    s = report.summary()["shop"]
    if s is None:
        return ""
    return (f"shop {s['verdict']}: {s['problems']} problem(s), {s['met']} condition(s)"
            " met")


def render(report: Report, color: bool = False) -> str:
    """The report as human-readable lines and a closing summary."""
    lines = []
    for r in report.images:
        verdict = r.verdict(report.fail_on)
        size = f"{r.width}x{r.height}" if r.width else "-"
        lines.append(f"{_paint(verdict.upper(), verdict, color):<4}  {_plain(r.path)}  "
                     f"[{r.role}, {size}]")
        lines.extend(problem_line(p, color) for p in r.problems())
        if r.fix is not None:
            from imagecheck.report.fix_parts import fix_lines

            lines.extend(_plain(line) for line in fix_lines(r.fix))
    if report.shop is not None and report.shop_verdict is not None:
        lines.extend(shop_lines(report.shop, report.shop_verdict, color))
    s = report.summary()
    lines.extend(f"note: {n}" for n in report.notes)
    parts = [f"{s['images']} image(s): {s['pass']} pass, {s['fail']} fail, {s['error']} error"
             ] if report.images or report.shop is None else []
    if report.shop is not None:
        parts.append(shop_counts(report))
    if report.images:
        parts.append(f"{s['problems']} problem(s) ({s['findings']} finding(s))"
                     + (" in all" if report.shop is not None else ""))
    lines.append("; ".join(parts) + f"; platform {report.platform}, fail-on {report.fail_on}"
                 + (" (interrupted)" if report.interrupted else ""))
    return "\n".join(lines) + "\n"
