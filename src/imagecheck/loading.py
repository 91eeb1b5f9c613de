"""One loader for every rule: bytes -> RGB pixels in one canonical form.

Each file is decoded once from its bytes (so any file name works), EXIF-oriented,
converted to 8-bit RGB from whatever mode it had, flattened onto white where it was
transparent (and that is recorded), cut to its first frame if animated (recorded too),
and refused above a pixel limit. Anything that cannot be loaded raises
:class:`InputError` with a plain message; the runner turns that into a finding.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from imagecheck.i18n import msg
from imagecheck.listing import HEIF_BRANDS, is_url

#: Default refusal limit: 60 megapixels (a 7746x7746 image), far above any listing image.
DEFAULT_MAX_PIXELS = 60_000_000
#: The only decoders ever used (an allow-list: formats such as EPS, which Pillow decodes by
#: running an external program, are never opened, whatever a file is named).
READABLE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "AVIF")
#: EXIF orientation values; 1 is upright and 2-8 flip or rotate.
EXIF_ORIENTATIONS = range(1, 9)
#: Pages of a TIFF counted at most (Pillow's count of them takes time that grows faster
#: than their number: 20,000 one-pixel pages, a 2.5 MB file, took 3 s).
MAX_FRAMES_COUNTED = 1000
#: Pixels flattened onto white at a time (bounds the working copy of a transparent image).
_FLATTEN_BAND = 1 << 20


class InputError(Exception):
    """A file that cannot be used as an image; the message says why in plain words."""


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image and what the loader had to do to it."""

    rgb: np.ndarray
    format: str
    mode: str
    file_size: int
    transparent_share: float
    alpha: np.ndarray | None
    #: Frames (a TIFF's pages counted up to MAX_FRAMES_COUNTED).
    frames: int
    exif_rotated: bool
    #: An EXIF orientation tag outside 1-8 (ignored: the image is used as stored).
    bad_orientation: int | None = None

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])


