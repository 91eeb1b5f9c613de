"""``imagecheck scan`` end to end with CliRunner: exit codes, formats, reports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.cli import main
from imagecheck.findings import CATEGORIES
from imagecheck_dev import synth


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("listing")
    synth.save(synth.shot("bottle", (800, 800)), root / "main" / "1.jpg")
    synth.save(synth.shot("box", (800, 800), background=200), root / "main" / "2.jpg")
    synth.save(synth.frame(synth.shot("mug", (800, 800)), 12, (220, 30, 40)),
               root / "carousel" / "3.jpg")
    return root


def _scan(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scan", "--ocr", "none", "--jobs", "1", *args],
                                catch_exceptions=False)
    return result.exit_code, result.output


def test_clean_image_exits_zero(listing: Path) -> None:
    code, out = _scan(str(listing / "main" / "1.jpg"))
    assert code == 0, out
    assert out.startswith("PASS")


def test_findings_exit_one_with_reasons(listing: Path) -> None:
    code, out = _scan(str(listing))
    assert code == 1
    assert "FAIL" in out and "BG101" in out and "OV401" in out
    assert "3 image(s): 1 pass, 2 fail, 0 error" in out


def test_exit_zero_and_fail_on(listing: Path) -> None:
    assert _scan(str(listing), "--exit-zero")[0] == 0
    grey = str(listing / "main" / "2.jpg")
    assert _scan(grey, "--fail-on", "error")[0] == 1
    assert _scan(grey, "--ignore", "BG")[0] == 0


def test_json_report_schema(listing: Path) -> None:
    code, out = _scan(str(listing), "--format", "json")
    data = json.loads(out)
    assert data["schema_version"] and data["platform"] == "pdd"
    assert [Path(i["path"]).name for i in data["images"]] == ["1.jpg", "2.jpg", "3.jpg"]
    for image in data["images"]:
        assert set(image) >= {"path", "role", "verdict", "findings"}
        assert image["verdict"] in {"pass", "fail", "error"}
        for f in image["findings"]:
            assert set(f) >= {"code", "category", "severity", "message", "value", "threshold",
                              "box"}
            assert f["category"] in CATEGORIES
    assert data["summary"]["images"] == 3 and data["summary"]["fail"] == 2
    assert data["notes"] == ["text was not checked (OCR disabled with --ocr none)"]


def test_csv_has_a_row_per_finding_and_per_clean_image(listing: Path) -> None:
    code, out = _scan(str(listing), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {Path(r["path"]).name for r in rows} == {"1.jpg", "2.jpg", "3.jpg"}
    clean = [r for r in rows if r["path"].endswith("1.jpg")]
    assert len(clean) == 1 and clean[0]["verdict"] == "pass" and clean[0]["code"] == ""


def test_output_file_is_written(listing: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    code, out = _scan(str(listing), "-f", "json", "-o", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["images"] == 3
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_unreadable_files_are_reported_and_exit_two(odd_files: dict[str, Path]) -> None:
    names = ["empty", "truncated_jpeg", "text_as_png", "bomb", "chinese_name", "rgba_png",
             "animated_gif", "exif_rotated"]
    code, out = _scan(*(str(odd_files[n]) for n in names), "-f", "json")
    assert code == 2
    images = {Path(i["path"]).name: i for i in json.loads(out)["images"]}
    assert len(images) == len(names)
    for name in ("empty.jpg", "truncated.jpg", "notes.png", "bomb.png"):
        assert images[name]["verdict"] == "error"
        assert images[name]["findings"][0]["code"] == "IN001"
    assert images["主图 白底.jpg"]["verdict"] != "error"
    assert "IN002" in {f["code"] for f in images["transparent.png"]["findings"]}
    assert "IN003" in {f["code"] for f in images["animated.gif"]["findings"]}
    assert "IN004" in {f["code"] for f in images["rotated.jpg"]["findings"]}


def test_usage_errors_exit_two(listing: Path, tmp_path: Path) -> None:
    assert _scan(str(tmp_path / "missing"))[0] == 2
    assert _scan(str(listing), "--platform", "nowhere")[0] == 2
    assert _scan(str(listing), "--select", "QQ")[0] == 2
    bad = tmp_path / "imagecheck.toml"
    bad.write_text("[params.BG101]\nmin_white_share = 2\n")
    code, out = _scan(str(listing), "--config", str(bad))
    assert code == 2 and "allowed 0.0 to 1.0" in out


def test_parallel_scan_matches_serial(listing: Path) -> None:
    serial = json.loads(_scan(str(listing), "-f", "json")[1])
    result = CliRunner().invoke(main, ["scan", "--ocr", "none", "--jobs", "2", "-f", "json",
                                       str(listing)], catch_exceptions=False)
    assert json.loads(result.output)["images"] == serial["images"]


def test_every_command_has_help_with_an_example() -> None:
    for name, command in main.commands.items():
        assert command.help and "imagecheck" in command.help, name


def test_scan_with_shop_gives_one_combined_report(listing: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "shop"
    code, out = _scan(str(listing / "main" / "1.jpg"), "--shop", str(examples / "profile.toml"),
                      "--chats", str(examples / "chats.csv"), "-f", "json")
    data = json.loads(out)
    assert len(data["images"]) == 1
    assert data["shop"]["findings"] and data["shop"]["summary"]["shop"]
    assert all(f["category"] == "shop" for f in data["shop"]["findings"])
    assert code == (1 if data["summary"]["shop_failed"] else 0)


def test_shop_inputs_need_shop(listing: Path) -> None:
    code, out = _scan(str(listing), "--chats", "x.csv")
    assert code == 2 and "--shop" in out


def test_shop_thresholds_come_from_config(listing: Path, tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "shop"
    config = tmp_path / "imagecheck.toml"
    config.write_text("[params.KS103]\nmin_stars = 9\n")
    code, out = _scan(str(listing / "main" / "1.jpg"), "--shop", str(examples / "profile.toml"),
                      "--config", str(config))
    assert code == 2 and "KS103" in out


def test_unloadable_ocr_or_logo_stops_before_the_first_image(listing: Path,
                                                             tmp_path: Path) -> None:
    import importlib.util

    not_logo = tmp_path / "logo.png"
    not_logo.write_text("not an image")
    result = CliRunner().invoke(main, ["scan", "--logo", str(not_logo), str(listing)])
    assert result.exit_code == 2 and "logo" in result.output.lower()
    if importlib.util.find_spec("easyocr") is None:
        result = CliRunner().invoke(main, ["scan", "--ocr", "easyocr", str(listing)])
        assert result.exit_code == 2 and "easyocr" in result.output.lower()


def test_logo_and_brand_options_find_the_mark(tmp_path: Path, cjk_font: object) -> None:
    logo = synth.logo_mark(synth.solid((200, 200)), "top-left", name="LUMA")
    synth.save(logo[10:110, 10:190], tmp_path / "logo.png")
    image = synth.logo_mark(synth.shot("bottle", (800, 800)), "top-right", name="LUMA")
    synth.save(image, tmp_path / "listing" / "main.jpg")
    result = CliRunner().invoke(main, ["scan", "--logo", str(tmp_path / "logo.png"),
                                       "--brand", "LUMA", "-f", "json",
                                       str(tmp_path / "listing")], catch_exceptions=False)
    codes = {f["code"] for f in json.loads(result.output)["images"][0]["findings"]}
    assert {"LG303", "LG306"} <= codes, codes
    assert "FR201" not in codes  # the mark is not part of the product
