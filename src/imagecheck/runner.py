"""Running many images: in this process, in worker processes or on a cluster, in input order.

The one seam is an :class:`Executor`: it maps a batch of jobs to their results in input
order. :class:`LocalExecutor` (this process, or a process pool) is the default; a Dask
cluster plugs in as :class:`imagecheck.distributed.DaskExecutor`. Caching, ordering, the
not-reached list and reporting stay here, so a cluster run and a local run write the same
report."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol

from imagecheck.cache import ResultCache
from imagecheck.check import check_job
from imagecheck.config import Settings
from imagecheck.i18n import msg
from imagecheck.listing import ImageJob
from imagecheck.report.model import ImageResult
from imagecheck.rules.registry import get_rule

#: Below this many images a worker pool costs more than it saves.
MIN_PARALLEL = 4
#: Most images handed to a worker at once: small, so Ctrl-C waits for little work.
CHUNK = 4

#: What is done to each job: check it (the default), or e.g. fix it (imagecheck.fix).
Task = Callable[[ImageJob, Settings], ImageResult]

_worker_settings: Settings | None = None
_worker_task: Task | None = None


def _init_worker(settings: Settings, task: Task | None = None) -> None:
    """Keep ``settings`` for this worker; Ctrl-C is left to the parent, which stops the
    workers and lists what was not reached. On Linux the worker is killed when its parent
    dies, even by SIGKILL, so no worker outlives an audit."""
    global _worker_settings, _worker_task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    _worker_settings = settings
    _worker_task = task


def _work(job: ImageJob) -> ImageResult:
    assert _worker_settings is not None
    return (_worker_task or check_job)(job, _worker_settings)


def worker_count(requested: int, n_images: int) -> int:
    """Processes to use: ``requested`` (0 = all cores, 1 for small batches)."""
    if requested > 0:
        return min(requested, max(1, n_images))
    if n_images < MIN_PARALLEL:
        return 1
    return min(os.cpu_count() or 1, n_images)


class Executor(Protocol):
    """Maps jobs to their results, in input order."""

    def map(self, jobs: Sequence[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        """Results of ``jobs`` in input order; stop early on Ctrl-C (KeyboardInterrupt)."""
        ...


class LocalExecutor:
    """This process, or a pool of ``workers`` processes (0 = all cores), doing ``task``
    (a picklable callable; default :func:`check_job`) to each job."""

    def __init__(self, workers: int = 0, task: Task | None = None) -> None:
        self.workers = workers
        self.task = task

    def map(self, jobs: Sequence[ImageJob], settings: Settings) -> Iterator[ImageResult]:
        return _compute(jobs, settings, self.workers, self.task)


def run_jobs(
    jobs: Sequence[ImageJob],
    settings: Settings,
    workers: int = 0,
    on_result: Callable[[ImageResult], None] | None = None,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> tuple[list[ImageResult], bool]:
    """Check ``jobs`` and return their results in input order, and whether the run was
    interrupted (Ctrl-C); see :func:`stream_jobs`. ``on_result`` is called with each
    result as it is known (progress)."""
    results: list[ImageResult] = []

    def keep(result: ImageResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    interrupted = stream_jobs(jobs, settings, keep, workers, cache, executor)
    return results, interrupted


def stream_jobs(
    jobs: Sequence[ImageJob],
    settings: Settings,
    sink: Callable[[ImageResult], None],
    workers: int = 0,
    cache: ResultCache | None = None,
    executor: Executor | None = None,
) -> bool:
    """Check ``jobs``, handing each result to ``sink`` in input order and keeping none,
    and return whether the run was interrupted (Ctrl-C): the jobs not reached are then
    handed over as not checked (IN006), so every input has its result.

    With a ``cache``, results stored under the same file content and settings are reused
    and new ones are stored (by this process only: workers never write it).
    ``executor`` runs the jobs (default: :class:`LocalExecutor` with ``workers``).
    """
    executor = executor or LocalExecutor(workers)
    done = 0
    interrupted = False
    try:
        keys: list[str | None] = [None] * len(jobs)
        todo: list[int] = []
        for i, job in enumerate(jobs):
            if cache is not None and (key := cache.key(job, settings)) is not None:
                keys[i] = key
                if cache.has(key):
                    continue
            todo.append(i)
        computed = iter(executor.map([jobs[i] for i in todo], settings))
        positions = iter(todo)
        upcoming = next(positions, None)
        for i, job in enumerate(jobs):
            if i == upcoming:  # fetched only now: a result is never held back
                result = next(computed)
                if cache is not None and (key := keys[i]) is not None:
                    cache.put(key, result)
                upcoming = next(positions, None)
            else:  # a hit (checked here should its entry have gone since)
                assert cache is not None and (key := keys[i]) is not None
                result = cache.get(key, job) or check_job(job, settings)
            sink(result)
            done += 1
    except KeyboardInterrupt:
        interrupted = True
    missed = get_rule("IN006")
    findings = tuple(missed.findings(msg("the run was interrupted"), {}))
    for job in jobs[done:]:
        sink(ImageResult(job.location, job.listing_location, job.role, job.role_source,
                         None, None, findings))
    return interrupted


def _compute(jobs: Sequence[ImageJob], settings: Settings, workers: int,
             task: Task | None = None) -> Iterator[ImageResult]:
    """Results of ``task`` (default :func:`check_job`) on ``jobs`` in input order, from
    this process or a pool of workers."""
    n = worker_count(workers, len(jobs))
    if n == 1:
        for job in jobs:
            yield (task or check_job)(job, settings)
        return
    with ProcessPoolExecutor(n, initializer=_init_worker, initargs=(settings, task)) as pool:
        try:
            yield from pool.map(_work, jobs, chunksize=max(1, min(CHUNK, len(jobs) // (n * 8))))
        except BaseException:  # Ctrl-C (once is enough): stop the workers now, not later
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
