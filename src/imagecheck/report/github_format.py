"""GitHub Actions reporter: one workflow annotation per finding, for merchants' CI.

Each finding becomes ``::error``, ``::warning`` or ``::notice`` on the image file, titled
with its rule code, so the job summary and the pull request show it beside the file.
Shop findings are annotations without a file. The last line is the run's summary.
"""

from __future__ import annotations

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import translate
from imagecheck.report.model import Report, evidence

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(f: Finding, path: str | None, lang: str) -> str:
    where = f"file={_property(path)}," if path else ""
    parts = " ".join(f"{k}={v}" for k, v in evidence(f).items())
    message = translate(f.message, lang) + (f" [{parts}]" if parts else "")
    if f.target:
        message = f"{f.target}: {message}"
    return f"::{LEVELS[f.severity]} {where}title={_property(f.code)}::{_data(message)}"


def render(report: Report, color: bool = False) -> str:
    """The report as GitHub workflow commands, one line per finding."""
    lines = [_line(f, r.path, report.lang) for r in report.images for f in r.findings]
    lines += [_line(f, None, report.lang) for f in report.shop_findings]
    s = report.summary()
    lines.append(f"imagecheck: {s['images']} image(s): {s['pass']} pass, {s['fail']} fail,"
                 f" {s['error']} error; platform {report.platform}, fail-on {report.fail_on}")
    return "\n".join(lines) + "\n"
