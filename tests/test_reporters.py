"""Each reporter on one small hand-built report: what every format says about a failing,
a passing and an unreadable image (no image is decoded: the files do not exist)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from imagecheck.findings import Finding, Severity
from imagecheck.report import FORMATS, REPORTERS, render
from imagecheck.report.model import ImageResult, Report

GREY = Finding("BG101", "background", Severity.ERROR, "grey background", 0.4, 0.9, (0, 0, 10, 10))
CLEAR = Finding("IN002", "input", Severity.INFO, "transparent", 0.1)
UNREAD = Finding("IN001", "input", Severity.ERROR, "cannot read image: empty file (0 bytes)")
#: A file name whose last byte is not UTF-8 (0xFF, kept as a surrogate escape).
ODD = "l/b\udcff.jpg"
REPORT = Report(
    images=(
        ImageResult("l/a.jpg", "l", "main", "folder", 10, 10, (GREY, CLEAR)),
        ImageResult(ODD, "l", "carousel", "folder", 10, 10, ()),
        ImageResult("m/c.jpg", "m", "main", "order", None, None, (UNREAD,)),
    ),
    platform="pdd",
    fail_on=Severity.WARNING,
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_a_reporter_that_names_every_image(fmt: str) -> None:
    out = render(REPORT, fmt)
    assert REPORTERS[fmt].reporter is not None and out.endswith("\n")
    assert "l/a.jpg" in out and "m/c.jpg" in out


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'; choose from text, json"):
        render(REPORT, "pdf")


def test_text() -> None:
    lines = render(REPORT, "text").splitlines()
    assert lines[0] == "FAIL  l/a.jpg  [main, 10x10]"
    assert lines[1].split() == ["error", "BG101", "background", "grey", "background"]
    assert "ERROR  m/c.jpg  [main, -]" in lines
    assert lines[-1].startswith("3 image(s): 1 pass, 1 fail, 1 error")


def test_json() -> None:
    data = json.loads(render(REPORT, "json"))
    assert [i["verdict"] for i in data["images"]] == ["fail", "pass", "error"]
    grey = data["images"][0]["findings"][0]
    assert (grey["code"], grey["value"], grey["threshold"], grey["box"]) == (
        "BG101", 0.4, 0.9, [0, 0, 10, 10])
    assert data["images"][1]["path"] == ODD  # the \udcff escape reads back as the surrogate


def test_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(render(REPORT, "csv"))))
    assert [(r["path"], r["code"]) for r in rows] == [
        ("l/a.jpg", "BG101"), ("l/a.jpg", "IN002"), (ODD, ""), ("m/c.jpg", "IN001")]
    assert rows[0]["box"] == "0 0 10 10" and rows[0]["verdict"] == "fail"


def test_html() -> None:
    page = render(REPORT, "html")
    assert page.startswith("<!DOCTYPE html>") and page.count('class="card"') == 3
    assert 'data-verdict="fail"' in page and 'data-verdict="error"' in page
    assert "l/b\\xff.jpg" in page


def test_sarif() -> None:
    run = json.loads(render(REPORT, "sarif"))["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["BG101", "IN001", "IN002"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("BG101", "error"), ("IN002", "note"), ("IN001", "error")]
    grey = results[0]
    assert grey["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "l/a.jpg"
    assert grey["properties"]["box"] == [0, 0, 10, 10]
    assert grey["properties"]["value"] == 0.4 and grey["properties"]["threshold"] == 0.9


def test_junit() -> None:
    root = ET.fromstring(render(REPORT, "junit"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert sorted(suites) == ["l", "m"]
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert sorted(cases) == ["l/a.jpg", "l/b\\xff.jpg", "m/c.jpg"]
    failure = cases["l/a.jpg"].find("failure")
    assert failure is not None and failure.get("type") == "BG101"
    error = cases["m/c.jpg"].find("error")
    assert error is not None and error.get("type") == "IN001"
    assert list(cases["l/b\\xff.jpg"]) == []


def test_github() -> None:
    lines = render(REPORT, "github").splitlines()
    assert lines[0].startswith("::error file=l/a.jpg,title=BG101::grey background")
    assert lines[1].startswith("::notice file=l/a.jpg,title=IN002::")
    assert lines[2].startswith("::error file=m/c.jpg,title=IN001::")
