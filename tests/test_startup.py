"""Start-up (issue 14): ``--help`` loads no image or OCR library, ``--ocr none`` no OCR."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from imagecheck.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "cv2", "PIL", "onnxruntime", "rapidocr", "yaml")


def _imported(*argv: str) -> set[str]:
    """Top-level modules imported by ``imagecheck ARGV`` in a fresh interpreter."""
    code = ("import sys\nfrom imagecheck.cli import main\n"
            f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    return set(done.stdout.split("\n")[-2].split())


def test_help_imports_no_image_or_ocr_library() -> None:
    assert _imported("--help") & set(HEAVY) == set()


def test_scan_without_ocr_never_imports_the_ocr_engine() -> None:
    folder = ROOT / "sample_images" / "listing" / "main"
    loaded = _imported("scan", "--ocr", "none", str(folder))
    assert "cv2" in loaded and not loaded & {"rapidocr", "onnxruntime"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_line_is_the_commands_own_summary(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert command.get_short_help_str(limit=200) == COMMANDS[name][1]
