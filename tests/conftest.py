"""Shared fixtures: the CJK font gate and the odd-input files."""

from __future__ import annotations

from pathlib import Path

import pytest

from imagecheck_dev import synth


@pytest.fixture(scope="session")
def cjk_font() -> Path:
    """Path of the CJK font synthetic text needs; skips the test when it is not installed."""
    try:
        return synth.cjk_font_path()
    except synth.FontUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def odd_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Awkward input files from :func:`imagecheck_dev.synth.write_odd_files`, written once."""
    return synth.write_odd_files(tmp_path_factory.mktemp("odd"))


@pytest.fixture(scope="session")
def ocr() -> None:
    """The default OCR backend, loaded; skips the test where it cannot load."""
    from imagecheck.analysis.ocr import OcrUnavailable, get_backend

    try:
        get_backend("rapidocr")
    except OcrUnavailable as exc:
        pytest.skip(str(exc))
