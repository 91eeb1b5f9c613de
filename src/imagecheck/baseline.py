"""Baselines: a catalogue's known findings, accepted so they don't block new uploads.

``--write-baseline FILE`` records every finding of a run at warning or above by the
content of its image (SHA-256 of the file) and rule code, so renaming or moving an image
keeps it accepted and editing it does not. ``--baseline FILE`` then leaves those findings
out of the report (a note counts them); anything new still fails. Input findings (IN)
are never accepted. A baseline written before a rule was renamed still holds: its old
codes are read as the new ones (:data:`~imagecheck.rules.registry.ALIASES`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from imagecheck.cache import file_digest
from imagecheck.findings import Severity
from imagecheck.i18n import msg, nmsg
from imagecheck.report import atomic_write_text
from imagecheck.report.model import Report
from imagecheck.rules.registry import canonical

FORMAT = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read."""


@dataclass(frozen=True)
class Baseline:
    """Accepted findings: ``(image SHA-256, rule code)`` -> how many."""

    accepted: Counter[tuple[str, str]]


def _accepted(code: str, severity: Severity) -> bool:
    return severity >= Severity.WARNING and not code.startswith("IN")


def write_baseline(report: Report, path: Path) -> int:
    """Record the findings of ``report`` in ``path``; return how many."""
    rows = []
    for r in report.images:
        digest = file_digest(r.path)
        if digest is None:
            continue
        rows += [{"sha256": digest, "code": f.code, "path": r.path}
                 for f in r.findings if _accepted(f.code, f.severity)]
    atomic_write_text(path, json.dumps({"imagecheck_baseline": FORMAT, "findings": rows},
                                       ensure_ascii=False, indent=1) + "\n")
    return len(rows)


def read_baseline(path: Path) -> Baseline:
    """The baseline in ``path``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["findings"]
        if data.get("imagecheck_baseline") != FORMAT:
            raise ValueError(f"not an imagecheck baseline of format {FORMAT}")
        return Baseline(Counter((str(r["sha256"]), canonical(str(r["code"]))) for r in rows))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(msg("{file}: cannot read baseline: {error}", file=str(path),
                                error=str(exc))) from None


def apply_baseline(report: Report, baseline: Baseline, name: str) -> Report:
    """``report`` without the findings ``baseline`` accepts, with a note counting them."""
    left = Counter(baseline.accepted)
    images = []
    dropped = 0
    for r in report.images:
        digest = file_digest(r.path)
        kept = []
        for f in r.findings:
            key = (digest or "", f.code)
            if digest and _accepted(f.code, f.severity) and left[key] > 0:
                left[key] -= 1
                dropped += 1
            else:
                kept.append(f)
        images.append(replace(r, findings=tuple(kept)))
    note = nmsg("{n} known finding accepted by the baseline {file}",
                "{n} known findings accepted by the baseline {file}", n=dropped, file=name)
    return replace(report, images=tuple(images), notes=(*report.notes, note))
