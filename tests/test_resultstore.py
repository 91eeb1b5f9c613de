"""Audits streamed to a results store (issue 17): one row per image and per finding, the
summary computed from the store equal to the in-memory report's, Ctrl-C still completing
the store, and the CLI's summary reports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.api import AuditOptions, audit, audit_to_store
from imagecheck.config import Settings, build_settings
from imagecheck.listing import ImageJob
from imagecheck.report.json_format import finding_dict
from imagecheck.report.model import ImageResult
from imagecheck.resultstore import RUN_NAME, rows, summarise
from imagecheck.runner import LocalExecutor
from imagecheck_dev import synth


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    for i in range(8):
        listing = root / f"shop{i % 3}" / f"sku{i}"
        synth.save(synth.shot("bottle", (300, 300), at=(0.25 + 0.05 * i, 0.5)),
                   listing / "main.jpg")
        if i % 2:
            synth.save(synth.frame(synth.shot("mug", (300, 300)), 10, (200, 0, 0)),
                       listing / "carousel1.jpg")
    (root / "shop1" / "sku4" / "broken.jpg").write_bytes(b"not an image")
    return root


def test_the_store_holds_every_image_and_finding_and_gives_the_reports_summary(
        catalogue: Path, tmp_path: Path) -> None:
    settings = build_settings(ocr="none")
    report = audit([catalogue], settings, AuditOptions(jobs=1, use_cache=False))
    summary = audit_to_store([catalogue], tmp_path / "store", settings,
                             AuditOptions(jobs=1, use_cache=False), worst=3)
    images = list(rows(tmp_path / "store", "images"))
    findings = list(rows(tmp_path / "store", "findings"))
    assert [r["path"] for r in images] == [r.path for r in report.images]
    assert [(f["path"], f["code"]) for f in findings] == [
        (r.path, f.code) for r in report.images for f in r.findings]
    expected = report.summary()
    for key in ("images", "pass", "fail", "error", "findings", "by_severity", "by_code"):
        assert summary.counts[key] == expected[key], key
    assert list(summary.worst) == expected["by_listing"][:3]
    worst = {row["listing"] for row in summary.worst}
    assert _plain(summary.images) == _plain(r for r in report.images if r.listing in worst)
    assert summarise(tmp_path / "store", worst=3) == summary


def _plain(results: Iterable[ImageResult]) -> str:
    """Results as JSON (the store, like the JSON report, keeps tuples as lists)."""
    return json.dumps([(r.path, r.listing, r.role, r.role_source, r.width, r.height,
                        [finding_dict(f) for f in r.findings]) for r in results])


class _StopsAfter:
    """A local executor whose user presses Ctrl-C after ``n`` results."""

    def __init__(self, n: int) -> None:
        self.n = n

    def map(self, jobs: Sequence[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        for i, result in enumerate(LocalExecutor(1).map(jobs, settings)):
            if i == self.n:
                raise KeyboardInterrupt
            yield result


def test_ctrl_c_completes_the_store_with_the_images_not_reached(catalogue: Path,
                                                                 tmp_path: Path) -> None:
    summary = audit_to_store([catalogue], tmp_path / "store", build_settings(ocr="none"),
                             AuditOptions(use_cache=False, executor=_StopsAfter(5)))
    assert summary.interrupted
    images = list(rows(tmp_path / "store", "images"))
    assert len(images) == summary.counts["images"] == 13
    assert [r["codes"] for r in images[5:]] == [["IN006"]] * 8
    assert json.loads((tmp_path / "store" / RUN_NAME).read_text())["interrupted"] is True


def test_cli_store_reports(catalogue: Path, tmp_path: Path) -> None:
    from imagecheck.cli import main

    def run(*args: str) -> str:
        out = CliRunner().invoke(main, ["audit", str(catalogue), "--ocr", "none", "--jobs",
                                        "1", "--no-cache", "--quiet", "--store",
                                        str(tmp_path / "store"), *args],
                                 catch_exceptions=False)
        assert out.exit_code == 2, out.output  # the broken file
        return out.stdout

    text = run()
    assert text.startswith("13 image(s) in 8 listing(s):")
    assert "Problems by main rule:" in text and "IN001" in text
    data = json.loads(run("-f", "json"))
    assert data["summary"]["images"] == 13
    assert data["worst_listings"][0]["listing"].endswith("sku4")  # the unreadable file
    page = run("-f", "html")
    assert page.count('class="card"') == sum(len(w["images"]) for w in data["worst_listings"])
    assert "data:image/" in page
    refused = CliRunner().invoke(main, ["audit", str(catalogue), "--store",
                                        str(tmp_path / "s"), "-f", "csv"])
    assert refused.exit_code == 2 and "with --store the report is" in refused.output


def test_store_reports_follow_the_language(catalogue: Path, tmp_path: Path) -> None:
    from imagecheck.cli import main
    from imagecheck.report import store_format

    out = CliRunner().invoke(main, ["audit", str(catalogue), "--ocr", "none", "--jobs", "1",
                                    "--no-cache", "--quiet", "--store", str(tmp_path / "store"),
                                    "--lang", "zh"], catch_exceptions=False)
    assert out.exit_code == 2, out.output
    assert out.stdout.startswith("13 张图片,8 个商品:") and "IN001" in out.stdout
    assert "Problems by main rule" not in out.stdout and "备注:" in out.stdout
    summary = summarise(tmp_path / "store")
    en, zh = (json.loads(store_format.render(summary, "json", lang)) for lang in ("en", "zh"))
    assert (en["lang"], zh["lang"]) == ("en", "zh") and en["summary"] == zh["summary"]
    codes = [[[f["code"] for i in w["images"] for f in i["findings"]]
              for w in data["worst_listings"]] for data in (en, zh)]
    assert codes[0] == codes[1] and any(codes[0])
    messages = [f["message"] for w in zh["worst_listings"] for i in w["images"]
                for f in i["findings"]]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in messages)
    page = store_format.render(summary, "html", "zh")
    assert '<html lang="zh-CN">' in page and "问题最多的" in page and "Worst" not in page
