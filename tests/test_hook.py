"""The pre-commit hook: it matches image files only, and checks just the files it is given."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from imagecheck.exitcodes import CLEAN, FINDINGS
from imagecheck.listing import IMAGE_EXTENSIONS
from imagecheck_dev import synth

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["imagecheck"]
    return hooks[0]


def test_hook_matches_image_extensions_only(hook: dict[str, object]) -> None:
    files = re.compile(str(hook["files"]))
    for ext in IMAGE_EXTENSIONS:
        assert files.search(f"shop/sku 1/main{ext}") and files.search(f"a/B{ext.upper()}")
    for other in ("notes.txt", "listing.json", "jpg/readme.md", "img.jpg.bak", "x.svg"):
        assert not files.search(other)


def test_hook_entry_is_an_installed_command(hook: dict[str, object]) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command = shlex.split(str(hook["entry"]))
    assert command[0] in scripts and hook["language"] == "python"
    assert hook["pass_filenames"] is True


def test_hook_checks_only_the_files_given(hook: dict[str, object], tmp_path: Path) -> None:
    if shutil.which("imagecheck") is None:
        pytest.skip("imagecheck is not installed as a command")
    good = synth.save(synth.shot("bottle", (600, 600)), tmp_path / "sku" / "main.jpg")
    bad = synth.save(synth.shot("box", (600, 600), at=(0.25, 0.3), fill=0.4),
                     tmp_path / "sku2" / "main.jpg")
    (tmp_path / "sku" / "broken.jpg").write_bytes(b"unstaged junk")  # not given: not read
    entry = shlex.split(str(hook["entry"]))

    def run(*files: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*entry, *map(str, files)], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)

    ok = run(good)
    assert ok.returncode == CLEAN, ok.stdout + ok.stderr
    assert "1 image(s): 1 pass" in ok.stdout and "broken" not in ok.stdout
    failed = run(good, bad)
    assert failed.returncode == FINDINGS
    assert "FR201" in failed.stdout
