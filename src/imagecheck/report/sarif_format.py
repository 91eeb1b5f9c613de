"""SARIF 2.1.0 reporter, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

``tool.driver.informationUri`` is the project's repository from the package metadata
(``[project.urls]``: Repository, Source or Homepage), left out when it names none.

Each finding is a result on the image file (or on ``shop`` for shop findings); the
measured value, threshold and pixel box are in the result's ``properties``, with
``problem`` (findings of one file describing one object share it, numbered from 1) and
``main`` (the one a person is shown; :mod:`imagecheck.problems`). Every rule that fired
is described in ``tool.driver.rules`` with its documentation.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

from imagecheck.findings import Finding, Severity
from imagecheck.i18n import translate
from imagecheck.problems import group_findings, problem_numbers
from imagecheck.report.model import Report
from imagecheck.rules.registry import get_rule, old_codes

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


#: ``[project.urls]`` labels naming the repository, most wanted first.
URL_LABELS = ("repository", "source", "source code", "homepage", "home")


def information_uri() -> str | None:
    """The project's repository (or home page) from the installed package's metadata
    (``Project-URL`` entries, written from ``[project.urls]``), or ``None``."""
    try:
        meta = metadata.metadata("imagecheck")
    except metadata.PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower(), url.strip())
    found = [urls[label] for label in URL_LABELS if urls.get(label)]
    return found[0] if found else (meta.get_all("Home-page") or [None])[0]


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def _rule(code: str) -> dict[str, Any]:
    """A rule's SARIF descriptor; a renamed rule's old codes are its ``deprecatedIds``, so
    a viewer that tracks results across runs keeps them."""
    r = get_rule(code)
    old = old_codes(r.code)
    return {
        "id": r.code,
        **({"deprecatedIds": list(old)} if old else {}),
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.doc},
        "help": {"text": r.doc},
        "defaultConfiguration": {"level": LEVELS[r.severity]},
        "properties": {"category": r.category},
    }


def _result(f: Finding, uri: str, index: dict[str, int], problem: tuple[int, bool],
            lang: str) -> dict[str, Any]:
    props: dict[str, Any] = {"category": f.category, "value": f.value,
                             "threshold": f.threshold, "problem": problem[0],
                             "main": problem[1]}
    if f.box is not None:
        props["box"] = list(f.box)
    if f.target is not None:
        props["target"] = f.target
    return {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVELS[f.severity],
        "message": {"text": translate(f.message, lang)},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
        "properties": props,
    }


def render(report: Report, color: bool = False) -> str:
    """The report as a SARIF 2.1.0 log with one run."""
    from imagecheck import __version__

    targets = [(r.findings, r.problems(), _uri(r.path)) for r in report.images]
    targets.append((report.shop_findings, group_findings(report.shop_findings), "shop"))
    pairs = [(f, uri, n) for findings, problems, uri in targets
             for f, n in zip(findings, problem_numbers(problems), strict=True)]
    codes = sorted({f.code for f, _, _ in pairs})
    index = {code: i for i, code in enumerate(codes)}
    driver: dict[str, Any] = {"name": "imagecheck", "version": __version__}
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = [_rule(code) for code in codes]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "results": [_result(f, uri, index, n, report.lang) for f, uri, n in pairs],
            "properties": {"platform": report.platform, "fail_on": str(report.fail_on),
                           "shop_verdict": report.shop_verdict,
                           "interrupted": report.interrupted,
                           "notes": [translate(n, report.lang) for n in report.notes]},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2, default=str) + "\n"
