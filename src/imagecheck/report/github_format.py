"""GitHub Actions reporter: one workflow annotation per finding, for merchants' CI.

Each problem (findings describing one object, :mod:`imagecheck.problems`) becomes
``::error``, ``::warning`` or ``::notice`` on the image file, titled with its main rule
code and naming the related ones, so the job summary and the pull request show it
beside the file. Shop findings are annotations without a file. The last line is the
run's summary.
"""

from __future__ import annotations

from imagecheck.findings import Severity
from imagecheck.i18n import msg, term, translate
from imagecheck.problems import Problem
from imagecheck.report.model import Report, evidence
from imagecheck.report.text_format import related, shop_counts

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(p: Problem, path: str | None, lang: str) -> str:
    f = p.main
    where = f"file={_property(path)}," if path else ""
    parts = " ".join(f"{k}={v}" for k, v in evidence(f).items())
    message = translate(f.message, lang) + (f" [{parts}]" if parts else "") + related(p, lang)
    if f.target:
        message = f"{f.target}: {message}"
    return f"::{LEVELS[f.severity]} {where}title={_property(f.code)}::{_data(message)}"


def render(report: Report, color: bool = False) -> str:
    """The report as GitHub workflow commands, one line per problem."""
    lang = report.lang
    lines = [_line(p, r.path, lang) for r in report.images for p in r.problems()]
    if report.shop is not None:
        lines += [_line(p, None, lang) for p in report.shop.problems()]
    s = report.summary()
    counts = [translate(msg("{n} image(s): {passed} pass, {failed} fail, {errors} error",
                            n=s["images"], passed=s["pass"], failed=s["fail"],
                            errors=s["error"]), lang)
              ] if report.images or report.shop is None else []
    counts += [shop_counts(report)] if report.shop is not None else []
    counts.append(translate(msg("platform {platform}, fail-on {fail_on}",
                                platform=report.platform, fail_on=term(str(report.fail_on))),
                            lang))
    lines.append("imagecheck: " + translate(msg("; "), lang).join(counts))
    return "\n".join(lines) + "\n"
