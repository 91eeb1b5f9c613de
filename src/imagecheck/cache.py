"""The result cache: re-checking an unchanged image with unchanged settings is a look-up.

A result is stored under a key made of:

- the SHA-256 of the file's bytes (not its name or modification time: a renamed or copied
  file is still a hit, an edited one never is);
- the image's role and that role's resolved rules with their parameters (the profile,
  configuration and command-line options after merging), so changing one threshold
  invalidates the images of the roles that use that rule and nothing else;
- the analysis options (OCR backend, logos, brands) and the pixel limit;
- the engine fingerprint: the imagecheck version, a hash of the source of the modules that
  compute results (loading, analysis, rules, checking) and the versions of the libraries
  and models that decode and analyse (Pillow, OpenCV, NumPy, the OCR package and its
  inference engine). Upgrading any of them, or editing a rule, invalidates everything.

The cache is one SQLite database, ``results.sqlite``, in the cache folder: ``--cache-dir``,
else ``$IMAGECHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/imagecheck``, else
``~/.cache/imagecheck``. Deleting the folder (or ``imagecheck audit --clear-cache``) empties
it; ``--no-cache`` neither reads nor writes it. Only the process that runs a batch writes,
in WAL mode with a busy timeout, so several concurrent runs may share one cache.
Results of checks that did not complete (IN005 crashed check, IN006 not checked) are
never stored. A damaged database (corrupt pages, not a database, a table of another
layout) is set aside as ``results.sqlite.damaged-<time>`` with a warning and a new one
is started; a stored row that cannot be read is dropped and counted as a miss.

On a cluster the workers share :class:`SharedCache` instead: the same keys, one small
JSON object per key under ``shared/`` in the cache folder, or under any fsspec URL
(``s3://bucket/imagecheck-cache``) that every worker reaches. Each worker hashes the bytes
it reads anyway, so the client never reads an image, and an audit killed half-way, run
again, checks only the images no worker finished.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import sqlite3
import time
import warnings
from collections.abc import Iterable, Mapping
from functools import cache as memoize
from importlib import resources
from pathlib import Path
from typing import Any

from imagecheck.config import Settings
from imagecheck.findings import Finding, Severity
from imagecheck.i18n import from_data, to_data
from imagecheck.listing import ImageJob, is_url
from imagecheck.loading import InputError, open_regular
from imagecheck.report import replace_with, sync_folder
from imagecheck.report.model import ImageResult

#: Bump when the stored layout changes.
CACHE_FORMAT = 2
DB_NAME = "results.sqlite"
#: The folder of :class:`SharedCache` inside a local cache folder.
SHARED_NAME = "shared"
COLUMNS = ("key", "width", "height", "findings")
#: SQLite errors that mean the file itself is damaged (not busy, not read-only).
_DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT"})
ENV_VAR = "IMAGECHECK_CACHE_DIR"
#: Results carrying these codes describe a check that did not complete: never cached.
UNCACHEABLE = frozenset({"IN005", "IN006"})
#: Parts of the package whose source decides results (the rest only presents them).
ENGINE_SOURCES = ("analysis", "rules", "loading.py", "check.py", "findings.py",
                  "models/graphic.json")
#: Distributions whose versions change decoding or analysis.
ENGINE_DISTRIBUTIONS = ("imagecheck", "pillow", "opencv-python-headless", "numpy", "rapidocr",
                        "onnxruntime", "openvino", "pyclipper", "easyocr")


def default_dir() -> Path:
    """The cache folder when none is given: ``$IMAGECHECK_CACHE_DIR``, else the user
    cache folder (``$XDG_CACHE_HOME/imagecheck`` or ``~/.cache/imagecheck``)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imagecheck"


@memoize
def engine_fingerprint() -> str:
    """A hash of everything besides settings and file content that decides results."""
    digest = hashlib.sha256(f"cache-format {CACHE_FORMAT}\n".encode())
    for name in ENGINE_DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name} {version}\n".encode())
    package = resources.files("imagecheck")
    for part in ENGINE_SOURCES:
        for path in sorted(_python_files(Path(str(package / part)))):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _python_files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        return path.rglob("*.py")
    return [path]


