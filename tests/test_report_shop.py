"""The shop in every report format: its verdict, its findings, its met conditions."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck import ShopInputs, shop_report
from imagecheck.cli import main
from imagecheck.config import build_settings
from imagecheck.report import render, sarif_format
from imagecheck.report.model import Report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "shop"
NOW = datetime(2026, 11, 21, 12, 0)


@pytest.fixture(scope="module")
def failing() -> Report:
    """The example shop with its chat log: a failing reply-rate day (PDD201)."""
    shop = ShopInputs(EXAMPLES / "profile.toml", chats=EXAMPLES / "chats.csv", now=NOW)
    return shop_report(shop, build_settings(ocr="none"))


def test_the_verdict_is_decided_once(failing: Report) -> None:
    assert failing.shop is not None and failing.shop_verdict == "fail"
    assert failing.summary()["shop"] == {"verdict": "fail", "problems": 4, "findings": 13,
                                         "met": 14}
    assert failing.summary()["shop_failed"]


def test_text_shows_met_conditions_alike_for_every_platform(failing: Report) -> None:
    lines = render(failing, "text").splitlines()
    assert lines[0] == "FAIL  shop 示例服饰店  [kuaishou+pdd]"
    (met,) = [line for line in lines if line.startswith("    met ")]
    assert "KS101" in met and "PDD202" in met and "PDD401" in met and "PDD201" not in met
    assert not any(" met: " in line for line in lines)  # Kuaishou's "met" findings folded
    assert lines[-1] == ("shop fail: 4 problem(s), 14 condition(s) met;"
                         " platform kuaishou+pdd, fail-on warning")


def test_machine_formats_carry_the_shop_verdict(failing: Report) -> None:
    data = json.loads(render(failing, "json"))
    assert data["shop"]["verdict"] == "fail" and data["summary"]["shop"]["verdict"] == "fail"
    assert "PDD202" in data["shop"]["summary"]["met"]
    rows = list(csv.DictReader(io.StringIO(render(failing, "csv"))))
    assert {(r["path"], r["verdict"]) for r in rows} == {("<shop>", "fail")}
    root = ET.fromstring(render(failing, "junit"))
    assert root.get("failures") == "1" and root.get("tests") == "1"
    case = root.find("testsuite/testcase")
    assert case is not None and case.find("failure") is not None
    assert "met: KS101" in (case.findtext("system-out") or "")
    run = json.loads(render(failing, "sarif"))["runs"][0]
    assert run["properties"]["shop_verdict"] == "fail"
    assert render(failing, "github").splitlines()[-1].startswith("imagecheck: shop fail: ")


def test_html_of_a_failing_shop_says_it_fails(failing: Report) -> None:
    page = render(failing, "html")
    assert "<h1>imagecheck report: shop fail</h1>" in page
    assert "0 fail, 0 error, 0 pass" not in page and "0 image(s)" not in page
    assert '<section id="shop" class="card" data-verdict="fail">' in page
    assert "<p>Met: KS101" in page


def test_a_clean_shop_still_has_its_row_and_verdict() -> None:
    clean = shop_report(ShopInputs(EXAMPLES / "profile.toml", now=NOW), build_settings())
    rows = list(csv.DictReader(io.StringIO(render(clean, "csv"))))
    assert rows and {r["verdict"] for r in rows} == {"pass"}
    assert json.loads(render(clean, "json"))["summary"]["shop"]["verdict"] == "pass"


def test_scan_with_a_shop_counts_the_shop(tmp_path: Path) -> None:
    from imagecheck_dev import synth

    synth.save(synth.shot("mug", (600, 600)), tmp_path / "main.jpg")
    result = CliRunner().invoke(main, [
        "scan", str(tmp_path), "--ocr", "none", "--shop", str(EXAMPLES / "profile.toml"),
        "--chats", str(EXAMPLES / "chats.csv"), "-f", "html"], catch_exceptions=False)
    assert result.exit_code == 1  # the shop fails, the image passes
    assert "<h1>imagecheck report: 0 fail, 0 error, 1 pass; shop fail</h1>" in result.output


def test_sarif_information_uri_comes_from_the_package_metadata(
        failing: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    class Meta:
        def __init__(self, urls: list[str]) -> None:
            self.urls = urls

        def get_all(self, key: str) -> list[str] | None:
            return self.urls if key == "Project-URL" and self.urls else None

    def driver() -> dict[str, object]:
        return json.loads(render(failing, "sarif"))["runs"][0]["tool"]["driver"]  # type: ignore[no-any-return]

    monkeypatch.setattr(sarif_format.metadata, "metadata", lambda name: Meta([]))
    assert "informationUri" not in driver()  # none known: none invented
    monkeypatch.setattr(sarif_format.metadata, "metadata", lambda name: Meta(
        ["Documentation, https://docs.example.org", "Repository, https://git.example.org/ic"]))
    assert driver()["informationUri"] == "https://git.example.org/ic"


def test_hide_info_hides_the_shops_info_too(tmp_path: Path) -> None:
    from imagecheck_dev import synth

    synth.save(synth.shot("mug", (600, 600)), tmp_path / "main.jpg")
    result = CliRunner().invoke(main, [
        "scan", str(tmp_path), "--ocr", "none", "--hide-info",
        "--shop", str(EXAMPLES / "profile.toml")], catch_exceptions=False)
    assert result.exit_code == 0
    assert "KS100" not in result.output and "    met     KS101" in result.output
