"""The loader: every odd input either loads in canonical form or fails with a clear reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imagecheck.loading import InputError, load_bytes, load_path

READABLE = ["cmyk_jpeg", "gray16_png", "gray_jpeg", "rgba_png", "la_png", "palette_png",
            "animated_gif", "animated_webp", "exif_rotated", "chinese_name", "spaces_name",
            "wrong_extension"]
UNREADABLE = {
    "empty": "empty file",
    "truncated_jpeg": "truncated",
    "corrupt_jpeg": "not an image",
    "text_as_png": "not an image",
    "bomb": "pixel limit",
}


@pytest.mark.parametrize("name", READABLE)
def test_odd_but_valid_files_load_as_rgb(odd_files: dict[str, Path], name: str) -> None:
    image = load_path(odd_files[name])
    assert image.rgb.dtype == np.uint8
    assert image.rgb.ndim == 3 and image.rgb.shape[2] == 3
    assert image.width > 0 and image.height > 0


@pytest.mark.parametrize("name,reason", sorted(UNREADABLE.items()))
def test_bad_files_raise_input_error(odd_files: dict[str, Path], name: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        load_path(odd_files[name])


def test_transparency_is_flattened_onto_white_and_recorded(odd_files: dict[str, Path]) -> None:
    image = load_path(odd_files["rgba_png"])
    assert image.transparent_share > 0.1
    assert image.alpha is not None
    transparent = image.alpha == 0
    assert (image.rgb[transparent] == 255).all()


def test_palette_transparency_is_recorded(odd_files: dict[str, Path]) -> None:
    assert load_path(odd_files["palette_png"]).transparent_share > 0


def test_animation_keeps_first_frame_and_counts_frames(odd_files: dict[str, Path]) -> None:
    for name in ("animated_gif", "animated_webp"):
        assert load_path(odd_files[name]).frames >= 2


def test_exif_orientation_is_applied(odd_files: dict[str, Path]) -> None:
    image = load_path(odd_files["exif_rotated"])
    assert image.exif_rotated
    # The stored pixels are 400 wide and 300 high; orientation 6 shows them turned upright.
    assert (image.width, image.height) == (300, 400)


def test_sixteen_bit_is_scaled_not_clipped(odd_files: dict[str, Path]) -> None:
    image = load_path(odd_files["gray16_png"])
    assert image.rgb.max() > 200 and image.rgb.min() < 100


def test_pixel_limit_is_configurable() -> None:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buf, "PNG")
    with pytest.raises(InputError, match="pixel limit"):
        load_bytes(buf.getvalue(), max_pixels=5000)
    assert load_bytes(buf.getvalue()).width == 100


def test_missing_file_and_folder_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_path(tmp_path / "nope.jpg")
    with pytest.raises(InputError, match="directory"):
        load_path(tmp_path)


def test_arrays_are_accepted_as_images() -> None:
    from imagecheck import build_settings, check_image
    from imagecheck.loading import load_array

    rgba = np.zeros((40, 60, 4), np.uint8)
    rgba[10:30, 20:40] = (200, 30, 30, 255)
    image = load_array(rgba)
    assert image.rgb.shape == (40, 60, 3) and image.transparent_share > 0.5
    assert load_array(np.full((5, 7), 128, np.uint8)).rgb.shape == (5, 7, 3)
    with pytest.raises(InputError, match="uint8"):
        load_array(np.zeros((5, 5, 3), np.float32))
    result = check_image(np.full((600, 600, 3), 255, np.uint8), "main",
                         build_settings({}, ocr="none"))
    assert result.path == "<image>" and not result.unreadable
    bad = check_image(np.zeros((5, 5, 2), np.uint8), "main", build_settings({}, ocr="none"))
    assert bad.unreadable
