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

import heapq
import itertools
import json
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
#: Folders of a URL catalogue listed ahead of the walk (one request each), in threads.
LIST_AHEAD = 16
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


def real_path(path: str | PurePath) -> Path:
    """``path`` absolute with its links resolved as far as they go; a link loop is left as
    it is (``Path.resolve`` raises ``RuntimeError`` on one in Python 3.11), so an input
    that is a loop can still be compared with an output path."""
    return Path(os.path.realpath(path))


def natural_key(name: str) -> list[object]:
    """Sort key that orders ``img2`` before ``img10``."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def discover(paths: Sequence[str | Path], role: str | None = None) -> list[ImageJob]:
    """The jobs of :func:`walk`, as a list."""
    return list(walk(paths, role))


def walk(paths: Sequence[str | Path], role: str | None = None) -> Iterator[ImageJob]:
    """Expand files and folders (recursively) into jobs with roles, in a stable order:
    listings by their folder's natural order, then each listing's files.

    A file named explicitly is always checked, whatever its extension. Walking a folder
    takes every file that looks like an image, by extension or by its first bytes, hidden
    or not, including broken symbolic links (the report says why they cannot be read);
    a subfolder that cannot be read is listed too, so nothing is skipped without a word.
    A URL is walked in its own file system (see the module documentation). A symbolic
    link to a folder is followed unless the folder is inside one of ``paths`` or was
    walked through another link (so a link loop is not walked twice).

    The paths are checked now (:class:`ListingError` if one is missing); the jobs come
    one listing at a time as the folders are read, so a catalogue of any size is walked
    holding one listing and the folders still to read, never the whole list.
    """
    roots = [_root(raw) for raw in paths]
    return _Walk(roots).jobs(role)


@dataclass(frozen=True)
class _Root:
    """A path to walk: a local one (``fs`` is ``None``) or one in a URL's file system."""

    protocol: str
    path: PurePath
    is_dir: bool
    fs: Any = None


def _root(raw: str | Path) -> _Root:
    if is_url(raw) and str(raw).lower().startswith("file://"):
        raw = unquote(urlsplit(str(raw)).path)
    if is_url(raw):
        url = str(raw)
        fs, inner = _file_system(url)
        try:
            if fs.isfile(inner):
                is_dir = False
            elif fs.isdir(inner):
                is_dir = True
            else:
                raise ListingError(msg("{path}: no such file or folder", path=url))
        except (OSError, ValueError) as exc:
            raise _cannot_list(url, exc) from None
        return _Root(url.split("://", 1)[0].lower(), PurePosixPath(inner), is_dir, fs)
    path = Path(raw)
    if path.is_dir():
        return _Root("", path, True)
    if path.exists() or path.is_symlink():
        return _Root("", path, False)
    raise ListingError(msg("{path}: no such file or folder", path=str(raw)))