def settings_fingerprint(settings: Settings, role: str) -> str:
    """A hash of what ``settings`` decide for images in ``role``."""
    rules = [[r.code, sorted(params.items())] for r, params in settings.for_role(role).rules]
    data = {
        "role": role,
        "rules": rules,
        # Every analysis option, and the content of each logo file it names.
        "analysis": dataclasses.asdict(settings.analysis),
        "logo_files": [file_digest(Path(p)) for p in settings.analysis.logos],
        "max_pixels": settings.max_pixels,
        "engine": engine_fingerprint(),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def file_digest(path: str | Path) -> str | None:
    """SHA-256 of the bytes of a file or a URL's object, or ``None`` if it cannot be read
    (then it is checked, and the check reports why)."""
    try:
        if is_url(path):
            import fsspec

            with fsspec.open(str(path), "rb") as handle:
                return hashlib.file_digest(handle, "sha256").hexdigest()
        with open_regular(path) as handle:  # a named pipe would block
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (OSError, ValueError, ImportError, InputError):
        return None


def _finding_data(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "category": f.category, "severity": int(f.severity),
            "message": to_data(f.message), "value": f.value, "threshold": f.threshold,
            "box": list(f.box) if f.box else None, "target": f.target,
            "details": dict(f.details)}


def _finding_from(d: Mapping[str, Any]) -> Finding:
    box = d["box"]
    return Finding(d["code"], d["category"], Severity(d["severity"]), from_data(d["message"]),
                   d["value"],
                   d["threshold"], tuple(box) if box else None, d["target"], d["details"])


class DamagedCache(sqlite3.DatabaseError):
    """The cache database holds something other than this cache's table."""


#: What SQLite raises on a damaged file (a schema that is not UTF-8 raises UnicodeDecodeError).
_ERRORS = (sqlite3.Error, UnicodeDecodeError)


def _damaged(exc: Exception) -> bool:
    return isinstance(exc, DamagedCache | UnicodeDecodeError) or getattr(
        exc, "sqlite_errorname", "") in _DAMAGED


class ResultCache:
    """Results stored by key in one SQLite file; see the module documentation."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / DB_NAME
        self._fingerprints: dict[tuple[int, str], str] = {}
        self.hits = 0
        self.misses = 0
        try:
            self._db = self._open()
        except _ERRORS as exc:
            if not _damaged(exc):
                raise
            self._set_aside(exc)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            try:
                columns = tuple(row[1] for row in db.execute("PRAGMA table_info(results)"))
            except sqlite3.OperationalError as exc:  # a schema whose text is not UTF-8
                if getattr(exc, "sqlite_errorname", None):
                    raise
                raise DamagedCache(str(exc)) from None
            if columns and columns != COLUMNS:
                raise DamagedCache(f"a table of another layout {columns}")
            db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, width INTEGER,"
                " height INTEGER, findings TEXT NOT NULL)"
            )
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self, exc: Exception) -> None:
        """Move a damaged database out of the way (kept for inspection), with a warning."""
        if getattr(self, "_db", None) is not None:
            self._db.close()
        aside = self.path.with_name(f"{DB_NAME}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                os.replace(part, f"{aside}{suffix}")
        warnings.warn(f"result cache {self.path} is damaged ({exc}); set aside as {aside.name}"
                      " and started afresh", stacklevel=3)

    def _recover(self, exc: Exception) -> None:
        """Start a new database if ``exc`` says this one is damaged, else re-raise it."""
        if not _damaged(exc):
            raise exc
        self._set_aside(exc)
        self._db = self._open()

    def key(self, job: ImageJob, settings: Settings) -> str | None:
        """The key of ``job`` under ``settings``, or ``None`` if its file cannot be read."""
        digest = file_digest(job.location)
        if digest is None:
            return None
        slot = (id(settings), job.role)
        if slot not in self._fingerprints:
            self._fingerprints[slot] = settings_fingerprint(settings, job.role)
        return f"{digest}:{self._fingerprints[slot]}"

    def has(self, key: str) -> bool:
        """Whether a result is stored under ``key`` (if not, that is counted as a miss;
        :meth:`get` counts the hits)."""
        try:
            found = self._db.execute("SELECT 1 FROM results WHERE key = ?",
                                     (key,)).fetchone() is not None
        except _ERRORS as exc:
            if _damaged(exc):
                self._recover(exc)
            found = False
        if not found:
            self.misses += 1
        return found

    def get(self, key: str, job: ImageJob) -> ImageResult | None:
        """The stored result for ``key``, as a result for ``job``, or ``None``."""
        try:
            row = self._db.execute(
                "SELECT width, height, findings FROM results WHERE key = ?", (key,)
            ).fetchone()
        except _ERRORS as exc:
            if _damaged(exc):
                self._recover(exc)
            else:  # a row that cannot be read (text that is not UTF-8): drop it
                self._db.execute("DELETE FROM results WHERE key = ?", (key,))
            row = None
        if row is not None:
            try:
                findings = tuple(_finding_from(d) for d in json.loads(row[2]))
            except (LookupError, ValueError, TypeError):  # a row that cannot be read
                self._db.execute("DELETE FROM results WHERE key = ?", (key,))
            else:
                self.hits += 1
                return ImageResult(job.location, job.listing_location, job.role,
                                   job.role_source, row[0], row[1], findings)
        self.misses += 1
        return None

    def put(self, key: str, result: ImageResult) -> None:
        """Store ``result`` under ``key``, unless its check did not complete."""
        if any(f.code in UNCACHEABLE for f in result.findings):
            return
        data = json.dumps([_finding_data(f) for f in result.findings], default=_plain)
        row = (key, result.width, result.height, data)
        try:
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", row)
        except _ERRORS as exc:
            self._recover(exc)
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", row)

    def clear(self) -> int:
        """Delete every stored result; return how many there were (a damaged database
        is set aside instead, and 0 returned)."""
        try:
            (count,) = self._db.execute("SELECT COUNT(*) FROM results").fetchone()
            self._db.execute("DELETE FROM results")
        except _ERRORS as exc:
            self._recover(exc)
            return 0
        return int(count)

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _plain(value: object) -> object:
    """JSON for values ``json`` does not know (numpy scalars and the like)."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class SharedCache:
    """Results as one JSON object per key in a folder or under an fsspec URL, read and
    written by every worker of a cluster. An object is written whole (an object store's
    put; locally a temporary file renamed into place), so concurrent writers never leave
    a torn entry, and two workers that check the same image write the same result."""

    def __init__(self, location: str | Path) -> None:
        import fsspec
        from fsspec.implementations.local import LocalFileSystem

        self.location = str(location)
        self._fs, self._root = fsspec.core.url_to_fs(self.location)
        self._local = isinstance(self._fs, LocalFileSystem)
        self._fingerprints: dict[tuple[int, str], tuple[Settings, str]] = {}

    def key(self, data: bytes, settings: Settings, role: str) -> str:
        """The key of an image's bytes ``data`` checked in ``role`` under ``settings``."""
        slot = (id(settings), role)
        if slot not in self._fingerprints:  # the settings are kept, so their id stays theirs
            self._fingerprints[slot] = (settings, settings_fingerprint(settings, role))
        return f"{hashlib.sha256(data).hexdigest()}-{self._fingerprints[slot][1]}"

    def _path(self, key: str) -> str:
        return f"{self._root.rstrip('/')}/{key[:2]}/{key}.json"

    def get(self, key: str, job: ImageJob) -> ImageResult | None:
        """The stored result for ``key``, as a result for ``job``, or ``None`` (also for an
        entry that cannot be read)."""
        try:
            entry = json.loads(self._fs.cat_file(self._path(key)))
            findings = tuple(_finding_from(d) for d in entry["findings"])
            return ImageResult(job.location, job.listing_location, job.role, job.role_source,
                               entry["width"], entry["height"], findings)
        except (OSError, LookupError, ValueError, TypeError):
            return None

    def put(self, key: str, result: ImageResult) -> None:
        """Store ``result`` under ``key``, unless its check did not complete."""
        if any(f.code in UNCACHEABLE for f in result.findings):
            return
        data = json.dumps({"width": result.width, "height": result.height,
                           "findings": [_finding_data(f) for f in result.findings]},
                          default=_plain).encode()
        path = self._path(key)
        if not self._local:
            self._fs.pipe_file(path, data)
            return
        folder = Path(path).parent
        folder.mkdir(parents=True, exist_ok=True)
        # not atomic_write_bytes: a temporary here may be another machine's writer's,
        # whose process number says nothing on this one
        replace_with(Path(path), data)
        sync_folder(folder)

    def clear(self) -> None:
        """Delete every stored result."""
        if self._fs.exists(self._root):
            self._fs.rm(self._root, recursive=True)


def shared_location(cache_dir: str | Path | None) -> str:
    """Where a cluster's workers share results: ``shared/`` in a local cache folder (the
    default folder if ``None``), or the URL ``cache_dir`` itself."""
    if cache_dir is not None and is_url(str(cache_dir)):
        return str(cache_dir)
    return str((Path(cache_dir) if cache_dir is not None else default_dir()) / SHARED_NAME)
