"""The plain data model of a run: images and their findings, the shop and its findings,
each with its verdict, and a summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from imagecheck.findings import Finding, Severity
from imagecheck.problems import Problem, group_findings

if TYPE_CHECKING:
    from imagecheck.fix.model import FixRecord
    from imagecheck.shop.model import InputSummary

#: Version of the JSON report schema (``docs/report-schema.json``); bump on any change.
SCHEMA_VERSION = "1.2"


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

    def problems(self) -> tuple[Problem, ...]:
        """The findings grouped by the object they describe
        (:func:`imagecheck.problems.group_findings`; grouped once, on first use)."""
        return self._problems

    @cached_property
    def _problems(self) -> tuple[Problem, ...]:
        return group_findings(self.findings)

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


#: Shop rule code prefix -> the platform whose rules they are.
SHOP_PLATFORMS = (("KS", "kuaishou"), ("PDD", "pdd"))


@dataclass(frozen=True)
class ShopResult:
    """The shop and what its rules found (:func:`imagecheck.check_shop`).

    ``stage`` is the Kuaishou 快分销 stage (``admitted`` / ``not admitted``), ``None`` when
    the profile has no ``[kuaishou]`` section. ``inputs`` summarises each CSV read: file,
    encoding detected, rows read and the rows that could not be used, with reasons.
    ``checked`` lists the rule codes that ran; ``conditions`` those of them that judge a
    condition the shop meets or not (the others report the admission stage or the
    inputs).
    """

    profile: str
    shop: str
    findings: tuple[Finding, ...]
    stage: str | None
    inputs: tuple[InputSummary, ...]
    checked: tuple[str, ...]
    conditions: tuple[str, ...] = ()

    def verdict(self, fail_on: Severity) -> str:
        """``fail`` if any finding is at or above ``fail_on``, else ``pass``."""
        return "fail" if any(f.severity >= fail_on for f in self.findings) else "pass"

    def met(self) -> tuple[str, ...]:
        """The conditions met: those with no finding above info, whichever platform's
        (Kuaishou's rules say "met" in an info finding, Pinduoduo's say nothing)."""
        failed = {f.code for f in self.findings if f.severity > Severity.INFO}
        return tuple(code for code in self.conditions if code not in failed)

    def problems(self) -> tuple[Problem, ...]:
        """The findings as problems (each shop finding is one), but for the info findings
        that say a condition is met (:meth:`met` names those conditions)."""
        met = set(self.met())
        return group_findings([f for f in self.findings
                               if not (f.severity is Severity.INFO and f.code in met)])

    @property
    def platforms(self) -> tuple[str, ...]:
        """The platforms whose rules were checked (``kuaishou``, ``pdd``)."""
        return tuple(name for prefix, name in SHOP_PLATFORMS
                     if any(code.startswith(prefix) for code in self.checked))

    def summary(self) -> dict[str, Any]:
        """Plain data for a report's shop summary: shop, stage, rules run, inputs read."""
        return {
            "shop": self.shop,
            "profile": self.profile,
            "stage": self.stage,
            "checked": list(self.checked),
            "met": list(self.met()),
            "inputs": [
                {
                    "kind": s.kind,
                    "file": s.file,
                    "encoding": s.encoding,
                    "rows_read": s.rows_read,
                    "rows_unusable": s.rows_unusable,
                    "unusable": [str(p) for p in s.unusable],
                }
                for s in self.inputs
            ],
        }


@dataclass(frozen=True)
class Report:
    """A whole run: the images checked and, when it was checked, the shop."""

    images: tuple[ImageResult, ...]
    platform: str
    fail_on: Severity
    shop: ShopResult | None = None
    notes: tuple[str, ...] = ()
    interrupted: bool = False
    #: The language people read the report in (``en`` or ``zh``); codes and numbers are
    #: the same in every language.
    lang: str = "en"

    @property
    def shop_findings(self) -> tuple[Finding, ...]:
        """The shop's findings (none without a shop)."""
        return self.shop.findings if self.shop is not None else ()

    @property
    def shop_summary(self) -> dict[str, Any]:
        """The shop's :meth:`ShopResult.summary` (empty without a shop)."""
        return self.shop.summary() if self.shop is not None else {}

    @property
    def shop_verdict(self) -> str | None:
        """The shop's verdict under ``fail_on``: ``pass``, ``fail``, or ``None`` when the
        shop was not checked."""
        return self.shop.verdict(self.fail_on) if self.shop is not None else None

    def all_findings(self) -> list[Finding]:
        """Image and shop findings together."""
        return [f for r in self.images for f in r.findings] + list(self.shop_findings)

    def all_problems(self) -> list[Problem]:
        """Each image's problems, then the shop's (:meth:`ShopResult.problems`)."""
        return [p for r in self.images for p in r.problems()] + list(
            self.shop.problems() if self.shop is not None else ())

    def summary(self) -> dict[str, Any]:
        """Counts by verdict, severity and rule; ``problems`` counts findings describing one
        object once, under its main rule in ``problems_by_code``; ``shop`` is the shop's
        verdict and counts (``None`` when it was not checked)."""
        verdicts = Counter(r.verdict(self.fail_on) for r in self.images)
        findings = self.all_findings()
        problems = self.all_problems()
        return {
            "images": len(self.images),
            "pass": verdicts.get("pass", 0),
            "fail": verdicts.get("fail", 0),
            "error": verdicts.get("error", 0),
            "problems": len(problems),
            "problems_by_code": dict(sorted(Counter(p.main.code for p in problems).items())),
            "findings": len(findings),
            "by_severity": dict(Counter(str(f.severity) for f in findings)),
            "by_code": dict(sorted(Counter(f.code for f in findings).items())),
            "shop_failed": self.shop_verdict == "fail",
            "shop": None if self.shop is None else {
                "verdict": self.shop_verdict,
                "problems": len(self.shop.problems()),
                "findings": len(self.shop.findings),
                "met": len(self.shop.met()),
            },
            "by_listing": self.listings(),
        }

    def listings(self) -> list[dict[str, Any]]:
        """Counts per listing, worst first: most unreadable, then failed images, then
        findings at or above ``fail_on``, then all findings."""
        rows: dict[str, dict[str, Any]] = {}
        for r in self.images:
            row = rows.setdefault(r.listing, {"listing": r.listing, "images": 0, "pass": 0,
                                              "fail": 0, "error": 0, "problems": 0,
                                              "findings": 0, "failing_findings": 0})
            row["images"] += 1
            row[r.verdict(self.fail_on)] += 1
            row["problems"] += len(r.problems())
            row["findings"] += len(r.findings)
            row["failing_findings"] += sum(f.severity >= self.fail_on for f in r.findings)
        return sorted(rows.values(), key=lambda w: (-w["error"], -w["fail"],
                                                    -w["failing_findings"], -w["findings"],
                                                    w["listing"]))
