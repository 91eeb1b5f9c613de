"""Text reporter: a line per image with its verdict, then a line per problem (its main
finding, and the codes of the findings about the same object); the shop alike, its met
conditions on one line whatever the platform; a closing summary. In the report's
language (:mod:`imagecheck.i18n`)."""

from __future__ import annotations

import re

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import Message, join, msg, nmsg, pad, term, translate
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


#: Verdicts as the text report shows them.
VERDICTS = {"pass": msg("PASS"), "fail": msg("FAIL"), "error": msg("ERROR")}


def verdict_label(verdict: str, color: bool = False, lang: str = "en") -> str:
    """``PASS``, ``FAIL`` or ``ERROR`` in ``lang``, painted, padded to four columns."""
    return _paint(pad(translate(VERDICTS[verdict], lang), 4), verdict, color)


def related(p: Problem, lang: str = "en") -> str:
    """`` (also TX301 x2, TX305)``: the codes of a problem's related findings, or ``""``."""
    if not p.related:
        return ""
    codes = [code if n == 1 else f"{code} x{n}" for code, n in p.related_codes().items()]
    return translate(msg(" (also {codes})", codes=join(codes)), lang)


def problem_line(p: Problem, color: bool = False, lang: str = "en", raw: bool = True) -> str:
    """One problem: its main finding's line (:func:`finding_line`), then the related
    codes."""
    return finding_line(p.main, color, lang, raw) + related(p, lang)


def shop_lines(shop: ShopResult, verdict: str, color: bool = False, lang: str = "en"
               ) -> list[str]:
    """The shop's verdict line, a line per problem, and one line naming the conditions met
    (their own "met" findings, which only some platforms' rules give, folded into it)."""
    met = shop.met()
    lines = [f"{verdict_label(verdict, color, lang)}  {translate(msg('shop'), lang)}"
             f" {_plain(shop.shop)}  [{'+'.join(shop.platforms)}]"]
    lines += [problem_line(p, color, lang, raw=False) for p in shop.problems()]
    if met:
        label = _paint(pad(translate(msg("met"), lang), 7), "pass", color)
        lines.append(f"    {label} {translate(join(list(met)), lang)}")
    return lines


def shop_counts(report: Report) -> Message | None:
    """``shop fail: 9 problems, 13 conditions met`` (``None`` without a shop)."""
    s = report.summary()["shop"]
    if s is None:
        return None
    problems = nmsg("{n} problem", "{n} problems", n=s["problems"])
    met = nmsg("{n} condition met", "{n} conditions met", n=s["met"])
    if s["verdict"] == "fail":
        return msg("shop fail: {problems}, {met}", problems=problems, met=met)
    return msg("shop pass: {problems}, {met}", problems=problems, met=met)


def counts(report: Report, images: Message | None = None) -> list[Message]:
    """A summary's parts: ``images`` (the images' counts, by default ``3 images: 1 pass, 2
    fail, 0 error``; left out when only the shop was checked), the shop's counts, the
    problems and findings, platform and fail-on level."""
    s = report.summary()
    shop = shop_counts(report)
    if images is None:
        images = nmsg("{n} image: {passed} pass, {failed} fail, {errors} error",
                      "{n} images: {passed} pass, {failed} fail, {errors} error",
                      n=s["images"], passed=s["pass"], failed=s["fail"], errors=s["error"])
    parts = [images] if report.images or shop is None else []
    if shop is not None:
        parts.append(shop)
    if report.images:
        problems = nmsg("{n} problem", "{n} problems", n=s["problems"])
        findings = nmsg("{n} finding", "{n} findings", n=s["findings"])
        parts.append(msg("{problems} ({findings}) in all", problems=problems, findings=findings)
                     if shop is not None else
                     msg("{problems} ({findings})", problems=problems, findings=findings))
    parts.append(msg("platform {platform}, fail-on {fail_on}", platform=report.platform,
                     fail_on=term(str(report.fail_on))))
    return parts


def joined(parts: list[Message], lang: str) -> str:
    """``parts`` in ``lang``, separated by semicolons."""
    return translate(msg("; "), lang).join(translate(p, lang) for p in parts)


def render(report: Report, color: bool = False) -> str:
    """The report as human-readable lines and a closing summary."""
    lang = report.lang
    lines = []
    for r in report.images:
        size = f"{r.width}x{r.height}" if r.width else "-"
        lines.append(f"{verdict_label(r.verdict(report.fail_on), color, lang)}  {_plain(r.path)}"
                     f"  [{translate(term(r.role), lang)}, {size}]")
        lines.extend(problem_line(p, color, lang, raw=False) for p in r.problems())
    if report.shop is not None and report.shop_verdict is not None:
        lines.extend(shop_lines(report.shop, report.shop_verdict, color, lang))
    lines.extend(translate(msg("note: {note}", note=n), lang) for n in report.notes)
    parts = counts(report)
    if report.interrupted:
        parts.append(msg("interrupted"))
    lines.append(joined(parts, lang))
    return "\n".join(lines) + "\n"
