"""Text reporter: a line per image with its verdict, then a line per problem (its main
finding with values, and the codes of the findings about the same object); the shop
alike, its met conditions on one line whatever the platform; a closing summary."""

from __future__ import annotations

import re

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import join, msg, pad, term, translate
from imagecheck.problems import Problem
from imagecheck.report.fix_parts import fix_lines
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


def finding_line(f: Finding, color: bool = False, lang: str = "en", raw: bool = True) -> str:
    """One finding as an indented line in ``lang``; with ``raw``, its measured value,
    threshold and box follow (the message already says them in words)."""
    sev = str(f.severity)
    label = _paint(pad(translate(term(sev), lang), 7),
                   "error_sev" if f.severity is Severity.ERROR else sev, color)
    parts = " ".join(f"{k}={v}" for k, v in evidence(f).items()) if raw else ""
    tail = f"  [{parts}]" if parts else ""
    target = f"{f.target}: " if f.target else ""
    category = pad(translate(term(f.category), lang), 10)
    return f"    {label} {f.code} {category} {_plain(target + translate(f.message, lang) + tail)}"


def related(p: Problem, lang: str = "en") -> str:
    """`` (also LG305, TX301 x2)``: the codes of a problem's related findings, or ``""``."""
    if not p.related:
        return ""
    codes = join([code if n == 1 else f"{code} x{n}" for code, n in p.related_codes().items()])
    return translate(msg(" (also {codes})", codes=codes), lang)


def problem_line(p: Problem, color: bool = False, lang: str = "en", raw: bool = True) -> str:
    """One problem: its main finding's line, then the related codes."""
    return finding_line(p.main, color, lang, raw) + related(p, lang)


#: Verdicts as the text report shows them.
VERDICTS = {"pass": msg("PASS"), "fail": msg("FAIL"), "error": msg("ERROR")}


def _verdict(verdict: str, color: bool, lang: str) -> str:
    return _paint(pad(translate(VERDICTS[verdict], lang), 4), verdict, color)


def shop_lines(shop: ShopResult, verdict: str, color: bool = False,
               lang: str = "en") -> list[str]:
    """The shop's verdict line, a line per problem, and one line naming the conditions met
    (their own "met" findings, which only some platforms' rules give, folded into it)."""
    met = shop.met()
    lines = [f"{_verdict(verdict, color, lang)}  {translate(msg('shop'), lang)}"
             f" {_plain(shop.shop)}  [{'+'.join(shop.platforms)}]"]
    lines += [problem_line(p, color, lang, raw=False) for p in shop.problems()]
    if met:
        label = _paint(pad(translate(msg("met"), lang), 7), "pass", color)
        lines.append(f"    {label} {', '.join(met)}")
    return lines


def shop_counts(report: Report) -> str:
    """``shop fail: 9 problem(s), 13 condition(s) met`` (empty without a shop)."""
    s = report.summary()["shop"]
    if s is None:
        return ""
    return translate(msg("shop {verdict}: {problems} problem(s), {met} condition(s) met",
                         verdict=term(s["verdict"]), problems=s["problems"], met=s["met"]),
                     report.lang)


def render(report: Report, color: bool = False) -> str:
    """The report as human-readable lines and a closing summary."""
    lang = report.lang
    lines = []
    for r in report.images:
        verdict = r.verdict(report.fail_on)
        size = f"{r.width}x{r.height}" if r.width else "-"
        lines.append(f"{_verdict(verdict, color, lang)}  {_plain(r.path)}  "
                     f"[{translate(term(r.role), lang)}, {size}]")
        lines.extend(problem_line(p, color, lang, raw=False) for p in r.problems())
        if r.fix is not None:
            lines.extend(_plain(line) for line in fix_lines(r.fix, lang))
    if report.shop is not None and report.shop_verdict is not None:
        lines.extend(shop_lines(report.shop, report.shop_verdict, color, lang))
    s = report.summary()
    lines.extend(translate(msg("note: {note}", note=n), lang) for n in report.notes)
    parts: list[str] = []
    if report.images or report.shop is None:
        parts.append(msg("{n} image(s): {passed} pass, {failed} fail, {errors} error",
                         n=s["images"], passed=s["pass"], failed=s["fail"], errors=s["error"]))
    if report.shop is not None:
        parts.append(shop_counts(report))
    if report.images:
        counts = {"problems": s["problems"], "findings": s["findings"]}
        parts.append(msg("{problems} problem(s) ({findings} finding(s)) in all", **counts)
                     if report.shop is not None
                     else msg("{problems} problem(s) ({findings} finding(s))", **counts))
    parts.append(msg("platform {platform}, fail-on {fail_on}", platform=report.platform,
                     fail_on=term(str(report.fail_on))))
    end = translate(msg(" (interrupted)"), lang) if report.interrupted else ""
    lines.append(translate(msg("; "), lang).join(translate(p, lang) for p in parts) + end)
    return "\n".join(lines) + "\n"
