"""The file end of a fix: colour space in, JPEG out under the file-size limit (IQ504)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageCms, ImageOps

from imagecheck.loading import damaged_exif_allowed

#: JPEG qualities tried, best first, until the file fits the limit; from
#: ``FULL_CHROMA`` up, colour is kept at full resolution (4:4:4, no subsampling).
QUALITIES = (95, 92, 88, 84, 80, 75, 70, 65, 60)
FULL_CHROMA = 90


def to_srgb(data: bytes, rgb: np.ndarray) -> str | None:
    """Convert ``rgb`` (the decoded, upright pixels of the file ``data``) in place from
    the colour profile embedded in the file to sRGB; returns the profile's name, or
    ``None`` when the file has no profile, or an sRGB one. A CMYK file's own ink values
    are put through its profile (``rgb`` holds only a naive conversion of them)."""
    with damaged_exif_allowed():  # as the loader did
        img = Image.open(io.BytesIO(data))
    with img:
        icc = img.info.get("icc_profile")
        if not icc:
            return None
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            name = ImageCms.getProfileDescription(source).strip()
            if "srgb" in name.lower().replace(" ", ""):
                return None
            srgb = ImageCms.createProfile("sRGB")
            if img.mode == "CMYK":
                transform = ImageCms.buildTransform(source, srgb, "CMYK", "RGB")
                converted = ImageCms.applyTransform(ImageOps.exif_transpose(img), transform)
            else:
                transform = ImageCms.buildTransform(source, srgb, "RGB", "RGB")
                converted = ImageCms.applyTransform(Image.fromarray(rgb), transform)
        except (OSError, ImageCms.PyCMSError, TypeError, ValueError):
            return None  # an unreadable profile, or one for another colour space: as decoded
    if converted is None or converted.size != (rgb.shape[1], rgb.shape[0]):
        return None
    rgb[:] = np.asarray(converted.convert("RGB"))
    return name or "embedded profile"


def jpeg(rgb: np.ndarray, max_bytes: int | None) -> tuple[bytes, int]:
    """``rgb`` as a baseline sRGB JPEG at the best quality of :data:`QUALITIES` that fits
    ``max_bytes`` (the lowest if none does), and that quality."""
    img = Image.fromarray(rgb)
    data, quality = b"", QUALITIES[0]
    for quality in QUALITIES:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True,
                 subsampling=0 if quality >= FULL_CHROMA else 2)
        data = buf.getvalue()
        if max_bytes is None or len(data) <= max_bytes:
            break
    return data, quality
