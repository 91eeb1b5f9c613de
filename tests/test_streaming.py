"""A catalogue walked as the audit goes (issue 17): the walk's order is that of a sort of
every listing, it reads folders only as they are reached, and the runner keeps input
order with cached results waiting behind images still being checked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagecheck import runner
from imagecheck.cache import ResultCache
from imagecheck.config import build_settings
from imagecheck.listing import ImageJob, discover, natural_key, walk
from imagecheck.report.model import ImageResult
from imagecheck_dev import synth


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_listings_come_in_the_order_of_a_sort_of_them_all(tmp_path: Path) -> None:
    # "a-c" sorts between "a" and "a/b" ("-" < "/"): a folder's subfolders are not
    # simply walked after it
    _touch(tmp_path, "a/x.jpg", "a/b/y.jpg", "a-c/y.jpg", "a-c/z/1.jpg", "l10/1.jpg",
           "l2/1.jpg", "l1/main/3.jpg", "l1/5.jpg", "l1/main/sub/6.jpg",
           "l1/main/carousel/7.jpg", "s/详情/2.jpg", "s/t/轮播图/3.jpg")
    listings = [str(j.listing.relative_to(tmp_path)) for j in discover([tmp_path])]
    unique = list(dict.fromkeys(listings))
    assert unique == sorted(set(listings), key=lambda n: natural_key(str(tmp_path / n)))
    assert unique == ["a", "a-c", "a-c/z", "a/b", "l1", "l1/main", "l1/main/sub", "l2",
                      "l10", "s", "s/t"]
    assert listings.count("l1") == 2 and listings.count("l1/main") == 1


def test_folders_are_read_as_they_are_reached(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _touch(tmp_path, "a/1.jpg", "z/deep/er/1.jpg")
    read: list[Path] = []
    real = os.scandir

    def scandir(path: object) -> object:
        read.append(Path(str(path)))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    jobs = walk([tmp_path])
    assert next(jobs).path == tmp_path / "a" / "1.jpg"
    assert tmp_path / "z" / "deep" not in read
    assert [j.path for j in jobs] == [tmp_path / "z" / "deep" / "er" / "1.jpg"]


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> list[ImageJob]:
    root = tmp_path_factory.mktemp("stream")
    for i in range(10):
        synth.save(synth.shot("bottle", (120, 120), at=(0.3 + 0.02 * i, 0.5)),
                   root / f"sku{i // 5}" / f"{i}.jpg")
    return discover([root])


def _results(jobs: list[ImageJob], **kw: object) -> tuple[list[ImageResult], bool]:
    return runner.run_jobs(jobs, build_settings(ocr="none"), workers=1, **kw)  # type: ignore[arg-type]


def test_cached_results_wait_in_order_behind_images_being_checked(
        jobs: list[ImageJob], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain, _ = _results(jobs)
    cache = ResultCache(tmp_path / "cache")
    _results(jobs[2:8], cache=cache)
    monkeypatch.setattr(runner, "HOLD", 2)  # a run of the executor ends at 3 held
    cached, interrupted = _results(jobs, cache=cache)
    assert cached == plain and not interrupted
    assert cache.hits == 6
    cache.close()


class _CtrlCInWalk:
    """Jobs whose first walk is stopped by Ctrl-C after ``n`` of them (a re-iterable, as
    a catalogue's walk is: iterated again, it walks again)."""

    def __init__(self, jobs: list[ImageJob], n: int) -> None:
        self.jobs, self.n, self.walks = jobs, n, 0

    def __iter__(self) -> Iterator[ImageJob]:
        self.walks += 1
        for i, job in enumerate(self.jobs):
            if self.walks == 1 and i == self.n:
                raise KeyboardInterrupt
            yield job


def test_ctrl_c_during_the_walk_still_lists_every_image(jobs: list[ImageJob]) -> None:
    results, interrupted = _results(_CtrlCInWalk(jobs, 3))  # type: ignore[arg-type]
    assert interrupted
    assert [r.path for r in results] == [j.location for j in jobs]
    assert all(r.findings[0].code == "IN006" for r in results)  # none checked: all peeked


def test_a_url_catalogue_walks_in_the_order_of_the_same_folders_on_disk(
        tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    names = [f"shop{i % 3}/sku{i}/{n}" for i in range(40) for n in ("b.jpg", "main/a.png")]
    _touch(tmp_path, *names)
    for name in names:
        fs.pipe_file(f"/walked/{name}", b"x")
    try:
        remote = [(str(j.path).removeprefix("/walked/"), j.role, j.role_source)
                  for j in discover(["memory://walked"])]
    finally:
        fs.rm("/walked", recursive=True)
    local = [(str(j.path.relative_to(tmp_path)), j.role, j.role_source)
             for j in discover([tmp_path])]
    assert remote == local and len(local) == 80
