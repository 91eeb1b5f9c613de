"""GitHub Actions reporter: one workflow annotation per problem, for merchants' CI.

Each problem (findings describing one object, :mod:`imagecheck.problems`) becomes
``::error``, ``::warning`` or ``::notice`` on the image file, titled with its main rule
code and naming the related ones, so the job summary and the pull request show it
beside the file. Shop findings are annotations without a file. Messages are in the
report's language; the last line, the run's summary, stays English.
"""

from __future__ import annotations

from imagecheck.findings import Severity
from imagecheck.i18n import translate
from imagecheck.problems import Problem
from imagecheck.report.model import Report, evidence
from imagecheck.report.text_format import counts, joined, related

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
    lines = [_line(p, r.path, report.lang) for r in report.images for p in r.problems()]
    if report.shop is not None:
        lines += [_line(p, None, report.lang) for p in report.shop.problems()]
    lines.append(f"imagecheck: {joined(counts(report), 'en')}")
    return "\n".join(lines) + "\n"
