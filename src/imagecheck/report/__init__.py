"""The report model and one reporter module per output format.

Each reporter module has ``render(report, color=False) -> str``. :func:`write` picks
one by name and writes it to a stream or, atomically, to a file.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from imagecheck.report.model import Report

FORMATS: tuple[str, ...] = ("text", "json", "csv", "html", "sarif", "junit")
#: The characters Python uses for file-name bytes that are not UTF-8 (surrogate escapes).
_SURROGATES = re.compile("[\udc80-\udcff]")


def render(report: Report, fmt: str, color: bool = False) -> str:
    """Render ``report`` in format ``fmt``.

    File names that are not valid UTF-8 are kept losslessly: JSON and SARIF carry each
    such byte as a ``\\udcXX`` escape (``json.loads`` then ``os.fsencode`` gives the name
    back), text and CSV are written with the original bytes, and HTML and JUnit XML, which
    cannot hold them, show them as ``\\xNN``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"imagecheck.report.{fmt}_format")
    text = str(module.render(report, color=color))
    if fmt in ("json", "sarif"):
        return _SURROGATES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if fmt in ("html", "junit"):
        return _SURROGATES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return text


def write(report: Report, fmt: str, output: str | Path | None = None,
          stream: TextIO | None = None, color: bool = False) -> None:
    """Write ``report`` to ``output`` (atomically: a temporary file renamed into place)
    or, without ``output``, to ``stream`` (standard output by default)."""
    text = render(report, fmt, color=color and output is None)
    if output is None:
        out = stream or sys.stdout
        try:
            out.write(text)
        except UnicodeEncodeError:  # non-UTF-8 file-name bytes: write them as they are
            out.flush()
            out.buffer.write(text.encode("utf-8", "surrogateescape"))  # type: ignore[attr-defined]
        return
    atomic_write_text(Path(output), text)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see either the old file or the whole new one.
    A path that exists but is not a regular file (``/dev/null``, a pipe) is written to in
    place: replacing it would destroy the device or pipe."""
    if path.exists() and not path.is_file():
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape",
                       newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
