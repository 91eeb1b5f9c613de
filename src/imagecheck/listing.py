"""Finding the images to check and the role of each: main, carousel or detail.

A role comes from, in order: the ``--role`` option; a manifest (``listing.json`` or
``listing.toml`` in the listing folder, mapping ``main``/``carousel``/``detail`` to file
names); a role folder on the path (``main/``, ``carousel/``, ``detail/``, ``主图/``,
``轮播图/``, ``详情图/``); a file-name prefix (``main_``, ``carousel-``, ``主图``...);
otherwise the first file of a listing folder in natural order is the main image and the
rest are carousel images.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class ImageJob:
    """One file to check, in its listing, with its role and how the role was decided."""

    path: Path
    listing: Path
    role: str
    role_source: str


def natural_key(name: str) -> list[object]:
    """Sort key that orders ``img2`` before ``img10``."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def discover(paths: Sequence[str | Path], role: str | None = None) -> list[ImageJob]:
    """Expand files and folders (recursively) into jobs with roles, in a stable order.

    A file named explicitly is always checked, whatever its extension. Walking a folder
    takes every file that looks like an image, by extension or by its first bytes, hidden
    or not, including broken symbolic links (the report says why they cannot be read);
    a subfolder that cannot be read is listed too, so nothing is skipped without a word.
    """
    groups: dict[Path, list[Path]] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                groups.setdefault(_listing_folder(file), []).append(file)
        elif path.exists() or path.is_symlink():
            groups.setdefault(_listing_folder(path), []).append(path)
        else:
            raise ListingError(msg("{path}: no such file or folder", path=str(raw)))
    jobs: list[ImageJob] = []
    for listing in sorted(groups, key=lambda p: natural_key(str(p))):
        files = sorted(set(groups[listing]), key=lambda p: natural_key(str(p.relative_to(listing))))
        jobs.extend(_assign_roles(listing, files, role))
    return jobs


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


def _listing_folder(file: Path) -> Path:
    """The listing a file belongs to: its folder, or the parent of a role folder."""
    folder = file.parent
    if folder.name.lower() in ROLE_NAMES:
        return folder.parent
    return folder


def _assign_roles(listing: Path, files: list[Path], forced: str | None) -> Iterable[ImageJob]:
    if forced is not None:
        return [ImageJob(f, listing, forced, "option") for f in files]
    manifest = _read_manifest(listing)
    jobs = []
    for file in files:
        rel = file.relative_to(listing).as_posix()
        if rel in manifest:
            jobs.append(ImageJob(file, listing, manifest[rel], "manifest"))
        elif file.parent.name.lower() in ROLE_NAMES:
            jobs.append(ImageJob(file, listing, ROLE_NAMES[file.parent.name.lower()], "folder"))
        elif (m := _PREFIX.match(file.name)) is not None:
            jobs.append(ImageJob(file, listing, ROLE_NAMES[m.group(1).lower()], "file name"))
        else:
            jobs.append(ImageJob(file, listing, "", "order"))
    has_main = any(j.role == "main" for j in jobs)
    out = []
    for job in jobs:
        if not job.role:
            role = "carousel" if has_main else "main"
            has_main = True
            job = ImageJob(job.path, job.listing, role, "order")
        out.append(job)
    rank = {"main": 0, "carousel": 1, "detail": 2}
    return sorted(out, key=lambda j: rank.get(j.role, 3))


def _read_manifest(listing: Path) -> dict[str, str]:
    """Map file paths (relative to the listing) to roles from a manifest, if any."""
    for name in MANIFESTS:
        path = listing / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ListingError(f"{path}: cannot read manifest: {exc}") from None
        roles: dict[str, str] = {}
        for key, value in data.items():
            role = ROLE_NAMES.get(str(key).lower())
            if role is None:
                raise ListingError(msg("{path}: unknown role '{role}'; use main, carousel or"
                                       " detail", path=str(path), role=key))
            for file in [value] if isinstance(value, str) else value:
                roles[str(file)] = role
        return roles
    return {}