def _file_system(url: str) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path within it."""
    try:
        import fsspec

        fs, path = fsspec.core.url_to_fs(url)
        return fs, str(path)
    except ImportError as exc:
        raise ListingError(msg("{url}: reading URLs needs the [dask] extra and, for cloud"
                               " storage, its file-system package ({error})", url=url,
                               error=str(exc))) from None
    except ValueError as exc:
        raise ListingError(msg("{url}: {error}", url=url, error=str(exc))) from None


def _cannot_list(url: str, exc: Exception) -> ListingError:
    return ListingError(msg("{url}: cannot list: {error}", url=url,
                            error=f"{type(exc).__name__}: {exc}"))


class _Walk:
    """The folders of a walk still to read, in a heap ordered by the first listing each
    can hold: a folder's own listing sorts before everything under it, so the listings
    come out in the order of their folders' natural keys (that of a sort of them all),
    each whole. A folder's subfolders wait as one sorted list of names. In a URL's file
    system (one listing request per folder) the next :data:`LIST_AHEAD` folders are
    listed ahead, in threads."""

    def __init__(self, roots: Sequence[_Root]) -> None:
        self._heap: list[tuple[Any, ...]] = []
        self._count = itertools.count()
        self._ahead: dict[PurePath, Future[list[tuple[str, bool]]]] = {}
        self._lister: ThreadPoolExecutor | None = None
        self._inside = [os.path.realpath(r.path) for r in roots if not r.protocol and r.is_dir]
        self._linked: list[str] = []  # real paths of folders walked through a link
        for root in roots:
            if not root.is_dir:
                self._push(root.protocol, _listing_folder(root.path), 1, [root.path])
            elif (error := self._unreadable(root)) is not None:
                self._push("", _listing_folder(error), 1, [error])
            else:
                self._push(root.protocol, _owner(root.path), 0,
                           (root, root.path.parent, [root.path.name], 0))

    def _push(self, protocol: str, listing: PurePath, kind: int, payload: object) -> None:
        """Queue files of ``listing`` (``kind`` 1) or folders to read (0: read before the
        files of the same listing, as they may hold more of them)."""
        text = str(listing)
        heapq.heappush(self._heap, (protocol, natural_key(text), text, kind,
                                    next(self._count), listing, payload))

    def jobs(self, role: str | None) -> Iterator[ImageJob]:
        """The jobs, one listing at a time."""
        current: tuple[str, PurePath] | None = None
        files: list[PurePath] = []
        try:
            while self._heap:
                protocol, _, _, kind, _, listing, payload = heapq.heappop(self._heap)
                if (protocol, listing) != current:  # nothing more can come for ``current``
                    if current is not None and files:
                        yield from _listing_jobs(*current, files, role)
                    current, files = (protocol, listing), []
                if kind == 1:
                    files.extend(payload)
                    continue
                root, parent, names, i = payload
                if root.fs is not None:
                    self._list_ahead(root, parent, names[i + 1:i + 1 + LIST_AHEAD])
                self._read(root, parent / names[i])
                if i + 1 < len(names):
                    self._push(protocol, _owner(parent / names[i + 1]), 0,
                               (root, parent, names, i + 1))
            if current is not None and files:
                yield from _listing_jobs(*current, files, role)
        finally:
            if self._lister is not None:
                self._lister.shutdown(wait=False, cancel_futures=True)

    def _list_ahead(self, root: _Root, parent: PurePath, names: list[str]) -> None:
        """Start listing the folders ``names`` of ``parent``, as far as there is room."""
        for name in names:
            if len(self._ahead) >= LIST_AHEAD:
                return
            if (folder := parent / name) not in self._ahead:
                self._lister = self._lister or ThreadPoolExecutor(LIST_AHEAD)
                self._ahead[folder] = self._lister.submit(_list_url, root, folder)

    def _read(self, root: _Root, folder: PurePath) -> None:
        """Queue the image files of ``folder`` (in its listing) and its subfolders."""
        files: list[PurePath] = []
        names: list[str] = []
        for name, is_dir in self._entries(root, folder):
            path = folder / name
            if not is_dir:
                if (_looks_like_image(Path(path)) if root.fs is None
                        else PurePosixPath(name).suffix.lower() in IMAGE_EXTENSIONS):
                    files.append(path)
            elif (error := self._unreadable(_Root(root.protocol, path, True, root.fs))):
                files.append(error)
            elif self._walks(root, path):
                names.append(name)
        if files:
            self._push(root.protocol, _owner(folder), 1, files)
        names.sort(key=lambda n: (natural_key(n), n))
        for name in [n for n in names if n.lower() in ROLE_NAMES]:  # their files are ours
            self._push(root.protocol, folder, 0, (root, folder, [name], 0))
        if rest := [n for n in names if n.lower() not in ROLE_NAMES]:
            self._push(root.protocol, folder / rest[0], 0, (root, folder, rest, 0))

    def _entries(self, root: _Root, folder: PurePath) -> list[tuple[str, bool]]:
        """The names in ``folder`` and whether each is a folder (a link to one is)."""
        if root.fs is None:
            with os.scandir(folder) as entries:
                return [(e.name, _is_dir(e)) for e in entries]
        ahead = self._ahead.pop(folder, None)
        return ahead.result() if ahead is not None else _list_url(root, folder)

    def _unreadable(self, root: _Root) -> PurePath | None:
        """``root``'s folder if it cannot be read (then listed as a file: the report says
        why), else ``None``."""
        if root.fs is not None:
            return None
        try:
            os.scandir(root.path).close()
        except OSError:
            return root.path
        return None

    def _walks(self, root: _Root, folder: PurePath) -> bool:
        """Whether to walk ``folder``: yes, unless it is a link to a folder inside a path
        walked or walked already through another link."""
        if root.fs is not None or not os.path.islink(folder):
            return True
        real = os.path.realpath(folder)
        if any(real == seen or real.startswith(seen.rstrip(os.sep) + os.sep)
               for seen in (*self._inside, *self._linked)):
            return False
        self._linked.append(real)
        return True


def _list_url(root: _Root, folder: PurePath) -> list[tuple[str, bool]]:
    """The names in ``folder`` of a URL's file system and whether each is a folder."""
    try:
        found = root.fs.ls(str(folder), detail=True)
    except (OSError, ValueError) as exc:
        raise _cannot_list(_located(root.protocol, folder), exc) from None
    return [(PurePosixPath(e["name"]).name, e["type"] == "directory") for e in found
            if PurePosixPath(e["name"]) != folder]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder or a link to one (a link loop is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _owner(folder: PurePath) -> PurePath:
    """The listing the files directly in ``folder`` belong to."""
    return folder.parent if folder.name.lower() in ROLE_NAMES else folder


def _listing_jobs(protocol: str, listing: PurePath, files: list[PurePath],
                  role: str | None) -> Iterable[ImageJob]:
    ordered = sorted(set(files), key=lambda p: natural_key(str(p.relative_to(listing))))
    return _assign_roles(listing, ordered, role, protocol)


def _looks_like_image(path: Path) -> bool:
    from imagecheck.loading import InputError, open_regular  # loading imports this module

    if path.suffix.lower() in IMAGE_EXTENSIONS:
        return True
    if not path.is_file():  # never open a pipe or device: it may block
        return False
    try:  # not waiting, in case a pipe took the file's place since
        with open_regular(path) as fh:
            head = fh.read(16)
    except (OSError, InputError):
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
