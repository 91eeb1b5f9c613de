"""The report model and one reporter per output format.

A :class:`Reporter` renders a whole :class:`~imagecheck.report.model.Report` as text;
:data:`REPORTERS` maps each format's name to its reporter, each in a module of its own
imported when the format is first used (a run loads only the format it writes).
:func:`render` renders by name and :func:`write` writes to a stream or, atomically, to a
file.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from imagecheck.report.model import Report

#: The characters Python uses for file-name bytes that are not UTF-8 (surrogate escapes).
_SURROGATES = re.compile("[\udc80-\udcff]")


class Reporter(Protocol):
    """An output format's renderer: the whole report as one text (``color``: ANSI colours,
    for a terminal)."""

    def __call__(self, report: Report, color: bool = False) -> str: ...


def _as_is(text: str) -> str:
    return text


def _json_escaped(text: str) -> str:
    """File-name bytes that are not UTF-8 as ``\\udcXX`` escapes (``json.loads`` then
    ``os.fsencode`` gives the name back)."""
    return _SURROGATES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _shown_as_hex(text: str) -> str:
    """File-name bytes that are not UTF-8 shown as ``\\xNN`` (formats that cannot hold them)."""
    return _SURROGATES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


@dataclass(frozen=True)
class OutputFormat:
    """An output format: the module of this package whose ``render`` is its reporter, and
    how its text keeps file-name bytes that are not UTF-8 (text and CSV are written with
    the original bytes)."""

    module: str
    undecodable: Callable[[str], str] = _as_is

    @property
    def reporter(self) -> Reporter:
        """The format's reporter, its module imported on first use."""
        reporter: Reporter = importlib.import_module(f"imagecheck.report.{self.module}").render
        return reporter


#: Every output format by name, in the order ``--format`` lists them.
REPORTERS: Mapping[str, OutputFormat] = {
    "text": OutputFormat("text_format"),
    "json": OutputFormat("json_format", _json_escaped),
    "csv": OutputFormat("csv_format"),
    "html": OutputFormat("html_format", _shown_as_hex),
    "sarif": OutputFormat("sarif_format", _json_escaped),
    "junit": OutputFormat("junit_format", _shown_as_hex),
    "github": OutputFormat("github_format", _shown_as_hex),
}
FORMATS: tuple[str, ...] = tuple(REPORTERS)


def render(report: Report, fmt: str, color: bool = False) -> str:
    """Render ``report`` in format ``fmt`` (a name in :data:`REPORTERS`).

    File names that are not valid UTF-8 are kept losslessly: JSON and SARIF carry each
    such byte as a ``\\udcXX`` escape (``json.loads`` then ``os.fsencode`` gives the name
    back), text and CSV are written with the original bytes, and HTML, JUnit XML and
    GitHub annotations, which cannot hold them, show them as ``\\xNN``.
    """
    output = REPORTERS.get(fmt)
    if output is None:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return output.undecodable(output.reporter(report, color=color))


def write(report: Report, fmt: str, output: str | Path | None = None,
          stream: TextIO | None = None, color: bool = False) -> None:
    """Write ``report`` to ``output`` (atomically: a temporary file renamed into place)
    or, without ``output``, to ``stream`` (standard output by default).

    HTML written to a file of a large report keeps its thumbnails in a folder beside it
    (see :func:`imagecheck.report.html_format.write`); to a stream it is one
    self-contained page."""
    if fmt == "html" and output is not None:
        from imagecheck.report import html_format

        html_format.write(report, Path(output))
        return
    emit(render(report, fmt, color=color and output is None), output, stream)


def emit(text: str, output: str | Path | None = None, stream: TextIO | None = None) -> None:
    """Write rendered ``text`` to ``output`` atomically or, without it, to ``stream``
    (standard output by default), keeping file-name bytes that are not UTF-8 as they are."""
    if output is not None:
        atomic_write_text(Path(output), text)
        return
    out = stream or sys.stdout
    try:
        out.write(text)
    except UnicodeEncodeError:
        out.flush()
        out.buffer.write(text.encode("utf-8", "surrogateescape"))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see either the old file or the whole new one.

    The file gets the permissions a new file would (the umask's, not the temporary file's
    0600). A symbolic link at ``path`` is replaced, never followed. A path that exists but
    is not a regular file or link (``/dev/null``, a pipe) is written to in place: replacing
    it would destroy the device or pipe."""
    if path.exists() and not path.is_file() and not path.is_symlink():
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        return
    atomic_write_bytes(path, text.encode("utf-8", "surrogateescape"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a new temporary file beside ``path`` and rename it into place
    (see :func:`atomic_write_text`), durably: the file and then its folder are flushed
    to disk, so after a power cut ``path`` is the old file or the whole new one.
    Temporary files left by a killed writer (their process no longer runs) are removed
    first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    replace_with(path, data)
    sync_folder(path.parent)


def replace_with(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in ``path``'s existing folder, flush it to disk
    and rename it over ``path``, with the permissions a new file would get (the umask's).
    The rename is durable once :func:`sync_folder` has run on the folder: writers of many
    files in one folder call it once, after the last."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TMP_SUFFIX,
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.chmod(tmp, 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (the renames and new files in it) to disk, where the
    operating system and file system allow it; where they do not (Windows, some network
    file systems) this does nothing: a report is never refused for it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: The suffix of the temporary files reports are written through.
TMP_SUFFIX = ".imagecheck.tmp"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary report files in ``folder`` whose writing process has died."""
    try:
        leftovers = list(folder.glob(f".*{TMP_SUFFIX}"))
    except OSError:
        return
    for tmp in leftovers:
        parts = tmp.name[: -len(TMP_SUFFIX)].rsplit(".", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except (PermissionError, OverflowError):
            continue
