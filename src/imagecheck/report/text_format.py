"""Text reporter: a line per image with its verdict, then its findings with values."""

from __future__ import annotations

import re

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import msg, nmsg, pad, term, translate
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


def render(report: Report, color: bool = False) -> str:
    """The report as human-readable lines and a closing summary."""
    lang = report.lang
    lines = []

    def verdict_label(verdict: str) -> str:
        return _paint(pad(translate(VERDICTS[verdict], lang), 4), verdict, color)

    for r in report.images:
        verdict = r.verdict(report.fail_on)
        size = f"{r.width}x{r.height}" if r.width else "-"
        lines.append(f"{verdict_label(verdict)}  {_plain(r.path)}  "
                     f"[{translate(term(r.role), lang)}, {size}]")
        lines.extend(finding_line(f, color, lang, raw=False) for f in r.findings)
    if report.shop_findings or report.shop_summary:
        failed = any(f.severity >= report.fail_on for f in report.shop_findings)
        lines.append(f"{verdict_label('fail' if failed else 'pass')}  "
                     + translate(msg("shop"), lang))
        lines.extend(finding_line(f, color, lang, raw=False) for f in report.shop_findings)
    s = report.summary()
    lines.extend(translate(msg("note: {note}", note=n), lang) for n in report.notes)
    has_shop = bool(report.shop_findings or report.shop_summary)
    parts = []
    if report.images or not has_shop:
        parts.append(nmsg("{n} image: {passed} pass, {failed} fail, {errors} error",
                          "{n} images: {passed} pass, {failed} fail, {errors} error",
                          n=s["images"], passed=s["pass"], failed=s["fail"], errors=s["error"]))
    if has_shop:
        parts.append(msg("shop fails") if s["shop_failed"] else msg("shop passes"))
    parts.append(nmsg("{n} finding; platform {platform}, fail-on {fail_on}",
                      "{n} findings; platform {platform}, fail-on {fail_on}",
                      n=s["findings"], platform=report.platform,
                      fail_on=term(str(report.fail_on))))
    if report.interrupted:
        parts.append(msg("interrupted"))
    lines.append(translate(msg("; "), lang).join(translate(p, lang) for p in parts))
    return "\n".join(lines) + "\n"
