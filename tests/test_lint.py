"""The code stays lint-clean (ruff) and type-checked (mypy), in CI as on a laptop."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("ruff", ["check", "src", "tests", "benchmarks", "sample_images", "imagecheck_dev",
                  "training", "tools"]),
        ("mypy", ["src", "imagecheck_dev"]),
    ],
)
def test_tool_is_clean(tool: str, args: list[str]) -> None:
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]')")
    done = subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
