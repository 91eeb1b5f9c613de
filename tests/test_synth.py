"""Sanity checks for the synthetic image library: shapes, determinism, the odd input files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from imagecheck_dev import synth

SMALL = (160, 160)


def _ok(img: np.ndarray, shape: tuple[int, int] = SMALL) -> None:
    assert img.dtype == np.uint8
    assert img.shape == (*shape, 3)


@pytest.mark.parametrize("kind", sorted(synth.PRODUCTS))
def test_products_are_shaded_on_white_and_deterministic(kind: str) -> None:
    img = synth.shot(kind, SMALL, seed=4)
    _ok(img)
    assert np.array_equal(img, synth.shot(kind, SMALL, seed=4))
    corner = img[:10, :10].astype(int)
    assert corner.min() >= 250  # the background stays white
    product = img[img.min(axis=2) < 235].astype(int)
    assert len(product) > 1000 and product.sum(axis=1).std() > 15  # shading, not a flat fill


@pytest.mark.parametrize("scene", sorted(synth.SCENES))
def test_scenes_have_structure(scene: str) -> None:
    img = synth.SCENES[scene](SMALL, seed=1)
    _ok(img)
    assert img.std() > 5
    assert not np.array_equal(img, synth.SCENES[scene](SMALL, seed=2))


def test_backgrounds_hold_their_values() -> None:
    assert (synth.solid(SMALL, 244) == 244).all()
    grad = synth.gradient(SMALL, 250, 200)
    assert grad[0, 0, 0] == 250 and grad[-1, 0, 0] == 200
    radial = synth.gradient(SMALL, 255, 200, "radial")
    assert radial[80, 80, 0] > radial[0, 0, 0]


def test_off_centre_and_edge_placement() -> None:
    left = synth.shot("box", SMALL, at=(0.25, 0.5), fill=0.3)
    dark = (left.min(axis=2) < 200).nonzero()
    assert dark[1].mean() < 60
    edge = synth.shot("phone", SMALL, fill=1.0)
    assert (edge[0].min(axis=1) < 200).any() and (edge[-1].min(axis=1) < 200).any()


def test_borders_and_letterbox() -> None:
    img = synth.shot("mug", SMALL)
    framed = synth.frame(img, 3, (200, 0, 0))
    assert (framed[:3] == (200, 0, 0)).all() and (framed[:, -3:] == (200, 0, 0)).all()
    inset = synth.frame(img, 2, 0, inset=8)
    assert (inset[8:10, 8:-8] == 0).all() and (inset[:8] == 255).all()
    dashed = synth.frame(img, 4, 0, dash=8)
    assert 0.3 < (dashed[:4] == 0).all(axis=2).mean() < 0.7
    boxed = synth.letterbox(img, 0.1)
    assert (boxed[:16] == 0).all() and (boxed[-16:] == 0).all() and boxed[:, 0].max() > 200


def test_quality_degradations() -> None:
    img = synth.shot("box", SMALL)
    sharp = np.abs(np.diff(img.astype(int), axis=1)).mean()
    for soft in (synth.gaussian_blur(img, 3), synth.motion_blur(img, 15, 30),
                 synth.upscaled(img, 4, "bilinear")):
        _ok(soft)
        assert np.abs(np.diff(soft.astype(int), axis=1)).mean() < sharp
    blocky = synth.upscaled(img, 4, "nearest")
    block = blocky[40:44, 40:44].reshape(-1, 3)
    assert np.array_equal(block.min(0), block.max(0))
    data = synth.jpeg_bytes(img, 15)
    assert data[:2] == b"\xff\xd8"
    _ok(synth.jpeg_roundtrip(img, 15))
    assert synth.stretched(img, 1.3).shape == (160, 208, 3)


def test_overlays_change_the_image_where_expected(cjk_font: Path) -> None:
    img = synth.shot("bottle", (400, 400), fill=0.5)
    top_left = (slice(0, 100), slice(0, 100))
    for out in (synth.text_overlay(img, "包邮", 0.1), synth.badge(img, "ribbon", "新品"),
                synth.badge(img, "roundel", None), synth.logo_mark(img)):
        _ok(out, (400, 400))
        assert not np.array_equal(out[top_left], img[top_left])
    strip = synth.banner(img, "限时秒杀", "bottom")
    assert (strip[-5:, :5] == (225, 35, 45)).all()
    faint = synth.watermark(img, opacity=0.1)
    assert 0 < np.abs(faint.astype(int) - img).max() < 60


def test_comparison_and_collage_keep_the_canvas(cjk_font: Path) -> None:
    a, b = synth.shot("mug", SMALL), synth.shot("box", SMALL)
    for out in (synth.comparison(a, b, "VS"), synth.comparison(a, b, "checks"),
                synth.collage([a, b], "2x2"), synth.collage([a, b, a], "3x1"),
                synth.picture_in_picture(a, b)):
        _ok(out)


def test_catalogue_names_are_unique_and_expectations_use_known_fields(cjk_font: Path) -> None:
    names = synth.case_names()
    assert len(names) == len(set(names)) >= 50
    built = synth.cases((200, 200))
    assert [c.name for c in built] == names
    for c in built:
        assert set(c.expect) == set(synth.CLEAN), c.name
        assert c.image.dtype == np.uint8 and c.image.ndim == 3, c.name
    one = synth.case("badge_roundel", (200, 200))
    assert one.expect["corner_badge"] is True
    assert np.array_equal(one.image, synth.case("badge_roundel", (200, 200)).image)


def test_save_writes_the_suffix_format(tmp_path: Path) -> None:
    img = synth.shot("mug", SMALL)
    assert Image.open(synth.save(img, tmp_path / "a.jpg", quality=80)).format == "JPEG"
    assert Image.open(synth.save(img, tmp_path / "sub" / "b.png")).format == "PNG"
    assert Image.open(synth.save(img, tmp_path / "c.webp")).format == "WEBP"


def test_odd_files_decode_or_fail_as_intended(odd_files: dict[str, Path]) -> None:
    for name in ("empty", "corrupt_jpeg", "text_as_png"):
        with pytest.raises(Image.UnidentifiedImageError):
            Image.open(odd_files[name])
    with pytest.raises(OSError):
        Image.open(odd_files["truncated_jpeg"]).load()
    with pytest.raises(Image.DecompressionBombError):
        Image.open(odd_files["bomb"])
    modes = {"cmyk_jpeg": "CMYK", "gray16_png": "I;16", "gray_jpeg": "L", "rgba_png": "RGBA",
             "la_png": "LA", "palette_png": "P"}
    for name, mode in modes.items():
        assert Image.open(odd_files[name]).mode == mode, name
    assert "transparency" in Image.open(odd_files["palette_png"]).info
    assert np.asarray(Image.open(odd_files["rgba_png"]))[0, 0, 3] == 0
    for name in ("animated_gif", "animated_webp"):
        anim = Image.open(odd_files[name])
        assert anim.n_frames >= 2
        first = np.asarray(anim.convert("RGB"))
        anim.seek(1)
        assert not np.array_equal(first, np.asarray(anim.convert("RGB")))
    assert odd_files["chinese_name"].name == "主图 白底.jpg"
    assert Image.open(odd_files["wrong_extension"]).format == "JPEG"


def test_exif_rotation_is_observable(odd_files: dict[str, Path]) -> None:
    raw = Image.open(odd_files["exif_rotated"])
    assert raw.size == (400, 300)
    upright = ImageOps.exif_transpose(raw)
    assert upright.size == (300, 400)
    r, g, b = upright.convert("RGB").getpixel((upright.width - 10, 10))
    assert r > 180 and g < 80  # the red block moved to the top-right
