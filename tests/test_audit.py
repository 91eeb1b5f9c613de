"""``imagecheck audit`` and ``imagecheck annotate``: catalogues, summaries, CI formats,
Ctrl-C, and originals left untouched."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.exitcodes import USAGE_OR_INPUT
from imagecheck_dev import synth


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Listings nested at different depths: one clean, one failing, one unreadable."""
    root = tmp_path_factory.mktemp("catalogue")
    synth.save(synth.shot("bottle", (500, 500)), root / "clean" / "main.jpg")
    synth.save(synth.shot("mug", (500, 500)), root / "clean" / "carousel1.jpg")
    bad = root / "shoes" / "sku-7"
    synth.save(synth.shot("box", (500, 500), at=(0.25, 0.3), fill=0.4), bad / "main.jpg")
    framed = synth.frame(synth.shot("mug", (500, 500)), width=15, color=(200, 0, 0))
    synth.save(framed, bad / "carousel" / "1.jpg")
    (root / "misc" / "deep" / "x").mkdir(parents=True)
    (root / "misc" / "deep" / "x" / "broken.jpg").write_bytes(b"not an image")
    return root


def _audit(catalogue: Path, tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["audit", str(catalogue), "--ocr", "none", "--cache-dir", str(tmp_path / "c"),
               *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_json_summary_lists_worst_listings_first(catalogue: Path, tmp_path: Path) -> None:
    code, out = _audit(catalogue, tmp_path, "-f", "json")
    assert code == USAGE_OR_INPUT  # an unreadable file
    data = json.loads(out)
    rows = data["summary"]["by_listing"]
    assert [Path(r["listing"]).relative_to(catalogue).as_posix() for r in rows] == [
        "misc/deep/x", "shoes/sku-7", "clean"]
    assert rows[1] | {"listing": ""} == {"listing": "", "images": 2, "pass": 0, "fail": 2,
                                         "error": 0, "problems": rows[1]["problems"],
                                         "findings": rows[1]["findings"],
                                         "failing_findings": rows[1]["failing_findings"]}
    assert {"FR201", "OV401", "IN001"} <= set(data["summary"]["by_code"])
    roles = {Path(i["path"]).name: i["role"] for i in data["images"]}
    assert roles["1.jpg"] == "carousel"


def test_text_output_has_rule_counts_and_worst_listings_without_progress(
    catalogue: Path, tmp_path: Path
) -> None:
    _, out = _audit(catalogue, tmp_path)
    assert "Problems by main rule:" in out
    worst = out.split("Worst listings (2 of 3 need work):\n")[1].splitlines()
    assert worst[0].endswith("misc/deep/x") and worst[1].endswith("sku-7")
    assert "Checking" not in out  # no progress bar when not on a terminal


def test_sarif_and_junit_describe_every_finding(catalogue: Path, tmp_path: Path) -> None:
    _, out = _audit(catalogue, tmp_path, "-f", "sarif")
    sarif = json.loads(out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert any(r["ruleId"] == "FR201" and "box" in r["properties"] for r in run["results"])
    _, out = _audit(catalogue, tmp_path, "-f", "junit")
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "2", "1")
    failure = root.find(".//testcase[@name='" + str(catalogue / "shoes/sku-7/main.jpg") + "']")
    assert failure is not None and "FR201" in failure.find("failure").get("message")


def test_ctrl_c_writes_the_report_and_lists_the_rest(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imagecheck import runner

    real = runner.check_job
    calls = []

    def interrupted_after_two(job, settings):  # type: ignore[no-untyped-def]
        calls.append(job)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return real(job, settings)

    monkeypatch.setattr(runner, "check_job", interrupted_after_two)
    out_file = tmp_path / "report.json"
    code, _ = _audit(catalogue, tmp_path, "--no-cache", "-j", "1", "-f", "json", "-o",
                     str(out_file))
    data = json.loads(out_file.read_text())
    assert code == USAGE_OR_INPUT and data["interrupted"] is True
    assert len(data["images"]) == 5
    not_checked = [i for i in data["images"] if i["findings"][:1]
                   and i["findings"][0]["code"] == "IN006"]
    assert len(not_checked) == 3


def test_annotate_writes_copies_and_leaves_originals(catalogue: Path, tmp_path: Path) -> None:
    def digests() -> dict[Path, str]:
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in catalogue.rglob("*.jpg")}

    before = digests()
    out = tmp_path / "annotated"
    result = CliRunner().invoke(main, ["annotate", str(catalogue), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 2  # as scan exits: the catalogue has an unreadable file
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png"))
    assert written == ["shoes/sku-7/carousel/1.jpg.annotated.png",
                       "shoes/sku-7/main.jpg.annotated.png"]
    assert digests() == before


def test_drawn_findings_land_where_their_boxes_are() -> None:
    import numpy as np

    from imagecheck.annotate import COLOURS, draw_findings
    from imagecheck.findings import Finding, Severity

    white = np.full((200, 400, 3), 255, np.uint8)
    box = Finding("FR201", "centring", Severity.ERROR, "off centre", 0.3, 0.08,
                  (20, 40, 120, 160), details={"offset_x": -0.3, "offset_y": 0.0})
    band = Finding("OV401", "border", Severity.WARNING, "bands", 2, 3, (0, 0, 400, 200),
                   details={"bands": [["top", 0, 10], ["bottom", 0, 10]]})
    img = np.asarray(draw_findings(white, [box, band], scale=0.5)).astype(int)
    assert img.shape == (200, 400, 3)
    error = np.array(COLOURS[Severity.ERROR])
    # the scaled box's left edge (x 10): black, then the colour dashed on white, then black
    edge = img[30:70, 10:15]
    assert (edge[:, 0] == 0).all()
    assert (edge[:, 1:3] == error).all(axis=2).any() and (edge[:, 1:3] == 255).all(axis=2).any()
    assert (edge[:, 3] == 0).all()
    assert tuple(img[70, 35]) == (255, 255, 255)  # inside the box: untouched
    assert tuple(img[100, 200]) == COLOURS[Severity.ERROR]  # the image-centre cross
    top = img[1:4, 150:250].reshape(-1, 3)  # the top band: hatched orange and white
    assert (top[:, 0] > top[:, 2] + 100).mean() > 0.3 and (top.min(axis=1) > 200).mean() > 0.3
    assert tuple(img[50, 390]) == (255, 255, 255)


def test_labels_stay_inside_the_image_and_apart() -> None:
    import numpy as np

    from imagecheck.annotate import draw_findings
    from imagecheck.findings import Finding, Severity

    white = np.full((300, 300, 3), 255, np.uint8)
    boxes = [(0, 0, 80, 80), (10, 10, 50, 40), (12, 40, 48, 70), (250, 0, 300, 30),
             (120, 280, 200, 300)]
    findings = [Finding(f"TX30{i}", "text", Severity.ERROR, "t", box=b)
                for i, b in enumerate(boxes)]
    findings.append(Finding("BG101", "background", Severity.ERROR, "grey", box=None))
    labels: list[tuple[int, int, int, int]] = []

    import imagecheck.annotate as annotate

    real = annotate._Placer.place

    def spy(self: annotate._Placer, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        labels.append(self.placed[-1])

    annotate._Placer.place = spy  # type: ignore[method-assign]
    try:
        img = draw_findings(white, findings)
    finally:
        annotate._Placer.place = real  # type: ignore[method-assign]
    assert img.size == (300, 300) and len(labels) == 6
    for i, (x0, y0, x1, y1) in enumerate(labels):
        assert 0 <= x0 < x1 <= 300 and 0 <= y0 < y1 <= 300
        for other in labels[i + 1:]:
            assert annotate._overlap(labels[i], other) == 0
    with_legend = draw_findings(white, findings, legend=True)
    assert with_legend.width == 300 and with_legend.height > 300 + 6 * 12


def test_audit_annotate_option_writes_copies(catalogue: Path, tmp_path: Path) -> None:
    _audit(catalogue, tmp_path, "--annotate", str(tmp_path / "drawn"), "-f", "json")
    assert len(list((tmp_path / "drawn").rglob("*.annotated.png"))) == 2


def test_output_to_a_pipe_writes_into_it_and_keeps_it(catalogue: Path, tmp_path: Path) -> None:
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    _audit(catalogue, tmp_path, "-f", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["summary"]["images"] == 5


def test_thumbnails_of_odd_files_are_upright_or_absent(odd_files: dict[str, Path]) -> None:
    from imagecheck.annotate import annotated
    from imagecheck.check import check_image

    for name, path in odd_files.items():
        result = check_image(path)
        thumb = annotated(result, 100)
        if result.unreadable:
            assert thumb is None, name
            continue
        assert thumb is not None and max(thumb.size) <= 100, name
        assert result.width is not None and result.height is not None
        expected = result.width / result.height
        assert abs(thumb.width / thumb.height - expected) < 0.1 * expected, name


def test_large_html_audit_writes_its_thumbnails_beside_the_page(
        catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from imagecheck.report import html_format

    monkeypatch.setattr(html_format, "SELF_CONTAINED_LIMIT", 2)
    out = tmp_path / "audit.html"
    code, _ = _audit(catalogue, tmp_path, "-f", "html", "-o", str(out), "--jobs", "1")
    assert code == 2  # the unreadable file
    thumbs = sorted((tmp_path / "audit_thumbnails").iterdir())
    assert len(thumbs) == 4  # every readable image; the broken one says it could not be read
    html = out.read_text(encoding="utf-8")
    assert all(t.name in html for t in thumbs) and "image could not be read" in html