def load_path(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Read and decode the image at ``path``: a local path or an fsspec URL (see
    :func:`read_source`)."""
    return load_bytes(read_source(path), max_pixels)


def read_source(name: str | Path) -> bytes:
    """The bytes of a local file, or of an object behind an fsspec URL (extra ``[dask]``;
    ``s3://`` and ``gs://`` need their own file-system packages)."""
    return read_url(str(name)) if is_url(name) else read_file(name)


def read_file(path: str | Path) -> bytes:
    """The bytes of the local file at ``path``; only regular files are read (a named pipe
    or device would block or never end)."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(msg("dangling symbolic link: its target does not exist")) from None
        raise InputError(msg("cannot read file: No such file or directory")) from None
    except OSError as exc:
        raise InputError(msg("cannot read file: {error}", error=exc.strerror or str(exc))) from None
    if stat.S_ISDIR(mode):
        try:
            os.scandir(path).close()
        except OSError as exc:
            raise InputError(msg("folder cannot be read ({error}); images in it were not"
                                 " checked", error=exc.strerror or str(exc))) from None
        raise InputError(msg("is a directory, not an image file"))
    if not stat.S_ISREG(mode):
        raise InputError(_not_regular())
    try:
        with open_regular(path) as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(msg("cannot read file: {error}", error=exc.strerror or str(exc))) from None


def open_regular(path: str | Path) -> io.BufferedReader:
    """The local file at ``path`` opened for reading, if it is a regular file. It is opened
    without waiting (a named pipe put in its place since it was listed would wait for a
    writer forever) and checked once open; raises :class:`InputError` if it is not a
    regular file, ``OSError`` if it cannot be opened."""
    handle = open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        raise InputError(_not_regular())
    return handle


def _not_regular() -> str:
    return msg("not a regular file (a named pipe, device or socket); not read")


def read_url(url: str) -> bytes:
    """The bytes of the object at an fsspec ``url``."""
    try:
        import fsspec
    except ImportError:
        raise InputError(msg("URLs need the fsspec package: pip install 'imagecheck[dask]'")
                         ) from None
    try:
        with fsspec.open(url, "rb") as handle:
            return bytes(handle.read())
    except (OSError, ValueError, ImportError) as exc:  # missing, refused; no back-end
        error = f"{type(exc).__name__}: {exc}"
        raise InputError(msg("cannot read {url}: {error}", url=url, error=error)) from None


def _unreadable_format(data: bytes) -> str:
    """Why bytes that no allowed decoder opens cannot be read, in plain words."""
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return msg("HEIC/HEIF image: this format is not supported; export it as JPEG or PNG")
    return msg("not an image, or a format imagecheck does not read (it reads {formats})",
               formats=", ".join(READABLE_FORMATS))


def load_bytes(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Decode an image from its bytes. Whatever a decoder raises on damaged data (image
    plugins raise many kinds of error) becomes an :class:`InputError`."""
    try:
        return _decode(data, max_pixels)
    except InputError:
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise InputError(msg("corrupt image data ({error})", error=error)) from None


def _decode(data: bytes, max_pixels: int) -> LoadedImage:
    if not data:
        raise InputError(msg("empty file (0 bytes)"))
    with damaged_exif_allowed():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=READABLE_FORMATS)
        except UnidentifiedImageError:
            raise InputError(_unreadable_format(data)) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InputError(
                msg("image dimensions exceed the pixel limit (possible decompression bomb)")
            ) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise InputError(msg("corrupt image header: {error}", error=str(exc))) from None
        with img:
            pixels = img.width * img.height
            if pixels > max_pixels:
                raise InputError(
                    msg("{width}x{height} = {pixels:,} pixels exceeds the pixel limit of"
                        " {limit:,} (possible decompression bomb)", width=img.width,
                        height=img.height, pixels=pixels, limit=max_pixels)
                )
            if pixels == 0:
                raise InputError(msg("image has zero width or height"))
            fmt = img.format or "unknown"
            frames = _frame_count(img)
            if fmt == "GIF" and not data.rstrip(b"\0").endswith(b";"):
                raise InputError(msg("truncated GIF: the file ends before its last frame"))
            try:
                img.seek(0)
                img.load()
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise InputError(msg("truncated or corrupt image data: {error}",
                                     error=str(exc))) from None
            mode = img.mode
            orientation = img.getexif().get(0x0112, 1)
            if not isinstance(orientation, int):
                orientation = 0
            try:
                oriented = ImageOps.exif_transpose(img)
            except (OSError, SyntaxError, ValueError):
                oriented = img
            rgb, alpha = _to_rgb(oriented)
            if fmt in ("JPEG", "MPO") and (row := _jpeg_fill_start(img)) is not None:
                raise InputError(msg("truncated JPEG: the image data ends at row {row} of"
                                     " {height}", row=row, height=img.height))
    transparent_share = 0.0 if alpha is None else float(np.mean(alpha < 255))
    return LoadedImage(
        rgb=rgb,
        format=fmt,
        mode=mode,
        file_size=len(data),
        transparent_share=transparent_share,
        alpha=alpha if transparent_share > 0 else None,
        frames=frames,
        exif_rotated=orientation in EXIF_ORIENTATIONS and orientation != 1,
        bad_orientation=None if orientation in EXIF_ORIENTATIONS else orientation,
    )


def load_array(array: np.ndarray) -> LoadedImage:
    """An image already in memory: uint8 RGB (H, W, 3), RGBA (H, W, 4) or grey (H, W)."""
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or (
        array.ndim == 3 and array.shape[2] not in (3, 4)
    ):
        raise InputError(
            f"expected a uint8 array of shape (H, W), (H, W, 3) or (H, W, 4); got"
            f" {array.dtype} {array.shape}"
        )
    if array.size == 0:
        raise InputError(msg("image has zero width or height"))
    rgb, alpha = _to_rgb(Image.fromarray(array))
    share = 0.0 if alpha is None else float(np.mean(alpha < 255))
    return LoadedImage(rgb, "array", "RGBA" if alpha is not None else "RGB", array.nbytes,
                       share, alpha if share > 0 else None, 1, False)


def load_preview(name: str | Path, max_side: int) -> np.ndarray:
    """A small RGB copy of the image at ``name`` (a file or an fsspec URL) for drawing, not
    checking: its long side at most ``max_side``, decoded at a reduced scale where the
    format allows (JPEG), EXIF-oriented, transparency flattened onto white. Raises
    :class:`InputError` if it cannot be read or decoded."""
    data = read_source(name)  # as a check reads it: a pipe put in the file's place is not waited on
    try:
        with damaged_exif_allowed():
            with Image.open(io.BytesIO(data), formats=READABLE_FORMATS) as img:
                img.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale
                upright = ImageOps.exif_transpose(img)
                if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                    rgba = upright.convert("RGBA")
                    upright = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                    upright.alpha_composite(rgba)
                small = upright.convert("RGB")
                small.thumbnail((max_side, max_side), Image.Resampling.HAMMING)  # 2x faster
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise InputError(msg("cannot read image: {reason}", reason=str(exc))) from None
    return np.asarray(small)


@contextmanager
def damaged_exif_allowed() -> Iterator[None]:
    """Pillow's warnings (a damaged EXIF block) silenced while a file is opened: the pixels
    still count, and a warning naming no file says nothing in a batch's output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def _frame_count(img: Image.Image) -> int:
    """How many frames ``img`` has; a TIFF's pages are counted up to
    :data:`MAX_FRAMES_COUNTED` (other formats count theirs without decoding them, and
    quickly). May leave ``img`` at a frame other than the first."""
    if img.format != "TIFF":
        return int(getattr(img, "n_frames", 1) or 1)
    if not getattr(img, "is_animated", False):
        return 1
    count = 1
    try:
        while count < MAX_FRAMES_COUNTED:
            img.seek(count)
            count += 1
    except EOFError:
        pass
    return count


def _jpeg_fill_start(img: Image.Image) -> int | None:
    """Where a JPEG's data ran out, if it did: libjpeg fills the blocks it has no data
    for with exact mid-grey (128 in every channel), which no photo holds across its full
    width for a sixteenth of its height. ``None`` for a whole image."""
    if img.mode not in ("RGB", "L"):  # CMYK and the like: no such fill
        return None
    last = np.asarray(img.crop((0, img.height - 1, img.width, img.height)))
    if not (last == 128).all():
        return None
    pixels = np.asarray(img)
    flat = (pixels == 128).reshape(pixels.shape[0], -1).all(axis=1)
    start = len(flat) - int(np.argmin(flat[::-1])) if not flat.all() else 0
    return start if len(flat) - start >= max(16, len(flat) // 16) else None


def _to_rgb(img: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any PIL mode to RGB uint8, flattening alpha onto white."""
    mode = img.mode
    if mode.startswith("I;16"):  # 16-bit grey: the high byte, without a float copy
        gray = (np.asarray(img) >> 8).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2), None
    if mode in ("I", "F"):
        arr = np.asarray(img, dtype=np.float32)
        top = 65535.0 if arr.max() > 255 else 255.0
        gray = np.clip(arr * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2), None
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode == "P" and "transparency" in img.info
    ) or (mode in ("RGB", "L") and "transparency" in img.info)
    if not has_alpha:
        return np.asarray(img.convert("RGB"), dtype=np.uint8).copy(), None
    rgba = np.asarray(img if mode == "RGBA" else img.convert("RGBA"), dtype=np.uint8)
    flat = np.empty(rgba.shape[:2] + (3,), dtype=np.uint8)
    step = max(1, _FLATTEN_BAND // rgba.shape[1])
    for top in range(0, rgba.shape[0], step):  # in bands: a 60 MP image needs no 2 GB copy
        band = rgba[top:top + step].astype(np.uint16)
        a = band[:, :, 3:]
        flat[top:top + step] = (band[:, :, :3] * a + 255 * (255 - a) + 127) // 255
    return flat, rgba[:, :, 3].copy()
