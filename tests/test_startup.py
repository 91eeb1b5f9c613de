"""Start-up (issue 14): ``--help`` loads no image or OCR library, ``--ocr none`` no OCR."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from imagecheck.cli import COMMANDS, main
from imagecheck.report import FORMATS, REPORTERS

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "cv2", "PIL", "onnxruntime", "rapidocr", "yaml")


def _modules(*argv: str) -> set[str]:
    """Every module imported by ``imagecheck ARGV`` in a fresh interpreter."""
    code = ("import sys\nfrom imagecheck.cli import main\n"
            f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    return set(done.stdout.split("\n")[-2].split())


def _imported(*argv: str) -> set[str]:
    """Top-level modules imported by ``imagecheck ARGV`` in a fresh interpreter."""
    return {m.split(".")[0] for m in _modules(*argv)}


def test_help_imports_no_image_or_ocr_library() -> None:
    assert _imported("--help") & set(HEAVY) == set()


def test_scan_without_ocr_never_imports_the_ocr_engine() -> None:
    folder = ROOT / "sample_images" / "listing" / "main"
    loaded = _imported("scan", "--ocr", "none", str(folder))
    assert "cv2" in loaded and not loaded & {"rapidocr", "onnxruntime"}


def test_a_scan_loads_only_its_report_format_and_nothing_of_the_shop() -> None:
    """A hook's scan with OCR and a text report imports neither the other report formats
    nor the shop's records, readers and profile parser (only its rule modules register
    their rules), nor the result cache."""
    image = ROOT / "sample_images" / "listing" / "main" / "01_white_background.jpg"
    loaded = _modules("scan", "--exit-zero", str(image))
    assert {"onnxruntime", "imagecheck.report.text_format"} <= loaded
    others = {f"imagecheck.report.{REPORTERS[f].module}" for f in FORMATS if f != "text"}
    assert not loaded & others
    assert not loaded & {"imagecheck.shop.model", "imagecheck.shop.api", "imagecheck.shop.readers",
                         "imagecheck.shop.profiles", "yaml", "imagecheck.cache", "sqlite3"}


def _program(entry: str, *argv: str) -> tuple[int, str, str]:
    """Exit status, standard output and error of ``imagecheck ARGV`` run through
    ``imagecheck.cli.ENTRY`` in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", f"from imagecheck.cli import {entry}; {entry}()",
                           *argv], capture_output=True, text=True, timeout=300, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("argv", [
    ("scan", "--ocr", "none", "sample_images/listing"),
    ("scan", "--ocr", "none", "--exit-zero", "-f", "json", "sample_images/listing/main"),
    ("scan", "no/such/folder"),
    ("scan", "--format", "yaml", "sample_images"),
    ("explain", "BG101"),
    ("--version",),
])
def test_the_program_ends_as_main_does(argv: tuple[str, ...]) -> None:
    """The console script's entry (:func:`imagecheck.cli.run`, which skips the
    interpreter's teardown) gives the exit status and output :func:`main` gives."""
    assert _program("run", *argv) == _program("main", *argv)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_line_is_the_commands_own_summary(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert command.get_short_help_str(limit=200) == COMMANDS[name][1]
