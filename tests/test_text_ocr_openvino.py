"""OCR on OpenVINO (``--ocr rapidocr-openvino``): the same pipeline and models as
onnxruntime's, the precision in effect reported, a cache that cannot fail a check, and a
loud error where openvino is not installed."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont

from imagecheck.analysis import ocr as ocr_mod
from imagecheck.analysis.ocr import (
    OcrUnavailable,
    OpenVinoOcrBackend,
    check_backend,
    get_backend,
    openvino_cache,
)
from imagecheck.cli import main

needs_openvino = pytest.mark.skipif(importlib.util.find_spec("openvino") is None,
                                    reason="openvino is not installed (imagecheck[openvino])")


def _render() -> np.ndarray:
    noto = pytest.importorskip("noto_cjk_sans_otc")
    img = Image.new("RGB", (800, 600), "white")
    draw = ImageDraw.Draw(img)
    for text, xy, px in (("限时秒杀 包邮", (60, 80), 48), ("FREE SHIPPING", (300, 450), 40)):
        draw.text(xy, text, fill=(20, 20, 20), font=ImageFont.truetype(str(noto.FONT_PATH), px))
    return np.asarray(img)


def test_missing_openvino_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openvino", None)  # find_spec then finds nothing
    monkeypatch.setattr(ocr_mod, "_BACKENDS", {})  # the failure is remembered in these
    monkeypatch.setattr(ocr_mod, "_FAILED", {})
    with pytest.raises(OcrUnavailable, match=r"install imagecheck\[openvino\]"):
        check_backend("rapidocr-openvino")
    with pytest.raises(OcrUnavailable, match=r"install imagecheck\[openvino\]"):
        get_backend("rapidocr-openvino")


def test_onnxruntime_models_say_they_run_in_float32() -> None:
    backend = get_backend("rapidocr")
    assert backend is not None
    assert [m.runtime.split()[::2] for m in backend.models()] == [["onnxruntime", "f32"]] * 2


@needs_openvino
def test_openvino_reads_what_onnxruntime_reads_and_says_what_runs_each_model() -> None:
    import openvino as ov

    rgb = _render()
    backend = get_backend("rapidocr-openvino")
    assert isinstance(backend, OpenVinoOcrBackend)
    native = "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    for model, task in zip(backend.models(), ("det", "rec"), strict=True):
        on_openvino = OpenVinoOcrBackend.PRECISION[task] == "bf16" and native
        runtime = ["openvino", "bf16"] if on_openvino else ["onnxruntime", "f32"]
        assert model.runtime.split()[::2] == runtime
    reference = get_backend("rapidocr")
    assert reference is not None
    ours, theirs = backend.read(rgb), reference.read(rgb)
    assert [b.text for b in ours] == [b.text for b in theirs]
    for a, b in zip(ours, theirs, strict=True):
        assert np.abs(np.subtract(a.box, b.box)).max() <= 2


@needs_openvino
def test_models_are_cached_in_the_user_cache_and_an_unwritable_cache_is_no_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    assert openvino_cache() == tmp_path / "cache" / "openvino"
    OpenVinoOcrBackend()
    assert any((tmp_path / "cache" / "openvino").iterdir())
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("IMAGECHECK_CACHE_DIR", str(blocked))
    assert openvino_cache() is None
    assert OpenVinoOcrBackend().read(np.full((200, 300, 3), 255, np.uint8)) == []


@needs_openvino
def test_scan_with_two_workers_loads_openvino_only_in_the_workers(tmp_path: Path) -> None:
    rgb = _render()
    for name in ("a.png", "b.png"):
        Image.fromarray(rgb).save(tmp_path / name)
    code = (
        "import sys\n"
        "from imagecheck.cli import main\n"
        "from imagecheck.analysis import ocr\n"
        "try:\n"
        "    main([*sys.argv[1:]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('loaded in parent:', sorted(ocr._BACKENDS), 'openvino' in sys.modules)\n"
    )
    env = {**os.environ, "IMAGECHECK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code, "scan", str(tmp_path), "--jobs", "2",
         "--ocr", "rapidocr-openvino", "-f", "json", "--exit-zero"],
        capture_output=True, text=True, timeout=300, env=env, check=True)
    assert '"TX3' in done.stdout  # the text was read in the workers
    assert done.stdout.strip().endswith("loaded in parent: [] False")


@needs_openvino
def test_models_command_lists_the_runtime() -> None:
    result = CliRunner().invoke(main, ["models", "--ocr", "rapidocr-openvino", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    backend = get_backend("rapidocr-openvino")
    assert backend is not None
    rows = [r for r in json.loads(result.output) if r["backend"] == "rapidocr-openvino"]
    assert [r["runtime"] for r in rows] == [m.runtime for m in backend.models()]
    assert all(r["runtime"].split()[0] in ("openvino", "onnxruntime") for r in rows)

