"""The runner: results in input order, the cache consulted, Ctrl-C lists what was not reached."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from imagecheck.config import Settings, build_settings
from imagecheck.listing import ImageJob
from imagecheck.report.model import ImageResult
from imagecheck.runner import MIN_PARALLEL, LocalExecutor, run_jobs, stream_jobs, worker_count

JOBS = [ImageJob(Path(f"shop/{i}.jpg"), Path("shop"), "main", "order") for i in range(6)]


def _result(job: ImageJob, settings: Settings) -> ImageResult:
    """A stand-in for checking an image: a clean result named after the job."""
    return ImageResult(str(job.path), str(job.listing), job.role, job.role_source, 10, 10, ())


class Recording:
    """An executor that checks with :func:`_result`, records what it was given and can
    be stopped (Ctrl-C) after ``stop_after`` results."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.given: list[str] = []
        self.stop_after = stop_after

    def map(self, jobs: Sequence[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        for n, job in enumerate(jobs):
            if n == self.stop_after:
                raise KeyboardInterrupt
            self.given.append(str(job.path))
            yield _result(job, settings)


class Memo:
    """A result cache in memory, keyed by path, holding ``held`` at first."""

    def __init__(self, held: Sequence[ImageJob]) -> None:
        self.store = {str(j.path): _result(j, build_settings(ocr="none")) for j in held}
        self.put_keys: list[str] = []

    def key(self, job: ImageJob, settings: Settings) -> str:
        return str(job.path)

    def has(self, key: str) -> bool:
        return key in self.store

    def get(self, key: str, job: ImageJob) -> ImageResult | None:
        return self.store.get(key)

    def put(self, key: str, result: ImageResult) -> None:
        self.put_keys.append(key)
        self.store[key] = result


@pytest.fixture(scope="module")
def settings() -> Settings:
    return build_settings(ocr="none")


def test_results_come_back_in_input_order(settings: Settings) -> None:
    seen: list[str] = []
    results, interrupted = run_jobs(JOBS, settings, on_result=lambda r: seen.append(r.path),
                                    executor=Recording())
    assert [r.path for r in results] == seen == [str(j.path) for j in JOBS]
    assert not interrupted


def test_the_cache_answers_hits_and_keeps_new_results(settings: Settings) -> None:
    cache, executor = Memo(JOBS[1::2]), Recording()
    results, _ = run_jobs(JOBS, settings, cache=cache, executor=executor)
    assert executor.given == [str(j.path) for j in JOBS[0::2]]
    assert cache.put_keys == executor.given
    assert [r.path for r in results] == [str(j.path) for j in JOBS]


def test_an_interrupted_run_lists_every_image_not_reached(settings: Settings) -> None:
    sunk: list[ImageResult] = []
    interrupted = stream_jobs(JOBS, settings, sunk.append, executor=Recording(stop_after=2))
    assert interrupted and [r.path for r in sunk] == [str(j.path) for j in JOBS]
    assert [r.findings for r in sunk[:2]] == [(), ()]
    assert all([f.code for f in r.findings] == ["IN006"] and r.width is None for r in sunk[2:])


def test_local_executor_runs_its_task_in_this_process_for_one_worker(
        settings: Settings) -> None:
    out = list(LocalExecutor(1, task=_result).map(JOBS, settings))
    assert [r.path for r in out] == [str(j.path) for j in JOBS]


@pytest.mark.parametrize(("requested", "images", "expected"), [
    (3, 10, 3),
    (8, 2, 2),
    (5, 0, 1),
    (0, MIN_PARALLEL - 1, 1),
    (0, 1000, os.cpu_count() or 1),
])
def test_worker_count(requested: int, images: int, expected: int) -> None:
    assert worker_count(requested, images) == expected
