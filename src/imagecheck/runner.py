"""Running many images: in this process or in worker processes, in input order."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from imagecheck.check import check_job
from imagecheck.config import Settings
from imagecheck.listing import ImageJob
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import get_rule

#: Below this many images a worker pool costs more than it saves.
MIN_PARALLEL = 4

_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _work(job: ImageJob) -> ImageResult:
    assert _worker_settings is not None
    return check_job(job, _worker_settings)


def worker_count(requested: int, n_images: int) -> int:
    """Processes to use: ``requested`` (0 = all cores, 1 for small batches)."""
    if requested > 0:
        return min(requested, max(1, n_images))
    if n_images < MIN_PARALLEL:
        return 1
    return min(os.cpu_count() or 1, n_images)


def run_jobs(
    jobs: Sequence[ImageJob],
    settings: Settings,
    workers: int = 0,
    on_result: Callable[[ImageResult], None] | None = None,
) -> tuple[list[ImageResult], bool]:
    """Check ``jobs`` and return their results in input order, and whether the run was
    interrupted (Ctrl-C). Files not reached are listed as not checked."""
    results: list[ImageResult] = []
    n = worker_count(workers, len(jobs))
    try:
        if n == 1:
            for job in jobs:
                results.append(check_job(job, settings))
                if on_result:
                    on_result(results[-1])
        else:
            with ProcessPoolExecutor(n, initializer=_init_worker, initargs=(settings,)) as pool:
                try:
                    for result in pool.map(_work, jobs, chunksize=max(1, len(jobs) // (n * 8))):
                        results.append(result)
                        if on_result:
                            on_result(result)
                except KeyboardInterrupt:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    except KeyboardInterrupt:
        missed = get_rule("IN006")
        for job in jobs[len(results):]:
            findings = tuple(missed.findings("the run was interrupted", {}))
            results.append(
                ImageResult(str(job.path), str(job.listing), job.role, job.role_source,
                            None, None, findings)
            )
        return results, True
    return results, False
