"""JUnit XML reporter, for CI systems that show test results (Jenkins, GitLab, Azure).

One test suite per listing, one test case per image: an image that fails has a
``<failure>`` listing its problems at or above ``fail_on`` (a line per object, with
the codes of the findings about it, :mod:`imagecheck.problems`); an unreadable or
unchecked image has an ``<error>``; problems below ``fail_on`` go to ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from imagecheck.i18n import translate
from imagecheck.problems import Problem
from imagecheck.report.model import ImageResult, Report
from imagecheck.report.text_format import problem_line


def _lines(problems: list[Problem], lang: str) -> str:
    return "\n".join(problem_line(p, lang=lang).strip() for p in problems)


def _case(suite: ET.Element, r: ImageResult, report: Report) -> str:
    case = ET.SubElement(suite, "testcase", name=r.path, classname=r.listing)
    verdict = r.verdict(report.fail_on)
    problems = r.problems()
    failing = [p for p in problems if p.severity >= report.fail_on]
    rest = [p for p in problems if p.severity < report.fail_on]
    if verdict == "error":
        tag = ET.SubElement(case, "error", message=translate(failing[0].main.message, report.lang),
                            type=failing[0].main.code)
        tag.text = _lines(failing, report.lang)
    elif verdict == "fail":
        codes = ", ".join(sorted({p.main.code for p in failing}))
        tag = ET.SubElement(case, "failure", message=f"{len(failing)} problem(s): {codes}",
                            type=failing[0].main.code)
        tag.text = _lines(failing, report.lang)
    if rest:
        ET.SubElement(case, "system-out").text = _lines(rest, report.lang)
    return verdict


def render(report: Report, color: bool = False) -> str:
    """The report as JUnit XML."""
    root = ET.Element("testsuites", name="imagecheck")
    groups: dict[str, list[ImageResult]] = defaultdict(list)
    for r in report.images:
        groups[r.listing].append(r)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for listing, results in groups.items():
        suite = ET.SubElement(root, "testsuite", name=listing)
        verdicts = [_case(suite, r, report) for r in results]
        counts = {"tests": len(verdicts), "failures": verdicts.count("fail"),
                  "errors": verdicts.count("error")}
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    if report.shop is not None:
        suite = ET.SubElement(root, "testsuite", name="shop")
        problems = report.shop.problems()
        failing = [p for p in problems if p.severity >= report.fail_on]
        rest = [p for p in problems if p.severity < report.fail_on]
        case = ET.SubElement(suite, "testcase", name="shop", classname="shop")
        failed = report.shop_verdict == "fail"
        if failed:
            codes = ", ".join(sorted({p.main.code for p in failing}))
            ET.SubElement(case, "failure", message=f"{len(failing)} problem(s): {codes}",
                          type=failing[0].main.code).text = _lines(failing, report.lang)
        met = report.shop.met()
        if rest or met:
            ET.SubElement(case, "system-out").text = "\n".join(
                [_lines(rest, report.lang)] * bool(rest) + [f"met: {', '.join(met)}"] * bool(met))
        suite.set("tests", "1")
        suite.set("failures", str(int(failed)))
        suite.set("errors", "0")
        totals["tests"] += 1
        totals["failures"] += int(failed)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
