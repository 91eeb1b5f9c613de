"""``imagecheck fix`` colour management: a copy of an image with an embedded colour profile
other than sRGB comes back as sRGB with its colours converted through that profile (not
the tag dropped), for RGB (Adobe RGB) and CMYK JPEG input. The profiles are built here,
byte by byte, as ICC version 2 files (nothing is downloaded)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from imagecheck.config import Settings, build_settings
from imagecheck.fix.api import fix_image
from imagecheck.report.model import ImageResult

#: The D50 illuminant of the profile connection space.
D50 = (0.9642, 1.0, 0.8249)
#: Adobe RGB (1998): its colorants adapted to D50, and its gamma (563/256).
ADOBE_RGB = ((0.60974, 0.31111, 0.01947), (0.20528, 0.62567, 0.06087),
             (0.14919, 0.06322, 0.74457))
ADOBE_GAMMA = 563 / 256


@pytest.fixture(scope="module")
def settings() -> Settings:
    return build_settings(ocr="none")


def _s15(*values: float) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x, y, z)


def _desc(text: str) -> bytes:
    ascii_ = text.encode("ascii") + b"\0"
    return (b"desc\0\0\0\0" + struct.pack(">I", len(ascii_)) + ascii_
            + struct.pack(">IIHB", 0, 0, 0, 0) + bytes(67))


def icc(device_class: bytes, space: bytes, pcs: bytes, tags: dict[bytes, bytes]) -> bytes:
    """An ICC v2.1 profile of ``tags`` (signature -> tag data)."""
    table, body = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for sig, data in tags.items():
        data += bytes(-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + bytes(4) + struct.pack(">I", 0x02100000)
              + device_class + space + pcs + bytes(12) + b"acsp" + bytes(24)
              + struct.pack(">I", 0) + _s15(*D50) + bytes(48))
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def adobe_rgb_profile() -> bytes:
    """Adobe RGB (1998) as a matrix/TRC display profile."""
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(ADOBE_GAMMA * 256))
    (rx, ry, rz), (gx, gy, gz), (bx, by, bz) = ADOBE_RGB
    return icc(b"mntr", b"RGB ", b"XYZ ", {
        b"desc": _desc("Adobe RGB (1998) test profile"), b"wtpt": _xyz(*D50),
        b"rXYZ": _xyz(rx, ry, rz), b"gXYZ": _xyz(gx, gy, gz), b"bXYZ": _xyz(bx, by, bz),
        b"rTRC": curve, b"gTRC": curve, b"bTRC": curve})


def cmyk_profile() -> bytes:
    """A CMYK output profile whose 16 corner colours (every ink off or full) are those of
    the naive conversion, blended in Lab between them (a 2-point lut16 grid): half cyan
    comes out much lighter than the naive conversion's."""
    corners = [((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
               for c in (0, 1) for m in (0, 1) for y in (0, 1) for k in (0, 1)]
    rgb = Image.fromarray(np.uint8([[[round(255 * v) for v in col] for col in corners]]))
    to_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                     ImageCms.createProfile("LAB"), "RGB", "LAB")
    # Pillow's LAB: L* scaled to 0-255, a* and b* as signed bytes; the v2 lut16 Lab
    # encoding: L* 100 -> 0xFF00, a* and b* offset by 128, times 256.
    lab = np.asarray(ImageCms.applyTransform(rgb, to_lab))[0]
    ab = lab[:, 1:].view(np.int8).astype(int) + 128
    clut = b"".join(struct.pack(">HHH", round(lp / 255 * 0xFF00), a * 256, b * 256)
                    for lp, (a, b) in zip(lab[:, 0].astype(int), ab, strict=True))
    identity = _s15(1, 0, 0, 0, 1, 0, 0, 0, 1)
    ramp = struct.pack(">HH", 0, 65535)
    a2b0 = (b"mft2\0\0\0\0" + bytes([4, 3, 2, 0]) + identity + struct.pack(">HH", 2, 2)
            + ramp * 4 + clut + ramp * 3)
    return icc(b"prtr", b"CMYK", b"Lab ", {
        b"desc": _desc("CMYK test profile"), b"wtpt": _xyz(*D50), b"A2B0": a2b0})


def product_colour(result: ImageResult) -> np.ndarray:
    """The median colour of the copy's product (its pixels well away from white)."""
    assert result.fix is not None and result.fix.output is not None
    with Image.open(result.fix.output) as img:
        assert img.format == "JPEG" and img.mode == "RGB"
        profile = img.info.get("icc_profile")
        assert not profile or "srgb" in ImageCms.getProfileDescription(
            ImageCms.ImageCmsProfile(io.BytesIO(profile))).lower().replace(" ", "")
        rgb = np.asarray(img).reshape(-1, 3).astype(int)
    inside = rgb[rgb.min(axis=1) < 235]
    inside = inside[(255 - inside).sum(axis=1) > 40]
    assert len(inside) > 1000
    return np.median(inside, axis=0)


def _canvas(shape: tuple[int, int], ground: tuple[int, ...], colour: tuple[int, ...]
            ) -> np.ndarray:
    """A flat box off-centre on a plain ground: not square, not centred (a copy is made)."""
    img = np.empty((*shape, len(ground)), np.uint8)
    img[:] = ground
    h, w = shape
    img[h // 5: h // 5 + h // 2, w // 8: w // 8 + w // 3] = colour
    return img


def test_adobe_rgb_is_converted_to_srgb(settings: Settings, tmp_path: Path) -> None:
    profile = adobe_rgb_profile()
    colour = (40, 150, 110)
    source = tmp_path / "adobe.png"
    Image.fromarray(_canvas((700, 1000), (255, 255, 255), colour)).save(
        source, icc_profile=profile)
    expected = np.asarray(ImageCms.applyTransform(
        Image.new("RGB", (1, 1), colour), ImageCms.buildTransform(
            ImageCms.ImageCmsProfile(io.BytesIO(profile)), ImageCms.createProfile("sRGB"),
            "RGB", "RGB")), int)[0, 0]
    assert np.abs(expected - colour).max() > 25  # dropping the tag would show
    result = fix_image(source, "main", settings, out=tmp_path / "out" / "adobe.jpg")
    assert result.fix is not None
    srgb = [a for a in result.fix.applied if a.name == "srgb"]
    assert srgb and srgb[0].params["from"] == "Adobe RGB (1998) test profile"
    assert np.abs(product_colour(result) - expected).max() <= 4


def test_cmyk_jpeg_is_converted_through_its_profile(settings: Settings,
                                                     tmp_path: Path) -> None:
    profile = cmyk_profile()
    ink = (128, 0, 0, 0)  # half cyan
    source = tmp_path / "cmyk.jpg"
    Image.fromarray(_canvas((700, 1000), (0, 0, 0, 0), ink), "CMYK").save(
        source, quality=95, icc_profile=profile)
    cmyk = Image.new("CMYK", (1, 1), ink)
    naive = np.asarray(cmyk.convert("RGB"), int)[0, 0]
    expected = np.asarray(ImageCms.applyTransform(cmyk, ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(profile)), ImageCms.createProfile("sRGB"),
        "CMYK", "RGB")), int)[0, 0]
    assert np.abs(expected - naive).max() > 30
    result = fix_image(source, "main", settings, out=tmp_path / "out" / "cmyk.jpg")
    assert result.fix is not None
    names = [a.name for a in result.fix.applied]
    assert "colour-mode" in names and "srgb" in names
    assert np.abs(product_colour(result) - expected).max() <= 4


def test_cmyk_jpeg_without_a_profile_comes_back_rgb(settings: Settings,
                                                    tmp_path: Path) -> None:
    source = tmp_path / "plain.jpg"
    Image.fromarray(_canvas((700, 1000), (0, 0, 0, 0), (0, 160, 160, 0)), "CMYK").save(
        source, quality=95)
    result = fix_image(source, "main", settings, out=tmp_path / "out" / "plain.jpg")
    assert result.fix is not None
    names = [a.name for a in result.fix.applied]
    assert "colour-mode" in names and "srgb" not in names
    assert np.abs(product_colour(result) - (255, 95, 95)).max() <= 4
