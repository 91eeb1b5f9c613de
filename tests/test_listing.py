"""Roles: manifest, role folders, file-name prefixes, natural order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imagecheck.listing import ListingError, discover, natural_key


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def _roles(paths: list[Path | str], **kw: str) -> dict[str, tuple[str, str]]:
    return {j.path.name: (j.role, j.role_source) for j in discover(paths, **kw)}


def test_first_file_in_natural_order_is_main(tmp_path: Path) -> None:
    _touch(tmp_path, "img10.jpg", "img2.jpg", "img1.png", "notes.txt")
    assert _roles([tmp_path]) == {
        "img1.png": ("main", "order"),
        "img2.jpg": ("carousel", "order"),
        "img10.jpg": ("carousel", "order"),
    }


def test_role_folders_in_english_and_chinese(tmp_path: Path) -> None:
    _touch(tmp_path, "主图/a.jpg", "轮播图/b.jpg", "详情图/c.jpg", "carousel/d.jpg")
    roles = _roles([tmp_path])
    assert roles["a.jpg"] == ("main", "folder")
    assert roles["b.jpg"] == ("carousel", "folder")
    assert roles["c.jpg"] == ("detail", "folder")
    assert roles["d.jpg"] == ("carousel", "folder")
    assert {j.listing for j in discover([tmp_path])} == {tmp_path}


def test_file_name_prefixes(tmp_path: Path) -> None:
    _touch(tmp_path, "a.jpg", "detail_1.jpg", "主图1.jpg", "mainly.jpg")
    roles = _roles([tmp_path])
    assert roles["detail_1.jpg"] == ("detail", "file name")
    assert roles["主图1.jpg"] == ("main", "file name")
    assert roles["a.jpg"] == ("carousel", "order")
    assert roles["mainly.jpg"] == ("carousel", "order")


def test_manifest_wins(tmp_path: Path) -> None:
    _touch(tmp_path, "a.jpg", "b.jpg", "main/c.jpg")
    (tmp_path / "listing.json").write_text(json.dumps({"main": "b.jpg", "detail": ["main/c.jpg"]}))
    roles = _roles([tmp_path])
    assert roles == {"a.jpg": ("carousel", "order"), "b.jpg": ("main", "manifest"),
                     "c.jpg": ("detail", "manifest")}


def test_bad_manifest_is_an_error(tmp_path: Path) -> None:
    _touch(tmp_path, "a.jpg")
    (tmp_path / "listing.toml").write_text('hero = "a.jpg"\n')
    with pytest.raises(ListingError, match="unknown role"):
        discover([tmp_path])


def test_forced_role_and_explicit_files(tmp_path: Path) -> None:
    _touch(tmp_path, "x.dat", "y.jpg")
    roles = _roles([tmp_path / "x.dat", tmp_path / "y.jpg"], role="detail")
    assert roles == {"x.dat": ("detail", "option"), "y.jpg": ("detail", "option")}


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ListingError, match="no such file"):
        discover([tmp_path / "missing"])


def test_listings_are_separate_folders(tmp_path: Path) -> None:
    _touch(tmp_path, "sku1/a.jpg", "sku1/b.jpg", "sku2/a.jpg", "sku2/nested/z.jpg")
    mains = sorted(str(j.path.relative_to(tmp_path)) for j in discover([tmp_path])
                   if j.role == "main")
    assert mains == ["sku1/a.jpg", "sku2/a.jpg", "sku2/nested/z.jpg"]


def test_natural_key() -> None:
    assert sorted(["a10", "a2", "A1"], key=natural_key) == ["A1", "a2", "a10"]
