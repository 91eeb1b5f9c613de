"""Catalogues behind fsspec URLs: listed and read through the URL's file system, with the
same findings as the same files on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from imagecheck.api import AuditOptions, audit
from imagecheck.config import build_settings
from imagecheck.listing import ListingError, discover
from imagecheck_dev import synth

fsspec = pytest.importorskip("fsspec")


@pytest.fixture
def on_disk(tmp_path: Path) -> Path:
    root = tmp_path / "catalogue"
    synth.save(synth.shot("bottle", (300, 300), at=(0.3, 0.5)), root / "sku1" / "main.jpg")
    synth.save(synth.frame(synth.shot("mug", (300, 300)), 10, (200, 0, 0)),
               root / "sku1" / "carousel" / "2.jpg")
    synth.save(synth.shot("mug", (300, 300)), root / "sku2" / "a.png")
    synth.save(synth.shot("bottle", (300, 300)), root / "sku2" / "b.png")
    (root / "sku2" / "listing.json").write_text('{"main": "b.png", "carousel": ["a.png"]}')
    (root / "sku2" / "broken.jpg").write_bytes(b"not an image")
    return root


@pytest.fixture
def in_memory(on_disk: Path) -> str:
    fs = fsspec.filesystem("memory")
    for file in on_disk.rglob("*"):
        if file.is_file():
            fs.pipe_file(f"/catalogue/{file.relative_to(on_disk).as_posix()}", file.read_bytes())
    yield "memory://catalogue"
    fs.rm("/catalogue", recursive=True)


def _by_name(report_json: str, root: str) -> dict[str, object]:
    data = json.loads(report_json)
    return {image["path"].removeprefix(root): (image["role"], image["role_source"],
                                                image["verdict"], image["findings"])
            for image in data["images"]}


def test_a_memory_url_catalogue_gives_the_findings_of_the_same_files_on_disk(
        on_disk: Path, in_memory: str) -> None:
    from imagecheck.report import render

    settings = build_settings(ocr="none")
    local = audit([on_disk], settings, AuditOptions(jobs=1, use_cache=False))
    remote = audit([in_memory], settings, AuditOptions(jobs=1, use_cache=False))
    assert [r.path for r in remote.images][0] == "memory:///catalogue/sku1/main.jpg"
    assert remote.images[0].listing == "memory:///catalogue/sku1"
    assert _by_name(render(remote, "json"), "memory:///catalogue") == _by_name(
        render(local, "json"), str(on_disk))
    assert len(remote.images) == 5


def test_a_file_url_is_the_local_path(on_disk: Path) -> None:
    assert discover([on_disk.as_uri()]) == discover([on_disk])


def test_a_missing_url_is_a_usage_error(in_memory: str) -> None:
    with pytest.raises(ListingError, match="no such file or folder"):
        discover(["memory://nowhere"])
    with pytest.raises(ListingError, match="nosuchfs://x"):
        discover(["nosuchfs://x"])


def test_cli_audits_a_url_catalogue_through_the_cache(in_memory: str, tmp_path: Path) -> None:
    from imagecheck.cli import main

    args = ["audit", in_memory, "--ocr", "none", "--cache-dir", str(tmp_path / "cache"),
            "--quiet", "-f", "json"]
    first = CliRunner().invoke(main, args, catch_exceptions=False)
    again = CliRunner().invoke(main, args, catch_exceptions=False)
    assert first.exit_code == again.exit_code == 2  # the broken file
    assert first.stdout == again.stdout
    assert '"memory:///catalogue/sku2/broken.jpg"' in first.stdout
