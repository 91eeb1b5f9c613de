"""``imagecheck models`` lists the bundled OCR models with their checksums; a backend
that cannot load is an error; models/README.md names every model in use."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.analysis import ocr as ocr_mod
from imagecheck.cli import main


def test_models_lists_the_bundled_rapidocr_models() -> None:
    result = CliRunner().invoke(main, ["models", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["name"] for r in rows] == ["PP-OCRv6_det_small", "PP-OCRv6_rec_small",
                                         "graphic-vs-photo"]
    for row in rows[:2]:
        assert Path(row["path"]).is_file() and len(row["sha256"]) == 64
        assert row["version"] == "rapidocr 3.10.0" and row["licence"] == "Apache-2.0"
    own = rows[2]
    assert own["backend"] == "imagecheck" and Path(own["path"]).is_file()
    assert own["sha256"] == hashlib.sha256(Path(own["path"]).read_bytes()).hexdigest()
    assert own["licence"].startswith("MIT")


def test_models_readme_names_every_model_and_checksum() -> None:
    readme = (Path(__file__).resolve().parents[1] / "models" / "README.md").read_text("utf-8")
    rows = json.loads(CliRunner().invoke(main, ["models", "--json"]).output)
    for row in rows:
        assert row["name"] in readme and row["sha256"] in readme


def test_models_with_ocr_off() -> None:
    result = CliRunner().invoke(main, ["models", "--ocr", "none"], catch_exceptions=False)
    assert result.exit_code == 0 and "text is not checked" in result.output


def test_models_backend_that_cannot_load_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "easyocr", None)
    monkeypatch.delitem(ocr_mod._BACKENDS, "easyocr", raising=False)
    monkeypatch.delitem(ocr_mod._FAILED, "easyocr", raising=False)
    result = CliRunner().invoke(main, ["models", "--ocr", "easyocr"])
    assert result.exit_code == 2 and "easyocr is not installed" in result.output
