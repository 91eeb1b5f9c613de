"""Findings describing one object are one problem (``imagecheck.problems``), in every report."""

from __future__ import annotations

import csv
import io
import json
from itertools import combinations

from imagecheck import build_settings, check_image
from imagecheck.findings import Box, Finding, Severity
from imagecheck.grouping import linked_groups
from imagecheck.problems import group_findings, problem_numbers
from imagecheck.report import render
from imagecheck.report.model import ImageResult, Report
from imagecheck_dev import synth

CATEGORY = {"OV411": "badge", "OV412": "badge", "TX309": "text", "OV432": "watermark",
            "TX301": "text", "TX302": "text", "TX304": "text", "LG305": "logo",
            "BG101": "background", "IQ501": "quality"}


def f(code: str, box: Box | None = None, severity: Severity = Severity.ERROR,
      **details: object) -> Finding:
    return Finding(code, CATEGORY[code], severity, f"{code} message", box=box, details=details)


# A badge in the bottom-right corner, with its words, its price and a seal inside it.
BADGE = [f("OV411", (280, 280, 360, 360)), f("TX301", (286, 290, 360, 350)),
         f("TX302", (290, 330, 350, 355)), f("LG305", (300, 300, 330, 330))]


def test_a_badge_with_its_text_and_logo_is_one_problem() -> None:
    (problem,) = group_findings(BADGE)
    assert problem.main.code == "OV411"
    assert problem.related_codes() == {"TX301": 1, "TX302": 1, "LG305": 1}
    assert sorted(problem.findings, key=BADGE.index) == BADGE


def test_text_inside_a_badge_is_the_badge_whatever_the_order() -> None:
    (problem,) = group_findings(list(reversed(BADGE)))
    assert problem.main.code == "OV411"


def test_separate_objects_and_whole_image_findings_stay_apart() -> None:
    findings = [f("BG101", (0, 0, 400, 400)), f("IQ501"), *BADGE,
                f("TX301", (10, 10, 60, 30)), f("LG305", (10, 8, 62, 32))]
    problems = group_findings(findings)
    assert [p.main.code for p in problems] == ["BG101", "IQ501", "OV411", "LG305"]
    assert problems[3].related_codes() == {"TX301": 1}


def test_a_small_touch_is_not_the_same_object() -> None:
    text = f("TX301", (0, 160, 70, 206))  # 40% of it over the strip
    problems = group_findings([f("OV412", (0, 189, 220, 220)), text])
    assert len(problems) == 2


def test_printed_text_is_never_grouped() -> None:
    printed = f("TX304", (0, 0, 400, 400), Severity.INFO)
    assert len(group_findings([printed, *BADGE])) == 2


def test_severity_first_then_specificity() -> None:
    weak_badge = f("OV411", (280, 280, 360, 360), Severity.WARNING)
    text = f("TX301", (286, 290, 360, 350))
    (problem,) = group_findings([weak_badge, text])
    assert problem.main is text and problem.severity is Severity.ERROR


def test_listed_boxes_link_not_the_box_around_them() -> None:
    tiled = f("OV432", (0, 0, 400, 400), boxes=[[0, 0, 50, 20], [300, 300, 350, 320]])
    inside = f("TX301", (100, 100, 200, 150))  # in the span, on no reading
    reading = f("TX301", (300, 300, 350, 320))
    problems = group_findings([tiled, inside, reading])
    assert [(p.main, p.related) for p in problems] == [(tiled, (reading,)), (inside, ())]


def test_chains_join_and_numbers_follow_the_groups() -> None:
    findings = [f("TX301", (0, 0, 10, 10)), f("IQ501"), f("TX302", (5, 0, 15, 10)),
                f("TX301", (10, 0, 20, 10))]
    assert len(group_findings(findings)) == 2
    # TX302 (promo) is more specific than TX301: the problem comes where it does
    assert problem_numbers(group_findings(findings)) == [
        (2, False), (1, True), (2, True), (2, False)]
    assert group_findings([]) == ()


