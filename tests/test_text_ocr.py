"""OCR backends: the bundled rapidocr reads generated text; failures are loud."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from imagecheck.analysis import ocr as ocr_mod
from imagecheck.analysis.ocr import OcrUnavailable, get_backend


def _font(size: int) -> ImageFont.FreeTypeFont:
    noto = pytest.importorskip("noto_cjk_sans_otc")
    return ImageFont.truetype(str(noto.FONT_PATH), size)


def _render(lines: list[tuple[str, tuple[int, int], int]], size=(800, 600)) -> np.ndarray:
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for text, xy, px in lines:
        draw.text(xy, text, fill=(20, 20, 20), font=_font(px))
    return np.asarray(img)


def test_rapidocr_reads_chinese_and_english_with_boxes_in_input_pixels() -> None:
    rgb = _render([("限时秒杀 包邮", (60, 80), 48), ("FREE SHIPPING", (300, 450), 40)])
    boxes = get_backend("rapidocr").read(rgb)  # type: ignore[union-attr]
    found = {b.text.replace(" ", ""): b for b in boxes}
    assert "限时秒杀包邮" in found and "FREESHIPPING" in found
    x0, y0, x1, y1 = found["FREESHIPPING"].box
    assert 280 <= x0 <= 320 and 440 <= y0 <= 470 and x1 <= 800 and y1 <= 510
    assert all(0.5 <= b.confidence <= 1.0 for b in boxes)


def test_rapidocr_small_image_is_upscaled_for_reading() -> None:
    rgb = _render([("特价", (20, 20), 22)], size=(200, 200))
    texts = [b.text for b in get_backend("rapidocr").read(rgb)]  # type: ignore[union-attr]
    assert "特价" in texts


def test_blank_image_reads_nothing() -> None:
    assert get_backend("rapidocr").read(np.full((300, 300, 3), 255, np.uint8)) == []  # type: ignore[union-attr]


def test_backend_is_loaded_once_and_lists_its_models() -> None:
    backend = get_backend("rapidocr")
    assert backend is get_backend("rapidocr")
    models = backend.models()  # type: ignore[union-attr]
    assert {m.name for m in models} == {"PP-OCRv6_det_small", "PP-OCRv6_rec_small"}
    assert all(len(m.sha256) == 64 and m.licence == "Apache-2.0" for m in models)


def test_none_means_no_backend_and_unknown_names_are_refused() -> None:
    assert get_backend("none") is None
    with pytest.raises(ValueError, match="unknown OCR backend"):
        get_backend("tesseract")


def test_missing_backend_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "easyocr", None)
    monkeypatch.delitem(ocr_mod._BACKENDS, "easyocr", raising=False)
    monkeypatch.delitem(ocr_mod._FAILED, "easyocr", raising=False)
    with pytest.raises(OcrUnavailable, match="easyocr is not installed"):
        get_backend("easyocr")


def test_a_backend_that_failed_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "easyocr", None)
    monkeypatch.delitem(ocr_mod._BACKENDS, "easyocr", raising=False)
    monkeypatch.delitem(ocr_mod._FAILED, "easyocr", raising=False)
    with pytest.raises(OcrUnavailable) as first:
        get_backend("easyocr")
    monkeypatch.delitem(sys.modules, "easyocr")
    with pytest.raises(OcrUnavailable) as again:
        get_backend("easyocr")
    assert again.value is first.value


def test_a_thin_strip_is_padded_and_read() -> None:
    rgb = _render([("FREE SHIPPING", (300, 4), 30)], size=(1000, 44))
    texts = [b.text.replace(" ", "") for b in get_backend("rapidocr").read(rgb)]  # type: ignore[union-attr]
    assert "FREESHIPPING" in texts


def test_reading_never_imports_the_rapidocr_package() -> None:
    code = (
        "import sys, numpy as np\n"
        "from imagecheck.analysis.ocr import get_backend\n"
        "get_backend('rapidocr').read(np.full((200, 300, 3), 255, np.uint8))\n"
        "print('rapidocr' in sys.modules, 'omegaconf' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]
