"""The plain data model of a run: images, their findings, shop findings, a summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from imagecheck.findings import Finding, Severity

if TYPE_CHECKING:
    from imagecheck.fix.model import FixRecord

#: Version of the JSON report schema (``docs/report-schema.md``); bump on any change.
SCHEMA_VERSION = "1.1"


def evidence(f: Finding) -> dict[str, str]:
    """A finding's measured value, threshold and box as short strings (those it has)."""
    out = {}
    if f.value is not None:
        out["value"] = str(f.value)
    if f.threshold is not None:
        out["threshold"] = str(f.threshold)
    if f.box is not None:
        out["box"] = ",".join(str(v) for v in f.box)
    return out


@dataclass(frozen=True)
class ImageResult:
    """One input file and what the rules found in it."""

    path: str
    listing: str
    role: str
    role_source: str
    width: int | None
    height: int | None
    findings: tuple[Finding, ...]
    #: What ``imagecheck fix`` did; the findings are then those of the fixed copy.
    fix: FixRecord | None = None

    @property
    def unreadable(self) -> bool:
        """Whether the file could not be checked at all."""
        return any(f.category == "input" and f.severity is Severity.ERROR for f in self.findings)

    def verdict(self, fail_on: Severity) -> str:
        """``error`` if it could not be checked, ``fail`` if any finding is at or above
        ``fail_on``, else ``pass``."""
        if self.unreadable:
            return "error"
        if any(f.severity >= fail_on for f in self.findings):
            return "fail"
        return "pass"


@dataclass(frozen=True)
class Report:
    """A whole run."""

    images: tuple[ImageResult, ...]
    platform: str
    fail_on: Severity
    shop_findings: tuple[Finding, ...] = ()
    shop_summary: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    interrupted: bool = False

    def all_findings(self) -> list[Finding]:
        """Image and shop findings together."""
        return [f for r in self.images for f in r.findings] + list(self.shop_findings)

    def summary(self) -> dict[str, Any]:
        """Counts by verdict, severity and rule."""
        verdicts = Counter(r.verdict(self.fail_on) for r in self.images)
        findings = self.all_findings()
        return {
            "images": len(self.images),
            "pass": verdicts.get("pass", 0),
            "fail": verdicts.get("fail", 0),
            "error": verdicts.get("error", 0),
            "findings": len(findings),
            "by_severity": dict(Counter(str(f.severity) for f in findings)),
            "by_code": dict(sorted(Counter(f.code for f in findings).items())),
            "shop_failed": any(f.severity >= self.fail_on for f in self.shop_findings),
            "by_listing": self.listings(),
        }

    def listings(self) -> list[dict[str, Any]]:
        """Counts per listing, worst first: most unreadable, then failed images, then
        findings at or above ``fail_on``, then all findings."""
        rows: dict[str, dict[str, Any]] = {}
        for r in self.images:
            row = rows.setdefault(r.listing, {"listing": r.listing, "images": 0, "pass": 0,
                                              "fail": 0, "error": 0, "findings": 0,
                                              "failing_findings": 0})
            row["images"] += 1
            row[r.verdict(self.fail_on)] += 1
            row["findings"] += len(r.findings)
            row["failing_findings"] += sum(f.severity >= self.fail_on for f in r.findings)
        return sorted(rows.values(), key=lambda w: (-w["error"], -w["fail"],
                                                    -w["failing_findings"], -w["findings"],
                                                    w["listing"]))