def test_touching_boxes_of_one_rule_are_one_mark() -> None:
    left, right = f("LG305", (690, 32, 732, 106)), f("LG305", (734, 36, 766, 112))  # 2 px
    (problem,) = group_findings([left, right])
    assert problem.main is left and problem.related == (right,)
    overlapping = f("LG305", (730, 36, 766, 112))  # 2 px into it, far less than half
    assert len(group_findings([left, overlapping])) == 1
    stacked = f("LG305", (692, 108, 730, 180))  # 2 px under it
    assert len(group_findings([left, stacked])) == 1


def test_marks_apart_or_of_other_rules_stay_apart() -> None:
    left = f("LG305", (690, 32, 732, 106))
    assert len(group_findings([left, f("LG305", (742, 36, 774, 112))])) == 2  # 10 px apart
    assert len(group_findings([left, f("LG305", (733, 90, 765, 160))])) == 2  # corner only
    assert len(group_findings([left, f("TX301", (734, 36, 766, 112))])) == 2  # other rule


def test_two_glyph_marks_of_one_generated_word_are_one_problem() -> None:
    # Without OCR the two glyphs of an added word in the top-right corner are two
    # small graphic marks a few pixels apart: one thing for the merchant to remove.
    image = synth.text_overlay(synth.shot("bottle", (800, 800), fill=0.6), "包邮", 0.1,
                               position="top-right")
    result = check_image(image, "main", build_settings({}, ocr="none"))
    marks = [x for x in result.findings if x.code == "LG305"]
    assert len(marks) == 2
    (problem,) = [p for p in group_findings(result.findings) if p.main.code == "LG305"]
    assert sorted(problem.findings, key=marks.index) == marks


def _report() -> Report:
    image = ImageResult("a.jpg", "l", "main", "option", 400, 400,
                        (f("BG101", (0, 0, 400, 400)), *BADGE))
    return Report((image,), "pdd", Severity.WARNING)


def test_text_prints_one_line_per_problem_and_counts_problems() -> None:
    text = render(_report(), "text")
    assert "OV411 badge" in text and "(also LG305, TX301, TX302)" in text
    assert "LG305 logo" not in text
    assert "2 problem(s) (5 finding(s))" in text


def test_machine_formats_keep_every_finding_with_its_problem() -> None:
    report = _report()
    data = json.loads(render(report, "json"))
    assert [(x["code"], x["problem"], x["main"]) for x in data["images"][0]["findings"]] == [
        ("BG101", 1, True), ("OV411", 2, True), ("TX301", 2, False), ("TX302", 2, False),
        ("LG305", 2, False)]
    assert data["summary"]["problems"] == 2 and data["summary"]["findings"] == 5
    assert data["summary"]["problems_by_code"] == {"BG101": 1, "OV411": 1}
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert [(r["code"], r["problem"], r["problem_main"]) for r in rows][2] == (
        "TX301", "2", "OV411")
    results = json.loads(render(report, "sarif"))["runs"][0]["results"]
    assert len(results) == 5 and results[4]["properties"] | {"value": None} == {
        "category": "logo", "value": None, "threshold": None, "problem": 2, "main": False,
        "box": [300, 300, 330, 330]}
    github = render(report, "github").splitlines()
    assert len(github) == 3 and "(also LG305, TX301, TX302)" in github[1]


def test_junit_and_html_list_problems() -> None:
    import xml.etree.ElementTree as ET

    report = _report()
    failure = ET.fromstring(render(report, "junit")).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "2 problem(s): BG101, OV411"
    assert len((failure.text or "").splitlines()) == 2
    page = render(report, "html")
    assert page.count('<li class="sev-') == 2 and "(also LG305, TX301, TX302)" in page
    assert 'data-codes="BG101 LG305 OV411 TX301 TX302"' in page  # the rule filter sees all


def test_linked_groups_join_through_each_other_and_skip_pairs_already_joined() -> None:
    tested: list[tuple[int, int]] = []

    def linked(a: int, b: int) -> bool:
        tested.append((a, b))
        return a == 0 and b in (1, 2)

    assert linked_groups(4, combinations(range(4), 2), linked) == [[0, 1, 2], [3]]
    assert (1, 2) not in tested  # one group through 0 already
    assert linked_groups(3, [], linked) == [[0], [1], [2]]
