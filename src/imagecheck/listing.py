"""Finding the images to check and the role of each: main, carousel or detail.

A role comes from, in order: the ``--role`` option; a manifest (``listing.json`` or
``listing.toml`` in the listing folder, mapping ``main``/``carousel``/``detail`` to file
names); a role folder on the path (``main/``, ``carousel/``, ``detail/``, ``主图/``,
``轮播图/``, ``详情图/``); a file-name prefix (``main_``, ``carousel-``, ``主图``...);
otherwise the first file of a listing folder in natural order is the main image and the
rest are carousel images.

A catalogue may also be an fsspec URL (``s3://bucket/catalogue``, ``gs://...``,
``memory://...``; extra ``[dask]``, cloud back-ends their own packages): its objects are
listed by extension (their first bytes are not read) and its images are read where they
are checked. ``file://`` URLs are plain local paths.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from imagecheck.i18n import msg

#: File extensions taken as images when walking folders (case-insensitive). Formats that
#: cannot be decoded here (HEIC) are listed too, so the report says why they were not checked.
IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".jfif",
     ".avif", ".heic", ".heif"}
)
#: ISO-BMFF brands (bytes 8-12, after ``ftyp``) of HEIC/HEIF images, which are not decoded here.
HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"heim")
#: Leading bytes of image files, for files found without an image extension.
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"II*\0",
          b"MM\0*")
MANIFESTS = ("listing.json", "listing.toml")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]+://")

ROLE_NAMES: dict[str, str] = {
    "main": "main",
    "主图": "main",
    "carousel": "carousel",
    "轮播图": "carousel",
    "轮播": "carousel",
    "detail": "detail",
    "details": "detail",
    "详情图": "detail",
    "详情": "detail",
}
_PREFIX = re.compile(
    r"^(main|carousel|detail|主图|轮播图|轮播|详情图|详情)(?=[\s_\-.\d]|$)", re.IGNORECASE
)


class ListingError(ValueError):
    """A path or manifest that cannot be used."""


def is_url(name: str | PurePath) -> bool:
    """Whether ``name`` is a URL (``s3://bucket/key``, ``memory://x``), not a local path."""
    return isinstance(name, str) and _URL.match(name) is not None


@dataclass(frozen=True)
class ImageJob:
    """One file to check, in its listing, with its role and how the role was decided.

    A file behind a URL has the URL's ``protocol`` and its path within that file system."""

    path: PurePath
    listing: PurePath
    role: str
    role_source: str
    protocol: str = ""

    @property
    def location(self) -> str:
        """The file as reports name it: its path, or its URL."""
        return _located(self.protocol, self.path)

    @property
    def listing_location(self) -> str:
        """The listing folder as reports name it."""
        return _located(self.protocol, self.listing)


def _located(protocol: str, path: PurePath) -> str:
    return f"{protocol}://{path.as_posix()}" if protocol else str(path)


def natural_key(name: str) -> list[object]:
    """Sort key that orders ``img2`` before ``img10``."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def discover(paths: Sequence[str | Path], role: str | None = None) -> list[ImageJob]:
    """Expand files and folders (recursively) into jobs with roles, in a stable order.

    A file named explicitly is always checked, whatever its extension. Walking a folder
    takes every file that looks like an image, by extension or by its first bytes, hidden
    or not, including broken symbolic links (the report says why they cannot be read);
    a subfolder that cannot be read is listed too, so nothing is skipped without a word.
    A URL is walked in its own file system (see the module documentation).
    """
    groups: dict[tuple[str, PurePath], list[PurePath]] = {}
    files: Sequence[PurePath]
    for raw in paths:
        if is_url(raw) and str(raw).lower().startswith("file://"):
            raw = unquote(urlsplit(str(raw)).path)
        if is_url(raw):
            protocol, files = _walk_url(str(raw))
        else:
            protocol, path = "", Path(raw)
            if path.is_dir():
                files = _walk(path)
            elif path.exists() or path.is_symlink():
                files = [path]
            else:
                raise ListingError(msg("{path}: no such file or folder", path=str(raw)))
        for file in files:
            groups.setdefault((protocol, _listing_folder(file)), []).append(file)
    jobs: list[ImageJob] = []
    for protocol, listing in sorted(groups, key=lambda g: (g[0], natural_key(str(g[1])))):
        files = sorted(set(groups[protocol, listing]),
                       key=lambda p: natural_key(str(p.relative_to(listing))))
        jobs.extend(_assign_roles(listing, files, role, protocol))
    return jobs


def _walk_url(url: str) -> tuple[str, Sequence[PurePath]]:
    """The protocol of ``url`` and the image files under it (by extension), or the object
    itself if it is one."""
    fs, root = _file_system(url)
    try:
        if fs.isfile(root):
            names = [root]
        elif fs.isdir(root):
            names = [n for n in fs.find(root)
                     if PurePosixPath(n).suffix.lower() in IMAGE_EXTENSIONS]
        else:
            raise ListingError(msg("{path}: no such file or folder", path=url))
    except (OSError, ValueError) as exc:
        raise ListingError(msg("{url}: cannot list: {error}", url=url,
                                error=f"{type(exc).__name__}: {exc}")) from None
    return url.split("://", 1)[0].lower(), [PurePosixPath(n) for n in names]


def _file_system(url: str) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path within it."""
    try:
        import fsspec

        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        raise ListingError(msg("{url}: reading URLs needs the [dask] extra and, for cloud"
                               " storage, its file-system package ({error})", url=url,
                               error=str(exc))) from None
    except ValueError as exc:
        raise ListingError(msg("{url}: {error}", url=url, error=str(exc))) from None


def _walk(folder: Path) -> list[Path]:
    """Image-like files under ``folder`` and subfolders that cannot be read. Symbolic links
    to folders are followed once (a link loop is not walked twice)."""
    found: list[Path] = []
    seen: set[str] = set()

    def unreadable(exc: OSError) -> None:
        if exc.filename is not None:
            found.append(Path(exc.filename))

    for top, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        found.extend(Path(top, f) for f in files if _looks_like_image(Path(top, f)))
    return found


def _looks_like_image(path: Path) -> bool:
    if path.suffix.lower() in IMAGE_EXTENSIONS:
        return True
    if not path.is_file():  # never open a pipe or device: it may block
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head.startswith(_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or (
        head[4:8] == b"ftyp" and head[8:12] in (b"avif", *HEIF_BRANDS))


def _listing_folder(file: PurePath) -> PurePath:
    """The listing a file belongs to: its folder, or the parent of a role folder."""
    folder = file.parent
    if folder.name.lower() in ROLE_NAMES:
        return folder.parent
    return folder


def _assign_roles(listing: PurePath, files: list[PurePath], forced: str | None,
                  protocol: str) -> Iterable[ImageJob]:
    if forced is not None:
        return [ImageJob(f, listing, forced, "option", protocol) for f in files]
    manifest = _read_manifest(listing, protocol)
    jobs = []
    for file in files:
        rel = file.relative_to(listing).as_posix()
        if rel in manifest:
            role, source = manifest[rel], "manifest"
        elif file.parent.name.lower() in ROLE_NAMES:
            role, source = ROLE_NAMES[file.parent.name.lower()], "folder"
        elif (m := _PREFIX.match(file.name)) is not None:
            role, source = ROLE_NAMES[m.group(1).lower()], "file name"
        else:
            role, source = "", "order"
        jobs.append(ImageJob(file, listing, role, source, protocol))
    has_main = any(j.role == "main" for j in jobs)
    out = []
    for job in jobs:
        if not job.role:
            job = replace(job, role="carousel" if has_main else "main")
            has_main = True
        out.append(job)
    rank = {"main": 0, "carousel": 1, "detail": 2}
    return sorted(out, key=lambda j: rank.get(j.role, 3))


def _read_manifest(listing: PurePath, protocol: str) -> dict[str, str]:
    """Map file paths (relative to the listing) to roles from a manifest, if any."""
    for name in MANIFESTS:
        path = listing / name
        shown = _located(protocol, path)
        try:
            if protocol:
                fs, inner = _file_system(shown)
                if not fs.isfile(inner):
                    continue
                text = fs.cat_file(inner).decode("utf-8-sig")
            elif isinstance(path, Path) and path.is_file():
                text = path.read_text(encoding="utf-8-sig")
            else:
                continue
            data = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ListingError(msg("{path}: cannot read manifest: {error}", path=shown,
                                   error=str(exc))) from None
        roles: dict[str, str] = {}
        for key, value in data.items():
            role = ROLE_NAMES.get(str(key).lower())
            if role is None:
                raise ListingError(msg("{path}: unknown role '{role}'; use main, carousel or"
                                       " detail", path=str(shown), role=key))
            for file in [value] if isinstance(value, str) else value:
                roles[str(file)] = role
        return roles
    return {}
