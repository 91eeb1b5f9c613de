"""GitHub Actions reporter: one workflow annotation per finding, for merchants' CI.

Each problem (findings describing one object, :mod:`imagecheck.problems`) becomes
``::error``, ``::warning`` or ``::notice`` on the image file, titled with its main rule
code and naming the related ones, so the job summary and the pull request show it
beside the file. Shop findings are annotations without a file. The last line is the
run's summary.
"""

from __future__ import annotations

from imagecheck.findings import Severity
from imagecheck.problems import Problem
from imagecheck.report.model import Report, evidence
from imagecheck.report.text_format import related, shop_counts

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(p: Problem, path: str | None) -> str:
    f = p.main
    where = f"file={_property(path)}," if path else ""
    parts = " ".join(f"{k}={v}" for k, v in evidence(f).items())
    message = f.message + (f" [{parts}]" if parts else "") + related(p)
    if f.target:
        message = f"{f.target}: {message}"
    return f"::{LEVELS[f.severity]} {where}title={_property(f.code)}::{_data(message)}"


def render(report: Report, color: bool = False) -> str:
    """The report as GitHub workflow commands, one line per problem."""
    lines = [_line(p, r.path) for r in report.images for p in r.problems()]
    if report.shop is not None:
        lines += [_line(p, None) for p in report.shop.problems()]
    s = report.summary()
    counts = [f"{s['images']} image(s): {s['pass']} pass, {s['fail']} fail, {s['error']} error"
              ] if report.images or report.shop is None else []
    counts += [shop_counts(report)] if report.shop is not None else []
    lines.append(f"imagecheck: {'; '.join(counts)}; platform {report.platform},"
                 f" fail-on {report.fail_on}")
    return "\n".join(lines) + "\n"
